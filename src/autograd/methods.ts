// Autograd methods on Tensor: backward, detach, retainGrad, registerHook and the in-place ops.

import { Tensor } from "../core/tensor.js";
import type { GradHook } from "../core/tensor.js";
import type { TensorLike } from "../ops/util.js";
import * as A from "./api.js";
import * as P from "./inplace.js";
import type { SliceSpec } from "../ops/slice-args.js";
import { sliceAssign_ } from "./slice-assign.js";

declare module "../core/tensor.js" {
  interface Tensor {
    /** Backpropagates from this tensor into the leaves' `.grad` (see st.autograd.backward). */
    backward(gradient?: Tensor, opts?: A.BackwardOptions): void;
    /** Same data, cut out of the graph. */
    detach(): Tensor;
    /** Keep `.grad` on this non-leaf after backward. */
    retainGrad(): Tensor;
    /** Observe or replace this tensor's gradient during backward; returns a remover. */
    registerHook(hook: GradHook): () => void;
    add_(o: TensorLike, alpha?: number): Tensor; sub_(o: TensorLike, alpha?: number): Tensor;
    mul_(o: TensorLike): Tensor; div_(o: TensorLike): Tensor;
    clamp_(lo?: number | null, hi?: number | null): Tensor;
    zero_(): Tensor; fill_(v: number): Tensor; copy_(src: Tensor): Tensor;
    /**
     * Writes `value` into the block `specs` select (one spec per dim, as `index` reads them), in
     * place: `w.sliceAssign_([null, [0, 2]], 0)` is PyTorch's `w[:, :2] = 0`. Differentiable.
     */
    sliceAssign_(specs: readonly SliceSpec[], value: TensorLike): Tensor;
  }
}

Object.assign(Tensor.prototype, {
  backward(this: Tensor, g?: Tensor, o?: A.BackwardOptions) { A.backward(this, g, o); },
  detach(this: Tensor) { return A.detach(this); },
  retainGrad(this: Tensor) { return A.retainGrad(this); },
  registerHook(this: Tensor, h: GradHook) { return A.registerHook(this, h); },
  add_(this: Tensor, o: TensorLike, a?: number) { return P.add_(this, o, a); },
  sub_(this: Tensor, o: TensorLike, a?: number) { return P.sub_(this, o, a); },
  mul_(this: Tensor, o: TensorLike) { return P.mul_(this, o); },
  div_(this: Tensor, o: TensorLike) { return P.div_(this, o); },
  clamp_(this: Tensor, lo?: number | null, hi?: number | null) { return P.clamp_(this, lo, hi); },
  zero_(this: Tensor) { return P.zero_(this); },
  fill_(this: Tensor, v: number) { return P.fill_(this, v); },
  copy_(this: Tensor, s: Tensor) { return P.copy_(this, s); },
  sliceAssign_(this: Tensor, s: readonly SliceSpec[], v: TensorLike) { return sliceAssign_(this, s, v); },
});
