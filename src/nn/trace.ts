// Module tracing: while a module's `call` runs, its dotted path ("layers.0.self_attn") sits on a
// stack, and — when tracing is switched on — every graph node recorded meanwhile is labelled with
// the innermost path (node.module). Anomaly mode and the training monitor use the labels to name a
// layer. Off by default, so a normal run pays one boolean test per module call.

import type { Node } from "../core/node.js";
import type { Tensor } from "../core/tensor.js";
import { recordObservers } from "../ops/record.js";
import type { AnyModule } from "./module.js";

/** Paths of the modules whose `call` is running, outermost first. */
const stack: { module: object; path: string; prefix: string }[] = [];
let tracing = false;

function label(node: Node, _out: Tensor): void {
  const top = stack[stack.length - 1];
  if (top !== undefined) node.module = top.path;
}

/**
 * Switches module tracing on or off and returns the previous setting. While on, every autograd
 * node records the path of the module that ran it (`node.module`, e.g. `"layers.0.linear1"`; ops
 * in the root module's own forward get the root's class name).
 *
 * @internal Anomaly mode and the training monitor switch it on; not part of `st.nn`.
 * @example
 * traceModules(true); // import { traceModules } from "./nn/trace.js" inside the package
 * const y = model.call(x); // y.gradFn.module === "2" for a Sequential whose last layer is index 2
 */
export function traceModules(on = true): boolean {
  const prev = tracing;
  if (on && !tracing) recordObservers.push(label);
  if (!on && tracing) {
    const i = recordObservers.indexOf(label);
    if (i >= 0) recordObservers.splice(i, 1);
  }
  tracing = on;
  return prev;
}

/** Whether module tracing is on. */
export function isTracingModules(): boolean {
  return tracing;
}

/** The path of the innermost module whose `call` is running (undefined outside any module). */
export function currentModulePath(): string | undefined {
  return stack[stack.length - 1]?.path;
}

/** @internal The module whose `call` is running (the parent of the next one to enter). */
export function currentModule(): object | undefined {
  return stack[stack.length - 1]?.module;
}

/** @internal The prefix for the children of the running module ("" for the root). */
export function currentPrefix(): string {
  return stack[stack.length - 1]?.prefix ?? "";
}

/** @internal `path` labels the module's own ops; `prefix` starts its children's paths. */
export function enterModule(module: object, path: string, prefix: string): void {
  stack.push({ module, path, prefix });
}

/** @internal */
export function exitModule(): void {
  stack.pop();
}

/** Per parent: descendant → dotted path below it (module tracing only; checked before use). */
const pathCache = new WeakMap<AnyModule, Map<AnyModule, string>>();

/** The module at dotted `path` below `root`, if any. */
function resolvePath(root: AnyModule, path: string): AnyModule | undefined {
  let m: AnyModule | undefined = root;
  for (const key of path.split(".")) {
    m = m._members().find((x) => x.kind === "module" && x.key === key)?.value as AnyModule | undefined;
    if (m == null) return undefined;
  }
  return m;
}

/**
 * @internal Path of `child` below the running `parent` — usually a direct child, but a module inside a
 * ModuleList or ModuleDict (which are never called) sits deeper: "layers.0". Cached per parent
 * and re-derived whenever the cached path no longer leads to the child.
 */
export function relativePath(parent: AnyModule, child: AnyModule): string | undefined {
  const cached = pathCache.get(parent)?.get(child);
  if (cached !== undefined && resolvePath(parent, cached) === child) return cached;
  const map = new Map<AnyModule, string>();
  for (const [k, m] of parent.namedModules()) if (k !== "") map.set(m, k);
  pathCache.set(parent, map);
  return map.get(child);
}
