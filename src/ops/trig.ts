// Elementwise maths of the toolbox (issue 15): trigonometric and hyperbolic functions and their
// inverses, log2/log10/exp2, erfinv, reciprocal, and the binary atan2, remainder (Python's sign),
// fmod (C's sign), hypot and lerp. Integer and bool inputs give float32, like PyTorch; remainder
// and fmod keep integer dtypes.

import { type DType, isFloat } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { broadcastShapes, shapesEqual } from "../core/shape.js";
import { checkTensorArg } from "../core/validate.js";
import type { Tensor } from "../core/tensor.js";
import type { ToolboxBinaryName, ToolboxUnaryName } from "../backend/toolbox-kernels.js";
import { dispatch } from "./dispatch.js";
import { add, cast, ceil, div, eq, floor, lt, mul, neg, sub, where } from "./elementwise.js";
import { sum } from "./reduce.js";
import { type TensorLike, resultType, toTensor } from "./util.js";

function unaryMath(op: ToolboxUnaryName, x: Tensor): Tensor {
  checkTensorArg(op, "the input", x);
  const dtype: DType = isFloat(x.dtype) ? x.dtype : "float32";
  return dispatch(op, [x], x.shape.slice(), dtype, null);
}

/**
 * tan x, elementwise (int/bool inputs give float32).
 * @example
 * ```ts
 * st.tan(st.tensor([0, Math.PI / 4])) // [0, 1]
 * ```
 */
export const tan = (x: Tensor) => unaryMath("tan", x);
/**
 * arcsin x ∈ [−π/2, π/2]; NaN outside [−1, 1]. Gradient 1/√(1 − x²).
 * @example
 * ```ts
 * st.asin(st.tensor([0, 1])) // [0, π/2]
 * ```
 */
export const asin = (x: Tensor) => unaryMath("asin", x);
/**
 * arccos x ∈ [0, π]; NaN outside [−1, 1]. Gradient −1/√(1 − x²).
 * @example
 * ```ts
 * st.acos(st.tensor([1, 0])) // [0, π/2]
 * ```
 */
export const acos = (x: Tensor) => unaryMath("acos", x);
/**
 * arctan x ∈ (−π/2, π/2). Gradient 1/(1 + x²).
 * @example
 * ```ts
 * st.atan(st.tensor([0, 1])) // [0, π/4]
 * ```
 */
export const atan = (x: Tensor) => unaryMath("atan", x);
/**
 * sinh x = (eˣ − e⁻ˣ)/2.
 * @example
 * ```ts
 * st.sinh(st.tensor([0])) // [0]
 * ```
 */
export const sinh = (x: Tensor) => unaryMath("sinh", x);
/**
 * cosh x = (eˣ + e⁻ˣ)/2.
 * @example
 * ```ts
 * st.cosh(st.tensor([0])) // [1]
 * ```
 */
export const cosh = (x: Tensor) => unaryMath("cosh", x);
/**
 * asinh x = ln(x + √(x² + 1)). Gradient 1/√(x² + 1).
 * @example
 * ```ts
 * st.asinh(st.tensor([0])) // [0]
 * ```
 */
export const asinh = (x: Tensor) => unaryMath("asinh", x);
/**
 * acosh x = ln(x + √(x² − 1)) for x ≥ 1 (NaN below). Gradient 1/√(x² − 1).
 * @example
 * ```ts
 * st.acosh(st.tensor([1])) // [0]
 * ```
 */
export const acosh = (x: Tensor) => unaryMath("acosh", x);
/**
 * atanh x = ½ ln((1 + x)/(1 − x)) for |x| < 1 (±∞ at ±1, NaN outside). Gradient 1/(1 − x²).
 * @example
 * ```ts
 * st.atanh(st.tensor([0])) // [0]
 * ```
 */
export const atanh = (x: Tensor) => unaryMath("atanh", x);
/**
 * log₂ x.
 * @example
 * ```ts
 * st.log2(st.tensor([1, 8])) // [0, 3]
 * ```
 */
export const log2 = (x: Tensor) => unaryMath("log2", x);
/**
 * log₁₀ x.
 * @example
 * ```ts
 * st.log10(st.tensor([1, 100])) // [0, 2]
 * ```
 */
export const log10 = (x: Tensor) => unaryMath("log10", x);
/**
 * 2ˣ.
 * @example
 * ```ts
 * st.exp2(st.tensor([0, 3])) // [1, 8]
 * ```
 */
export const exp2 = (x: Tensor) => unaryMath("exp2", x);
/**
 * The inverse error function: erf(erfinv(y)) = y for y ∈ (−1, 1); ±∞ at ±1, NaN outside.
 * Gradient (√π/2)·exp(erfinv(y)²).
 * @example
 * ```ts
 * st.erfinv(st.tensor([0, 0.5])) // [0, 0.4769…]
 * ```
 */
export const erfinv = (x: Tensor) => unaryMath("erfinv", x);

/**
 * 1/x elementwise (integers give float32, 1/0 = ∞).
 * @example
 * ```ts
 * st.reciprocal(st.tensor([2, 4])) // [0.5, 0.25]
 * ```
 */
export function reciprocal(x: Tensor): Tensor {
  checkTensorArg("reciprocal", "the input", x);
  return div(1, x);
}

function binaryMath(op: ToolboxBinaryName, a: TensorLike, b: TensorLike, keepInt: boolean): Tensor {
  let dtype = resultType(a, b);
  if (dtype === "bool" || (!keepInt && !isFloat(dtype))) dtype = keepInt ? "int32" : "float32";
  const ta = toTensor(op, a, dtype);
  const tb = toTensor(op, b, dtype);
  const x = cast(ta, dtype);
  const y = cast(tb, dtype);
  if (keepInt && dtype === "int32" && sum(cast(eq(y, 0), "int32")).item() > 0) {
    // PyTorch raises ZeroDivisionError: there is no integer answer
    throw new ValueError(`${op}: integer division by zero (the divisor holds a 0); cast to float for NaN results`);
  }
  const shape = shapesEqual(x.shape, y.shape) ? x.shape.slice() : broadcastShapes(op, x.shape, y.shape);
  return dispatch(op, [x, y], shape, dtype, null);
}

/**
 * atan2(y, x): the angle of the point (x, y) in (−π, π], elementwise with broadcasting.
 * Gradients x/(x² + y²) for y and −y/(x² + y²) for x.
 * @example
 * ```ts
 * st.atan2(st.tensor([1, -1]), st.tensor([0, 0])) // [π/2, −π/2]
 * ```
 */
export const atan2 = (y: TensorLike, x: TensorLike) => binaryMath("atan2", y, x, false);
/**
 * Python's modulus: a − b·⌊a/b⌋, with the sign of the divisor b (PyTorch's remainder,
 * NumPy's mod). Integer inputs stay integer (a zero divisor raises ValueError); float inputs
 * give NaN for b = 0. Gradients 1 for a and −⌊a/b⌋ for b.
 * @example
 * ```ts
 * st.remainder(st.tensor([-7, 7]), 3) // [2, 1]
 * ```
 */
export const remainder = (a: TensorLike, b: TensorLike) => binaryMath("remainder", a, b, true);
/**
 * C's fmod: a − b·trunc(a/b), with the sign of the dividend a (PyTorch's fmod). Integer inputs
 * stay integer. Gradients 1 for a and −trunc(a/b) for b.
 * @example
 * ```ts
 * st.fmod(st.tensor([-7, 7]), 3) // [-1, 1]
 * ```
 */
export const fmod = (a: TensorLike, b: TensorLike) => binaryMath("fmod", a, b, true);
/**
 * √(a² + b²) without overflow or underflow in the squares. Gradients a/h and b/h.
 * @example
 * ```ts
 * st.hypot(st.tensor([3]), st.tensor([4])) // [5]
 * ```
 */
export const hypot = (a: TensorLike, b: TensorLike) => binaryMath("hypot", a, b, false);

/**
 * Linear interpolation start + weight·(end − start), elementwise with broadcasting (weight a
 * number or a tensor). Gradients 1 − weight, weight and end − start.
 * @example
 * ```ts
 * st.lerp(st.tensor([0, 10], { dtype: "float32" }), st.tensor([10, 20], { dtype: "float32" }), 0.5) // [5, 15]
 * ```
 */
export function lerp(start: Tensor, end: TensorLike, weight: TensorLike): Tensor {
  checkTensorArg("lerp", "start", start);
  const dtype = resultType(start, end);
  if (!isFloat(dtype)) throw new ValueError(`lerp: expected floating-point start and end (got ${dtype}); cast first, e.g. x.float()`);
  return add(start, mul(weight, sub(end, start)));
}

/** −⌊a/b⌋ or −trunc(a/b): the divisor's gradient of remainder / fmod. */
export function quotientGrad(a: Tensor, b: Tensor, trunc: boolean): Tensor {
  const q = div(a, b);
  const r = trunc ? where(lt(q, 0), ceil(q), floor(q)) : floor(q);
  return neg(r);
}
