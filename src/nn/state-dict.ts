// Loading a state dict into a module: match keys, check shapes, then copy every value into the
// module's own tensors. Errors name the key, the module that owns it and the shapes involved.

import { DTypeError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import { shapesEqual } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { copy_ } from "../autograd/inplace.js";
import type { AnyModule } from "./module.js";

/** One parameter or persistent buffer slot of a module tree. */
export interface StateEntry {
  /** Full dotted key, e.g. "1.running_mean". */
  key: string;
  tensor: Tensor;
  kind: "parameter" | "buffer";
  /** Key inside its owner, e.g. "running_mean". */
  local: string;
  /** Dotted path of the owning module ("" for the root). */
  ownerPath: string;
  /** Class name of the owning module. */
  owner: string;
}

/** Options of `loadStateDict`. */
export interface LoadStateDictOptions {
  /** Raise on missing or unexpected keys (default true). Wrong shapes raise either way. */
  strict?: boolean;
}

/** What `loadStateDict` returns (PyTorch's `_IncompatibleKeys`). */
export interface LoadStateDictResult {
  /** Keys the module expects that the dict lacks. */
  missingKeys: string[];
  /** Keys in the dict that the module does not have. */
  unexpectedKeys: string[];
}

function where(path: string, cls: string): string {
  return path === "" ? `the root ${cls}` : `module "${path}" (${cls})`;
}

/** Says why `key` matches nothing: the deepest module its prefix reaches, and what is missing there. */
function explainUnexpected(root: AnyModule, key: string): string {
  const parts = key.split(".");
  let m = root;
  let path = "";
  for (let i = 0; i < parts.length - 1; i++) {
    const child = m.namedChildren().find(([k]) => k === parts[i]);
    if (child === undefined) return `${where(path, m.constructor.name)} has no submodule "${parts[i]}"`;
    m = child[1];
    path = path === "" ? parts[i]! : `${path}.${parts[i]}`;
  }
  return `${where(path, m.constructor.name)} has no parameter or persistent buffer "${parts[parts.length - 1]}"`;
}

/** The work behind `Module.loadStateDict`. */
export function loadStateEntries(
  root: AnyModule,
  dict: Record<string, Tensor> | Map<string, Tensor>,
  opts: LoadStateDictOptions,
): LoadStateDictResult {
  const name = `${root.constructor.name}.loadStateDict`;
  if (dict === null || typeof dict !== "object") throw new DTypeError(`${name}: expected an object or Map of tensors (got ${dict === null ? "null" : typeof dict})`);
  const given = dict instanceof Map ? dict : new Map(Object.entries(dict));
  const expected = root._stateEntries();
  const expectedKeys = new Set(expected.map((e) => e.key));
  const missingKeys: string[] = [];
  const plan: [Tensor, Tensor][] = [];
  for (const e of expected) {
    const src = given.get(e.key);
    if (src === undefined) {
      missingKeys.push(e.key);
      continue;
    }
    const what = `"${e.key}" (${e.kind} "${e.local}" of ${where(e.ownerPath, e.owner)})`;
    if (!(src instanceof Tensor)) throw new DTypeError(`${name}: the value for ${what} is not a Tensor (got ${src === null ? "null" : typeof src})`);
    if (!shapesEqual(src.shape, e.tensor.shape)) {
      throw new ShapeError(`${name}: size mismatch for ${what}: the state dict has shape ${fmtShape(src.shape)}, the module expects ${fmtShape(e.tensor.shape)}`);
    }
    plan.push([e.tensor, src]);
  }
  const unexpectedKeys = [...given.keys()].filter((k) => !expectedKeys.has(k));
  if ((opts.strict ?? true) && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
    const parts: string[] = [];
    if (missingKeys.length > 0) {
      const byKey = new Map(expected.map((e) => [e.key, e]));
      parts.push(`missing key${missingKeys.length > 1 ? "s" : ""} ` + missingKeys.map((k) => {
        const e = byKey.get(k)!;
        return `"${k}" (${e.kind} "${e.local}" of ${where(e.ownerPath, e.owner)})`;
      }).join(", "));
    }
    if (unexpectedKeys.length > 0) {
      parts.push(`unexpected key${unexpectedKeys.length > 1 ? "s" : ""} ` + unexpectedKeys.map((k) => `"${k}" (${explainUnexpected(root, k)})`).join(", "));
    }
    throw new ValueError(`${name}: ${parts.join("; ")}. Pass { strict: false } to load the matching keys only`);
  }
  noGrad(() => {
    for (const [dst, src] of plan) {
      copy_(dst, src); // casts to dst's dtype
    }
  });
  return { missingKeys, unexpectedKeys };
}
