// The "module or parameters" argument of regularizationLoss / applyConstraints: a Module (anything
// with parameters()), one tensor, or an iterable of tensors, as distinct tensors in order.

import { ValueError } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";

/** Something that owns parameters (an nn.Module), or the parameters themselves. */
export type ParamSource = { parameters(): Iterable<Tensor> } | Tensor | Iterable<Tensor>;

/** The distinct tensors of `src` (a tensor shared by two layers is visited once). */
export function collectParams(op: string, src: ParamSource): Tensor[] {
  let list: Iterable<unknown>;
  if (src instanceof Tensor) list = [src];
  else if (src !== null && typeof src === "object" && typeof (src as { parameters?: unknown }).parameters === "function") {
    list = (src as { parameters(): Iterable<Tensor> }).parameters();
  } else if (src !== null && typeof src === "object" && Symbol.iterator in src) list = src as Iterable<unknown>;
  else throw new ValueError(`${op}: expected a Module, a Tensor or an iterable of Tensors (got ${src === null ? "null" : typeof src})`);
  const out: Tensor[] = [];
  const seen = new Set<Tensor>();
  let i = 0;
  for (const p of list) {
    if (!(p instanceof Tensor)) throw new ValueError(`${op}: item ${i} is not a Tensor (got ${p === null ? "null" : typeof p})`);
    if (!seen.has(p)) { seen.add(p); out.push(p); }
    i++;
  }
  return out;
}
