// Elementwise ops: unary maps, broadcasting binary arithmetic, comparisons, logic, where, clamp.

import type { BinaryKernelName, UnaryKernelName } from "../backend/backend.js";
import { type DType, isFloat } from "../core/dtype.js";
import { DTypeError, ValueError } from "../core/errors.js";
import { broadcastShapes, shapesEqual } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { dispatch } from "./dispatch.js";
import { checkDType } from "../core/validate.js";
import { type TensorLike, resultType, toTensor } from "./util.js";

type FloatUnary = "exp" | "expm1" | "log" | "log1p" | "sqrt" | "rsqrt" | "sin" | "cos" | "tanh" | "sigmoid" | "erf";

function unary(op: Exclude<UnaryKernelName, "isFinite" | "isNaN" | "logicalNot" | "cast">, x: Tensor, floatOut: boolean): Tensor {
  checkTensor(op, x);
  const dtype: DType = floatOut && !isFloat(x.dtype) ? "float32" : x.dtype === "bool" ? "int32" : x.dtype;
  return dispatch(op, [x], x.shape.slice(), dtype, null);
}

function checkTensor(op: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: expected a Tensor (got ${x === null ? "null" : typeof x})`);
}

const floatUnary = (op: FloatUnary) => (x: Tensor) => unary(op, x, true);

/**
 * −x (bool tensors are refused, as in PyTorch: invert a mask with logicalNot).
 * @example st.neg(st.tensor([1, -2])); // [-1, 2] (int32)
 */
export const neg = (x: Tensor) => {
  if (x instanceof Tensor && x.dtype === "bool") {
    throw new DTypeError("neg: negation of a bool tensor is not supported (got dtype bool); to invert a mask use x.logicalNot(), to negate numbers cast first: x.int().neg()");
  }
  return unary("neg", x, false);
};
/**
 * |x|
 * @example st.abs(st.tensor([-1, 2])); // [1, 2] (int32)
 */
export const abs = (x: Tensor) => unary("abs", x, false);
/**
 * sign(x) ∈ {−1, 0, 1} (gradient 0).
 * @example st.sign(st.tensor([-2, 0, 3])); // [-1, 0, 1] (int32)
 */
export const sign = (x: Tensor) => unary("sign", x, false);
/**
 * eˣ
 * @example st.exp(st.tensor([0, 1])); // [1, 2.7183] (float32)
 */
export const exp = floatUnary("exp");
/**
 * eˣ − 1, accurate near 0.
 * @example st.expm1(st.tensor([1e-10], { dtype: "float64" })); // [1e-10] (float64)
 */
export const expm1 = floatUnary("expm1");
/**
 * ln x
 * @example st.log(st.tensor([1, Math.E])); // [0, 1] (float32)
 */
export const log = floatUnary("log");
/**
 * ln(1 + x), accurate near 0.
 * @example st.log1p(st.tensor([1e-10], { dtype: "float64" })); // [1e-10] (float64)
 */
export const log1p = floatUnary("log1p");
/**
 * √x
 * @example st.sqrt(st.tensor([4, 9])); // [2, 3] (float32)
 */
export const sqrt = floatUnary("sqrt");
/**
 * 1/√x
 * @example st.rsqrt(st.tensor([4, 16])); // [0.5, 0.25] (float32)
 */
export const rsqrt = floatUnary("rsqrt");
/**
 * x²
 * @example st.square(st.tensor([-3, 2])); // [9, 4] (int32)
 */
export const square = (x: Tensor) => unary("square", x, false);
/**
 * Elementwise sin x (radians); integer input gives float32.
 * @example st.sin(st.tensor([0, Math.PI / 2])); // [0, 1]
 */
export const sin = floatUnary("sin");
/**
 * Elementwise cos x (radians); integer input gives float32.
 * @example st.cos(st.tensor([0, Math.PI])); // [1, -1]
 */
export const cos = floatUnary("cos");
/**
 * tanh x
 * @example st.tanh(st.tensor([0, 100])); // [0, 1] (float32)
 */
export const tanh = floatUnary("tanh");
/**
 * σ(x) = 1/(1 + e⁻ˣ), evaluated without overflow for any x.
 * @example st.sigmoid(st.tensor([0, -1000])); // [0.5, 0] (float32)
 */
export const sigmoid = floatUnary("sigmoid");
/**
 * max(x, 0) (gradient 0 at x = 0, like PyTorch).
 * @example st.relu(st.tensor([-1, 0, 2])); // [0, 0, 2] (int32)
 */
export const relu = (x: Tensor) => unary("relu", x, false);
/**
 * erf(x) = 2/√π ∫₀ˣ e^(−t²) dt
 * @example st.erf(st.tensor([0, 1])); // [0, 0.8427] (float32)
 */
export const erf = floatUnary("erf");
/**
 * Elementwise ⌊x⌋ (largest integer ≤ x), same dtype (gradient 0).
 * @example st.floor(st.tensor([1.5, -1.5])); // [1, -2]
 */
export const floor = (x: Tensor) => unary("floor", x, false);
/**
 * Elementwise ⌈x⌉ (smallest integer ≥ x), same dtype (gradient 0).
 * @example st.ceil(st.tensor([1.5, -1.5])); // [2, -1]
 */
export const ceil = (x: Tensor) => unary("ceil", x, false);
/**
 * Round half to even.
 * @example st.round(st.tensor([0.5, 1.5, 2.5])); // [0, 2, 2] (float32)
 */
export const round = (x: Tensor) => unary("round", x, false);

/**
 * Converts to `dtype` (float → int truncates toward zero; nonzero → true).
 * @example st.cast(st.tensor([1.7, -1.7]), "int32"); // [1, -1] (int32)
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor("cast", x);
  checkDType("cast", dtype);
  if (x.dtype === dtype) return x;
  // recorded only between float dtypes (dispatch records float results of float inputs)
  return dispatch("cast", [x], x.shape.slice(), dtype, null);
}

function predicate(op: "isFinite" | "isNaN" | "logicalNot", x: Tensor): Tensor {
  checkTensor(op, x);
  return dispatch(op, [x], x.shape.slice(), "bool", null);
}
/**
 * Elementwise: true where x is neither NaN nor ±∞.
 * @example st.isFinite(st.tensor([1, Infinity, NaN])); // [true, false, false] (bool)
 */
export const isFinite = (x: Tensor) => predicate("isFinite", x);
/**
 * Elementwise test for NaN; a bool tensor.
 * @example st.isNaN(st.tensor([1, NaN])); // [false, true]
 */
export const isNaN = (x: Tensor) => predicate("isNaN", x);
/**
 * Elementwise logical NOT (zero is false); a bool tensor.
 * @example st.logicalNot(st.tensor([true, false])); // [false, true]
 */
export const logicalNot = (x: Tensor) => predicate("logicalNot", x);

type ArithOp = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum";

function binary(op: ArithOp, a: TensorLike, b: TensorLike): Tensor {
  let dtype = resultType(a, b);
  if ((op === "div" || (op === "pow" && dtype !== "int32")) && !isFloat(dtype)) dtype = "float32";
  if (dtype === "bool" && op !== "maximum" && op !== "minimum") {
    if (op === "sub") throw new DTypeError("sub: subtraction of two bool tensors is not supported (use logicalXor or cast first)");
    // bool + bool is logical or, bool · bool logical and, and the result stays bool (PyTorch)
    if (op === "add" || op === "mul") return compare(op === "add" ? "logicalOr" : "logicalAnd", a, b);
    dtype = "int32";
  }
  if (op === "pow" && dtype === "int32" && typeof b === "number" && b < 0) {
    // PyTorch refuses too: the result would silently truncate to 0
    throw new ValueError(`pow: integers to negative integer powers are not allowed (got exponent ${b} for an int32 base); cast the base to float first`);
  }
  const ta = toTensor(op, a, dtype);
  const tb = toTensor(op, b, dtype);
  const outShape = shapesEqual(ta.shape, tb.shape) ? ta.shape.slice() : broadcastShapes(op, ta.shape, tb.shape);
  return dispatch(op, [ta, tb], outShape, dtype, null);
}

/**
 * a + b elementwise, with broadcasting and dtype promotion (int32 with a float gives float32;
 * float32 with float64 gives float64; a JavaScript number adopts the tensor's dtype when it fits).
 * @example st.add(st.tensor([1, 2]), st.tensor([[10], [20]])); // [[11, 12], [21, 22]] (int32)
 */
export const add = (a: TensorLike, b: TensorLike) => binary("add", a, b);
/**
 * a − b
 * @example st.sub(st.tensor([5, 7]), 2); // [3, 5] (int32)
 */
export const sub = (a: TensorLike, b: TensorLike) => binary("sub", a, b);
/**
 * a · b (elementwise; `st.mul(x, 2)` is scalar multiplication)
 * @example st.mul(st.tensor([1, 2, 3]), 0.5); // [0.5, 1, 1.5] (float32)
 */
export const mul = (a: TensorLike, b: TensorLike) => binary("mul", a, b);
/**
 * a / b (true division: integers give float32)
 * @example st.div(st.tensor([1, 2, 3]), 2); // [0.5, 1, 1.5] (float32)
 */
export const div = (a: TensorLike, b: TensorLike) => binary("div", a, b);
/**
 * aᵇ
 * @example st.pow(st.tensor([1, 2, 3]), 2); // [1, 4, 9] (int32)
 */
export const pow = (a: TensorLike, b: TensorLike) => binary("pow", a, b);
/**
 * Elementwise max (NaN propagates; ties share the gradient equally).
 * @example st.maximum(st.tensor([1, 5]), st.tensor([3, 2])); // [3, 5] (int32)
 */
export const maximum = (a: TensorLike, b: TensorLike) => binary("maximum", a, b);
/**
 * Elementwise min.
 * @example st.minimum(st.tensor([1, 5]), st.tensor([3, 2])); // [1, 2] (int32)
 */
export const minimum = (a: TensorLike, b: TensorLike) => binary("minimum", a, b);

type CompareOp = Exclude<BinaryKernelName, ArithOp>;

function compare(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  const dtype = resultType(a, b);
  const ta = toTensor(op, a, op === "logicalAnd" || op === "logicalOr" ? "bool" : dtype);
  const tb = toTensor(op, b, op === "logicalAnd" || op === "logicalOr" ? "bool" : dtype);
  const outShape = shapesEqual(ta.shape, tb.shape) ? ta.shape.slice() : broadcastShapes(op, ta.shape, tb.shape);
  return dispatch(op, [ta, tb], outShape, "bool", null);
}

/**
 * Elementwise `a == b` with broadcasting (numbers promoted to a common dtype first); a bool tensor.
 * @example st.eq(st.tensor([1, 2]), 2); // [false, true]
 */
export const eq = (a: TensorLike, b: TensorLike) => compare("eq", a, b);
/**
 * Elementwise `a != b` with broadcasting; a bool tensor (true where either is NaN).
 * @example st.ne(st.tensor([1, 2]), 2); // [true, false]
 */
export const ne = (a: TensorLike, b: TensorLike) => compare("ne", a, b);
/**
 * Elementwise `a < b` with broadcasting; a bool tensor.
 * @example st.lt(st.tensor([1, 2, 3]), 2); // [true, false, false]
 */
export const lt = (a: TensorLike, b: TensorLike) => compare("lt", a, b);
/**
 * Elementwise `a ≤ b` with broadcasting; a bool tensor.
 * @example st.le(st.tensor([1, 2, 3]), 2); // [true, true, false]
 */
export const le = (a: TensorLike, b: TensorLike) => compare("le", a, b);
/**
 * Elementwise `a > b` with broadcasting; a bool tensor.
 * @example st.gt(st.tensor([1, 2, 3]), 2); // [false, false, true]
 */
export const gt = (a: TensorLike, b: TensorLike) => compare("gt", a, b);
/**
 * Elementwise `a ≥ b` with broadcasting; a bool tensor.
 * @example st.ge(st.tensor([1, 2, 3]), 2); // [false, true, true]
 */
export const ge = (a: TensorLike, b: TensorLike) => compare("ge", a, b);
/**
 * Elementwise logical AND (non-zero is true) with broadcasting; a bool tensor.
 * @example st.logicalAnd(st.tensor([true, true]), st.tensor([true, false])); // [true, false]
 */
export const logicalAnd = (a: TensorLike, b: TensorLike) => compare("logicalAnd", a, b);
/**
 * Elementwise logical OR (non-zero is true) with broadcasting; a bool tensor.
 * @example st.logicalOr(st.tensor([true, false]), st.tensor([false, false])); // [true, false]
 */
export const logicalOr = (a: TensorLike, b: TensorLike) => compare("logicalOr", a, b);

/**
 * cond ? a : b elementwise, all three broadcast together.
 * @example
 * const x = st.tensor([-1, 2, -3, 4]);
 * st.where(x.gt(0), x, 0); // relu: [0, 2, 0, 4]
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor("where", cond);
  if (cond.dtype !== "bool") throw new DTypeError(`where: condition must be a bool tensor (got ${cond.dtype}); compare first, e.g. x.gt(0)`);
  const dtype = resultType(a, b);
  const ta = toTensor("where", a, dtype);
  const tb = toTensor("where", b, dtype);
  const outShape = broadcastShapes("where", broadcastShapes("where", cond.shape, ta.shape), tb.shape);
  return dispatch("where", [cond, ta, tb], outShape, dtype, null);
}

/**
 * Limits values to [lo, hi] (either bound may be omitted). The gradient passes where
 * lo ≤ x ≤ hi, as in PyTorch.
 * @example st.clamp(st.tensor([-2, 0.5, 3]), 0, 1); // [0, 0.5, 1] (float32)
 */
export function clamp(x: Tensor, lo?: number | null, hi?: number | null): Tensor {
  checkTensor("clamp", x);
  const l = lo ?? -Infinity;
  const h = hi ?? Infinity;
  if (l > h) throw new ValueError(`clamp: min ${l} is greater than max ${h} (expected min <= max)`);
  let dtype = x.dtype;
  if (!isFloat(dtype) && (!Number.isInteger(l) && Number.isFinite(l) || !Number.isInteger(h) && Number.isFinite(h))) dtype = "float32";
  if (dtype === "bool") dtype = "int32";
  return dispatch("clamp", [x], x.shape.slice(), dtype, { lo: l, hi: h });
}


