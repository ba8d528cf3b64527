// Boundary checks of Module.call: a built-in layer given a plain JavaScript value where it expects
// a Tensor (`linear.call([[1, 2, 3]])`) gets a typed error naming the layer, what it got and how to
// make a tensor — not a TypeError from deep inside a kernel ("reading 'NaN'").

import { DTypeError } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";

/** "a Map", "an Int32Array". */
const article = (name: string): string => (/^[AEIOU]/i.test(name) ? `an ${name}` : `a ${name}`);

/** How a JavaScript value reads in an error message: "a JavaScript array", "a Float32Array", … */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return "a JavaScript array";
  if (ArrayBuffer.isView(v)) return article(v.constructor.name);
  switch (typeof v) {
    case "number": return `the number ${v}`;
    case "string": return "a string";
    case "boolean": return "a boolean";
    case "bigint": return "a bigint";
    case "function": return "a function";
    case "object": {
      const name = (v as object).constructor?.name;
      return name === undefined || name === "Object" ? "a plain object" : article(name);
    }
    default: return `a ${typeof v}`;
  }
}

/** A short preview of a plain value for the hint (`st.tensor([[1, 2, 3]])`), or "" when unhelpful. */
function preview(v: unknown): string {
  let s: string | undefined;
  if (Array.isArray(v) || typeof v === "number" || typeof v === "boolean") {
    try {
      s = JSON.stringify(v)?.replace(/,/g, ", ");
    } catch {
      s = undefined; // a cyclic array: no preview
    }
  } else if (ArrayBuffer.isView(v)) s = "typedArray, { shape }";
  if (s === undefined) return "";
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Throws a DTypeError unless `args[i]` is a Tensor for each of `names` (the leading parameters of
 * the module's forward). `who` names the module, e.g. `Linear(in_features=3, out_features=2)`.
 */
export function checkTensorArgs(who: string, names: readonly string[], args: readonly unknown[]): void {
  for (let i = 0; i < names.length; i++) {
    const v = args[i];
    if (v instanceof Tensor) continue;
    const p = preview(v);
    const hint = p === "" ? "create one with st.tensor(...)" : `create one with st.tensor(...), e.g. st.tensor(${p})`;
    throw new DTypeError(`${who}.call: ${names[i]} (argument ${i + 1}) must be a Tensor, got ${describeValue(v)}; ${hint}`);
  }
}
