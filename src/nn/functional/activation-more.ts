// More activations (issue 15): SiLU, Mish, Hardtanh, Hardswish, LogSigmoid, Softsign and cosine
// similarity, composed so they stay finite at ±1e4 (softplus and log σ come from numerics/) and
// with PyTorch's gradients at the kinks (Hardtanh 0 on its bounds, Hardswish x/3 + ½ on [−3, 3]).

import { detach } from "../../autograd/api.js";
import { isFloat } from "../../core/dtype.js";
import { DTypeError, ValueError, fmtShape } from "../../core/errors.js";
import { broadcastShapes } from "../../core/shape.js";
import { Tensor } from "../../core/tensor.js";
import { abs, add, cast, clamp, div, ge, gt, le, lt, mul, sigmoid, sub, tanh, where } from "../../ops/elementwise.js";
import { norm, sum } from "../../ops/reduce.js";
import { expand } from "../../ops/shape.js";
import { logSigmoid as stableLogSigmoid, softplus as stableSoftplus } from "../../numerics/softplus.js";

function float(op: string, x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: expected a Tensor (got ${x === null ? "null" : typeof x})`);
  return isFloat(x.dtype) ? x : cast(x, "float32");
}

/**
 * SiLU (swish): x·σ(x). σ never overflows, so silu(1e4) = 1e4 and silu(−1e4) = −0.
 * @example st.nn.functional.silu(st.tensor([-1, 0, 1])) // [-0.2689, 0, 0.7311]
 */
export function silu(x: Tensor): Tensor {
  const xf = float("silu", x);
  return mul(xf, sigmoid(xf));
}

/**
 * Mish: x·tanh(softplus(x)) with the overflow-free softplus of numerics/ (linear above 20, as
 * PyTorch's), so mish(1e4) = 1e4 and mish(−1e4) = −0.
 * @example st.nn.functional.mish(st.tensor([0, 1])) // [0, 0.8651]
 */
export function mish(x: Tensor): Tensor {
  const xf = float("mish", x);
  return mul(xf, tanh(stableSoftplus(xf)));
}

/**
 * Hardtanh: x clipped to [minVal, maxVal] (defaults −1, 1). The gradient is 1 strictly inside and 0
 * on and beyond the bounds, as in PyTorch (clamp would pass it on the bounds).
 * @example st.nn.functional.hardtanh(st.tensor([-2, 0.5, 2])) // [-1, 0.5, 1]
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  const xf = float("hardtanh", x);
  if (!(minVal <= maxVal)) throw new ValueError(`hardtanh: minVal must be <= maxVal (got minVal ${minVal}, maxVal ${maxVal})`);
  return where(le(xf, minVal), minVal, where(ge(xf, maxVal), maxVal, xf));
}

/**
 * Hardswish (MobileNetV3): x·relu6(x + 3)/6 — 0 for x < −3, x for x > 3, x(x + 3)/6 between; the
 * gradient is 0, 1 and x/3 + ½ there (PyTorch's, including at ±3).
 * @example st.nn.functional.hardswish(st.tensor([-4, 1, 4])) // [0, 0.6667, 4]
 */
export function hardswish(x: Tensor): Tensor {
  const xf = float("hardswish", x);
  return where(lt(xf, -3), 0, where(gt(xf, 3), xf, div(mul(xf, add(xf, 3)), 6)));
}

/**
 * log σ(x) = −softplus(−x) (numerics.logSigmoid): −1e4 at x = −1e4 where log(sigmoid(x)) gives −∞.
 * @example st.nn.functional.logsigmoid(st.tensor([-1e4, 0, 1e4])) // [-10000, -0.6931, 0]
 */
export function logsigmoid(x: Tensor): Tensor {
  return stableLogSigmoid(float("logsigmoid", x));
}

/**
 * Softsign: x/(1 + |x|), gradient 1/(1 + |x|)².
 * @example st.nn.functional.softsign(st.tensor([-3, 1])) // [-0.75, 0.5]
 */
export function softsign(x: Tensor): Tensor {
  const xf = float("softsign", x);
  return div(xf, add(abs(xf), 1));
}

/**
 * Cosine similarity along `dim` (default 1): Σ (x₁/max(‖x₁‖, ε))·(x₂/max(‖x₂‖, ε)), ε default 1e-8,
 * PyTorch 1.13's form (normalize first, so |result| ≤ 1 and nothing overflows). The inputs
 * broadcast. The gradient is PyTorch's too, whose floor acts outside autograd: the floored norm m
 * has gradient x/m, so a zero vector gets similarity 0 and a zero (not NaN) gradient.
 * @example
 * st.nn.functional.cosineSimilarity(st.tensor([[1, 0]]), st.tensor([[1, 1]])) // [0.7071]
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim = 1, eps = 1e-8): Tensor {
  const a = float("cosineSimilarity", x1);
  const b = float("cosineSimilarity", x2);
  if (!(eps >= 0)) throw new ValueError(`cosineSimilarity: eps must be >= 0 (got ${eps})`);
  const shape = broadcastShapes("cosineSimilarity", a.shape, b.shape);
  const d = dim < 0 ? dim + shape.length : dim;
  if (!Number.isInteger(d) || d < 0 || d >= shape.length) {
    throw new ValueError(`cosineSimilarity: dim ${dim} is out of range for inputs of ${shape.length} dims (shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`);
  }
  const ae = expand(a, shape);
  const be = expand(b, shape);
  // PyTorch floors the norm in place outside autograd, after which the norm's backward reads the
  // floored value: the gradient of the floored norm m is x/m (not x/‖x‖, not 0). Its value is
  // detached and Σx² carries the gradient: m + (s − sg(s))/(2·sg(m)) has value m and gradient x/m.
  // Above the floor it is the plain norm (twice differentiable).
  const floored = (x: Tensor): Tensor => {
    const n = norm(x, 2, d, true);
    const s = sum(mul(x, x), d, true);
    const m = detach(clamp(n, eps));
    return where(gt(n, eps), n, add(m, div(sub(s, detach(s)), mul(m, 2))));
  };
  return sum(mul(div(ae, floored(ae)), div(be, floored(be))), d);
}
