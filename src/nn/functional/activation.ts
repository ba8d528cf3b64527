// Activation functions in their numerically stable forms, with PyTorch's subgradient at 0
// (ReLU 0, LeakyReLU/PReLU the slope, ELU/SELU the negative side's derivative, GELU/Softplus ½).

import { isFloat } from "../../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import { add, cast, clamp, erf, expm1, gt, mul, relu as reluOp, sigmoid as sigmoidOp, tanh as tanhOp, where } from "../../ops/elementwise.js";
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from "../../ops/reduce.js";
import { reshape } from "../../ops/shape.js";
import { softplus as stableSoftplus } from "../../numerics/softplus.js";

/** SELU's α and λ (Klambauer et al. 2017), to the digits PyTorch uses. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
/** SELU's scale λ ≈ 1.0507 (Klambauer et al. 2017). */
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** The input as a float tensor (integers become float32), with a typed error for non-tensors. */
function float(op: string, x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: expected a Tensor (got ${x === null ? "null" : typeof x})`);
  return isFloat(x.dtype) ? x : cast(x, "float32");
}

/** max(x, 0); gradient 0 at x = 0. @example st.nn.functional.relu(st.tensor([-1, 0, 2])) // [0, 0, 2] */
export function relu(x: Tensor): Tensor {
  return reluOp(float("relu", x));
}

/**
 * σ(x) = 1/(1 + e⁻ˣ), overflow-free on both sides.
 * @example st.nn.functional.sigmoid(st.tensor([0, 2])); // [0.5, 0.8808] (float32)
 */
export function sigmoid(x: Tensor): Tensor {
  return sigmoidOp(float("sigmoid", x));
}

/**
 * tanh(x).
 * @example st.nn.functional.tanh(st.tensor([0, 1])); // [0, 0.76159] (float32)
 */
export function tanh(x: Tensor): Tensor {
  return tanhOp(float("tanh", x));
}

/**
 * x for x > 0, negativeSlope·x otherwise (so the gradient at 0 is the slope, as in PyTorch).
 * @example st.nn.functional.leakyRelu(st.tensor([-10, 3]), 0.1) // [-1, 3]
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  const xf = float("leakyRelu", x);
  if (!Number.isFinite(negativeSlope)) throw new ValueError(`leakyRelu: negativeSlope must be finite (got ${negativeSlope})`);
  return where(gt(xf, 0), xf, mul(xf, negativeSlope));
}

/**
 * PReLU: x for x > 0, a·x otherwise, with a learnable slope per channel. `weight` has 1 element
 * (shared) or C = x.shape[1] elements (the channel dim is 1, as in PyTorch; inputs with fewer than
 * 2 dims have one channel). The gradient at x = 0 is the slope.
 * @example st.nn.functional.prelu(st.tensor([-2, 3], { dtype: "float32" }), st.tensor([0.25])); // [-0.5, 3] (float32)
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  const xf = float("prelu", x);
  if (!(weight instanceof Tensor)) throw new DTypeError("prelu: weight must be a Tensor");
  const n = weight.size;
  let w = weight;
  if (n !== 1) {
    // PyTorch: the channel dim is dim 1; inputs with fewer than 2 dims have one channel
    const c = xf.ndim >= 2 ? xf.shape[1]! : 1;
    if (weight.ndim !== 1 || c !== n) {
      throw new ShapeError(`prelu: weight has shape ${fmtShape(weight.shape)} but the input (shape ${fmtShape(xf.shape)}) has ${c} channel${c === 1 ? "" : "s"} in dim 1 (expected 1 parameter or one per channel)`);
    }
    // [C] → [C, 1, …, 1] so it broadcasts along dim 1
    if (xf.ndim > 2) w = reshape(weight, [n, ...new Array<number>(xf.ndim - 2).fill(1)]);
  } else if (weight.ndim > xf.ndim) w = reshape(weight, []);
  return where(gt(xf, 0), xf, mul(xf, w));
}

/**
 * ELU: x for x > 0, α·(eˣ − 1) otherwise, as α·expm1(min(x, 0)) so large positive x never reaches
 * exp and small negative x keeps full precision. Gradient at 0 is α (the negative side's).
 * @example st.nn.functional.elu(st.tensor([-1, 2], { dtype: "float32" })); // [-0.63212, 2] (float32)
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  const xf = float("elu", x);
  // clamp (not minimum) passes the gradient at x = 0 itself, where minimum would halve it
  return where(gt(xf, 0), xf, mul(expm1(clamp(xf, null, 0)), alpha));
}

/**
 * SELU: λ·elu(x, α) with the self-normalizing constants α ≈ 1.6733, λ ≈ 1.0507.
 * @example st.nn.functional.selu(st.tensor([-1, 1], { dtype: "float32" })); // [-1.1113, 1.0507] (float32)
 */
export function selu(x: Tensor): Tensor {
  const xf = float("selu", x);
  return mul(where(gt(xf, 0), xf, mul(expm1(clamp(xf, null, 0)), SELU_ALPHA)), SELU_SCALE);
}

/** GELU's approximation choice: exact (erf) or the tanh formula. */
export type GeluApproximate = "none" | "tanh";

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_PI = Math.sqrt(2 / Math.PI);

/**
 * GELU(x) = x·Φ(x) = ½x(1 + erf(x/√2)) (exact), or with `approximate: "tanh"`
 * ½x(1 + tanh(√(2/π)(x + 0.044715x³))). Both saturate without overflow (erf and tanh are bounded).
 * @example st.nn.functional.gelu(st.tensor([-1, 0, 1], { dtype: "float32" })); // [-0.15866, 0, 0.84134] (float32)
 */
export function gelu(x: Tensor, approximate: GeluApproximate = "none"): Tensor {
  const xf = float("gelu", x);
  const half = mul(xf, 0.5);
  if (approximate === "none") return mul(half, add(erf(mul(xf, SQRT1_2)), 1));
  if (approximate === "tanh") {
    const inner = mul(add(xf, mul(mul(mul(xf, xf), xf), 0.044715)), SQRT_2_PI);
    return mul(half, add(tanhOp(inner), 1));
  }
  throw new ValueError(`gelu: approximate must be "none" or "tanh" (got ${String(approximate)})`);
}

/**
 * softplus(x) = (1/β)·log(1 + e^(βx)), linear where βx > threshold. Computed without overflow
 * (numerics/softplus: max(z, 0) + log1p(e^(−|z|))), gradient σ(βx) — ½ at 0.
 * @example st.nn.functional.softplus(st.tensor([0, 100], { dtype: "float32" })); // [0.69315, 100] (float32)
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  return stableSoftplus(float("softplus", x), beta, threshold);
}

/**
 * softmax along `dim` (default −1), max-shifted so it never overflows.
 * @example st.nn.functional.softmax(st.tensor([[1, 1], [0, 1000]], { dtype: "float32" })); // [[0.5, 0.5], [0, 1]] (float32)
 */
export function softmax(x: Tensor, dim = -1): Tensor {
  return softmaxOp(float("softmax", x), dim);
}

/**
 * log softmax along `dim` (default −1): exact where softmax underflows.
 * @example st.nn.functional.logSoftmax(st.tensor([0, 0], { dtype: "float32" })); // [-0.69315, -0.69315] (float32)
 */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  return logSoftmaxOp(float("logSoftmax", x), dim);
}
