// Parameter: a Tensor that a Module owns and trains. Module walks its fields and collects every
// Parameter it finds, so marking a tensor this way is all it takes to make it learnable.

import { isFloat } from "../core/dtype.js";
import { DTypeError } from "../core/errors.js";
import { shareStorage } from "../core/shared-storage.js";
import { Tensor } from "../core/tensor.js";

/**
 * A learnable tensor (PyTorch's `nn.Parameter`). It shares `data`'s storage, is always a leaf
 * (a tensor with a graph is cut out of it, like `detach()`), and requires grad unless told not to.
 * Only floating tensors can require grad.
 *
 * @example
 * class Scale extends st.nn.Module {
 *   s = new st.nn.Parameter(st.ones([3]));
 *   forward(x: st.Tensor) { return x.mul(this.s); }
 * }
 * new Scale().parameters().length // 1
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) {
      throw new DTypeError(`Parameter: expected a Tensor (got ${data === null ? "null" : typeof data})`);
    }
    if (requiresGrad && !isFloat(data.dtype)) {
      throw new DTypeError(`Parameter: only floating tensors can be parameters that require grad (got dtype ${data.dtype}); pass requiresGrad=false or cast first`);
    }
    super(shareStorage(data), data.shape.slice(), data.dtype, requiresGrad);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
