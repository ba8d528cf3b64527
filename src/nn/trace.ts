// Module tracing: while a module's `call` runs, its dotted path ("layers.0.self_attn") sits on a
// stack (core/module-path.ts, shared with the kernel observers), and — when tracing is switched on — every graph node recorded meanwhile is labelled with
// the innermost path (node.module). Anomaly mode and the training monitor use the labels to name a
// layer. Off by default, so a normal run pays one boolean test per module call.

import { currentModuleFrame, currentModulePath, wantModulePaths } from "../core/module-path.js";
import type { Node } from "../core/node.js";
import type { Tensor } from "../core/tensor.js";
import { recordObservers } from "../ops/dispatch.js";
import type { AnyModule } from "./module.js";

export { currentModulePath, enterModule, exitModule, modulePathsWanted } from "../core/module-path.js";

let tracing = false;

function label(node: Node, _out: Tensor): void {
  const path = currentModulePath();
  if (path !== undefined) node.module = path;
}

/**
 * Switches module tracing on or off and returns the previous setting. While on, every autograd
 * node records the path of the module that ran it (`node.module`, e.g. `"layers.0.linear1"`; ops
 * in the root module's own forward get the root's class name).
 *
 * @internal Anomaly mode and the training monitor switch it on; not part of `st.nn`.
 * @example
 * import { traceModules } from "./trace.js"; // inside the package
 * const model = new st.nn.Sequential(new st.nn.Linear(2, 2), new st.nn.ReLU(), new st.nn.Linear(2, 1));
 * traceModules(true);
 * const y = model.call(st.ones([1, 2])); // y.gradFn.module === "2": the last layer is index 2
 * traceModules(false);
 */
export function traceModules(on = true): boolean {
  const prev = tracing;
  if (on && !tracing) {
    recordObservers.push(label);
    wantModulePaths(1);
  }
  if (!on && tracing) {
    const i = recordObservers.indexOf(label);
    if (i >= 0) recordObservers.splice(i, 1);
    wantModulePaths(-1);
  }
  tracing = on;
  return prev;
}

/** Whether module tracing is on. */
export function isTracingModules(): boolean {
  return tracing;
}

/** @internal The module whose `call` is running (the parent of the next one to enter). */
export function currentModule(): object | undefined {
  return currentModuleFrame()?.module;
}

/** @internal The prefix for the children of the running module ("" for the root). */
export function currentPrefix(): string {
  return currentModuleFrame()?.prefix ?? "";
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
