// The affine map y = x·Wᵀ + b behind nn.Linear, on inputs of any leading shape.

import { isFloat } from "../../core/dtype.js";
import { DTypeError, ShapeError, fmtShape } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import { add, cast } from "../../ops/elementwise.js";
import { linearT, matmulT } from "../../ops/linalg.js";
import { reshape } from "../../ops/shape.js";

/**
 * y = x·Wᵀ + b over the last dim of x: x [..., in], weight [out, in] (PyTorch's layout), bias
 * [out] or none → y [..., out]. The leading dims are folded into one GEMM that reads W transposed
 * in place (never copied), and the gradient flows to x, W and b.
 *
 * @example
 * const y = st.nn.functional.linear(st.ones([2, 3]), st.ones([4, 3]), st.zeros([4])); // [2, 4], all 3
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (!(x instanceof Tensor) || !(weight instanceof Tensor)) throw new DTypeError("linear: input and weight must be Tensors");
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight must be 2-D [out_features, in_features] (got shape ${fmtShape(weight.shape)})`);
  const [outF, inF] = weight.shape as [number, number];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new ShapeError(`linear: the input's last dim must be in_features=${inF} (got input shape ${fmtShape(x.shape)}, weight shape ${fmtShape(weight.shape)})`);
  }
  if (bias != null && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw new ShapeError(`linear: bias must have shape [${outF}] (got ${fmtShape(bias.shape)})`);
  }
  const xf = isFloat(x.dtype) ? x : cast(x, weight.dtype);
  const lead = xf.shape.slice(0, -1);
  const x2 = xf.ndim === 2 ? xf : reshape(xf, [-1, inF]);
  let y: Tensor;
  if (bias != null && x2.dtype === weight.dtype && bias.dtype === weight.dtype) y = linearT(x2, weight, bias);
  else {
    y = matmulT(x2, weight, false, true);
    if (bias != null) y = add(y, bias);
  }
  return xf.ndim === 2 ? y : reshape(y, [...lead, outF]);
}
