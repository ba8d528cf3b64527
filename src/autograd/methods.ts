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
    /**
     * Backpropagates from this tensor: accumulates ∂this/∂leaf into each leaf's `.grad`. A
     * non-scalar tensor needs `gradient` (the vector of the vector-Jacobian product). `opts`:
     * `retainGraph` (default false) to call backward again, `createGraph` (default false) to
     * differentiate the gradients. See {@link index.autograd | st.autograd.backward}.
     * @example
     * const x = st.tensor([1, 2, 3], { requiresGrad: true });
     * x.square().sum().backward();
     * x.grad; // [2, 4, 6] (2x)
     */
    backward(gradient?: Tensor, opts?: A.BackwardOptions): void;
    /**
     * The same values, cut out of the graph (`requiresGrad` false); shares memory with this tensor.
     * See {@link index.detach | st.detach}.
     * @example st.tensor([1, 2], { requiresGrad: true }).mul(2).detach().requiresGrad; // false
     */
    detach(): Tensor;
    /**
     * Keeps `.grad` on this non-leaf tensor after backward (leaves keep theirs anyway); returns this.
     * @example
     * const x = st.tensor([1, 2], { requiresGrad: true });
     * const h = x.mul(3).retainGrad();
     * h.sum().backward();
     * h.grad; // [1, 1]
     */
    retainGrad(): Tensor;
    /**
     * Registers `hook(grad)` to observe this tensor's gradient during backward, or to replace it
     * by returning a tensor (PyTorch's `register_hook`); returns a function that removes it.
     * @example
     * const x = st.tensor([1, 2], { requiresGrad: true });
     * const remove = x.registerHook((g) => g.mul(10));
     * x.sum().backward();
     * x.grad; // [10, 10]
     * remove();
     */
    registerHook(hook: GradHook): () => void;
    /**
     * In place: `this += alpha · o` (alpha default 1), with `o` broadcast to this shape; returns this.
     * Autograd records it (and refuses it on a leaf that requires grad, or when a saved value would change).
     * @example st.tensor([1, 2], { dtype: "float32" }).add_(st.tensor([1, 1]), 3); // [4, 5]
     */
    add_(o: TensorLike, alpha?: number): Tensor;
    /**
     * In place: `this −= alpha · o` (alpha default 1), with `o` broadcast to this shape; returns this.
     * @example st.tensor([5, 5], { dtype: "float32" }).sub_(1); // [4, 4]
     */
    sub_(o: TensorLike, alpha?: number): Tensor;
    /**
     * In place: `this *= o`, with `o` broadcast to this shape; returns this.
     * @example st.tensor([1, 2], { dtype: "float32" }).mul_(3); // [3, 6]
     */
    mul_(o: TensorLike): Tensor;
    /**
     * In place: `this /= o`, with `o` broadcast to this shape (a float tensor); returns this.
     * @example st.tensor([3, 6], { dtype: "float32" }).div_(3); // [1, 2]
     */
    div_(o: TensorLike): Tensor;
    /**
     * In place: `this = min(max(this, lo), hi)`; `null`/omitted leaves that side open. Returns this.
     * @example st.tensor([-2, 0.5, 3]).clamp_(0, 1); // [0, 0.5, 1]
     */
    clamp_(lo?: number | null, hi?: number | null): Tensor;
    /**
     * In place: sets every element to 0; returns this.
     * @example st.ones([2]).zero_(); // [0, 0]
     */
    zero_(): Tensor;
    /**
     * In place: sets every element to `v`; returns this.
     * @example st.zeros([2]).fill_(7); // [7, 7]
     */
    fill_(v: number): Tensor;
    /**
     * In place: copies `src`'s values (broadcast to this shape, cast to this dtype); returns this.
     * @example st.zeros([2]).copy_(st.tensor([1, 2])); // [1, 2] (float32)
     */
    copy_(src: Tensor): Tensor;
    /**
     * Writes `value` into the block `specs` select (one spec per dim, as `index` reads them), in
     * place: `w.sliceAssign_([null, [0, 2]], 0)` is PyTorch's `w[:, :2] = 0`. Differentiable.
     * @example st.zeros([2, 3]).sliceAssign_([null, [0, 2]], 1); // [[1, 1, 0], [1, 1, 0]]
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
