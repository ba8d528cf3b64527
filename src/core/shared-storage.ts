// The two storage-level moves that code above core/ needs without ever seeing a raw array:
// making another tensor object over the same memory (nn.Parameter, Module.stateDict) and giving an
// existing tensor object new memory of another dtype (Module.to / double / float). Keeping them
// here lets a backend whose memory is not a JavaScript typed array change only core/ and backend/.

import { ShapeError, fmtShape } from "./errors.js";
import type { Storage } from "./storage.js";
import type { Tensor } from "./tensor.js";

/**
 * @internal An opaque handle to `t`'s memory, to hand to `new Tensor(handle, shape, dtype)` (or a
 * subclass's `super(...)`) so that the new tensor aliases `t`: writes through either are seen by
 * both and share one version counter. Outside core/ and backend/ it must only be passed on, never
 * opened (`tests/raw-data-access.test.ts` fails on `shareStorage(x).data`).
 *
 * @example
 * // inside the package: a second Tensor over a tensor's memory (as Parameter's constructor does)
 * import { shareStorage } from "./shared-storage.js";
 * const t = st.tensor([1, 2]);
 * const alias = new st.Tensor(shareStorage(t), [2], t.dtype);
 * t.add_(1); // alias sees [2, 3] too
 */
export function shareStorage(t: Tensor): Storage {
  return t._s;
}

/**
 * @internal PyTorch's `t.data = src`: `t` keeps its identity (and so every reference an optimizer
 * or a module holds) but from now on holds `src`'s memory and dtype. Shapes must be equal. The
 * autograd history of `t` is left alone; callers use it on leaves (parameters, buffers), between
 * steps. The storage is a new one, so versions saved by earlier graphs refer to the old memory.
 *
 * @example
 * // Module.to("float64") converts a parameter without replacing the object
 * import { setData } from "./shared-storage.js";
 * const p = new st.nn.Parameter(st.tensor([1, 2], { dtype: "float32" }));
 * setData(p, st.noGrad(() => p.to("float64"))); // p.dtype === "float64", still the same object
 */
export function setData(t: Tensor, src: Tensor): void {
  if (t.shape.length !== src.shape.length || t.shape.some((d, i) => d !== src.shape[i])) {
    throw new ShapeError(`setData: the new data has shape ${fmtShape(src.shape)} but the tensor has shape ${fmtShape(t.shape)} (expected equal shapes)`);
  }
  t._s = src._s;
  (t as { dtype: Tensor["dtype"] }).dtype = src.dtype;
  t._gradVersion = src._s.version;
}
