// Elementwise ops: unary maps, broadcasting binary arithmetic, comparisons, logic, where, clamp.

import { K } from "../backend/registry.js";
import type { BinaryKernelName, UnaryKernelName } from "../backend/backend.js";
import { type DType, isFloat } from "../core/dtype.js";
import { DTypeError, ValueError } from "../core/errors.js";
import { broadcastShapes, shapesEqual } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { record } from "./record.js";
import { type TensorLike, empty, emptyForKernel, resultType, toTensor } from "./util.js";

type FloatUnary = "exp" | "expm1" | "log" | "log1p" | "sqrt" | "rsqrt" | "sin" | "cos" | "tanh" | "sigmoid" | "erf";

/** What each differentiable unary op saves for its backward: its input or its output. */
const SAVES: Record<Exclude<UnaryKernelName, "isFinite" | "isNaN" | "logicalNot" | "cast">, "in" | "out" | "none"> = {
  neg: "none", abs: "in", sign: "none", exp: "out", expm1: "in", log: "in", log1p: "in", sqrt: "out",
  rsqrt: "out", square: "in", sin: "in", cos: "in", tanh: "out", sigmoid: "out", relu: "out", erf: "in",
  floor: "none", ceil: "none", round: "none",
};

function unary(op: keyof typeof SAVES, x: Tensor, floatOut: boolean): Tensor {
  checkTensor(op, x);
  const dtype: DType = floatOut && !isFloat(x.dtype) ? "float32" : x.dtype === "bool" ? "int32" : x.dtype;
  const out = emptyForKernel(x.shape.slice(), dtype);
  K.unary[op](x._data, out._data);
  const s = SAVES[op];
  return record(op, [x], out, s === "in" ? [x] : s === "out" ? [out] : [], null);
}

function checkTensor(op: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: expected a Tensor (got ${x === null ? "null" : typeof x})`);
}

const floatUnary = (op: FloatUnary) => (x: Tensor) => unary(op, x, true);

/** −x */
export const neg = (x: Tensor) => unary("neg", x, false);
/** |x| */
export const abs = (x: Tensor) => unary("abs", x, false);
/** sign(x) ∈ {−1, 0, 1} (gradient 0). */
export const sign = (x: Tensor) => unary("sign", x, false);
/** eˣ */
export const exp = floatUnary("exp");
/** eˣ − 1, accurate near 0. */
export const expm1 = floatUnary("expm1");
/** ln x */
export const log = floatUnary("log");
/** ln(1 + x), accurate near 0. */
export const log1p = floatUnary("log1p");
/** √x */
export const sqrt = floatUnary("sqrt");
/** 1/√x */
export const rsqrt = floatUnary("rsqrt");
/** x² */
export const square = (x: Tensor) => unary("square", x, false);
export const sin = floatUnary("sin");
export const cos = floatUnary("cos");
/** tanh x */
export const tanh = floatUnary("tanh");
/** σ(x) = 1/(1 + e⁻ˣ), evaluated without overflow for any x. */
export const sigmoid = floatUnary("sigmoid");
/** max(x, 0) (gradient 0 at x = 0, like PyTorch). */
export const relu = (x: Tensor) => unary("relu", x, false);
/** erf(x) = 2/√π ∫₀ˣ e^(−t²) dt */
export const erf = floatUnary("erf");
export const floor = (x: Tensor) => unary("floor", x, false);
export const ceil = (x: Tensor) => unary("ceil", x, false);
/** Round half to even. */
export const round = (x: Tensor) => unary("round", x, false);

/** Converts to `dtype` (float → int truncates toward zero; nonzero → true). */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor("cast", x);
  if (x.dtype === dtype) return x;
  const out = empty(x.shape.slice(), dtype);
  K.unary.cast(x._data, out._data);
  return isFloat(dtype) && isFloat(x.dtype) ? record("cast", [x], out, [], { dtype }) : out;
}

function predicate(op: "isFinite" | "isNaN" | "logicalNot", x: Tensor): Tensor {
  checkTensor(op, x);
  const out = empty(x.shape.slice(), "bool");
  K.unary[op](x._data, out._data);
  return out;
}
/** Elementwise: true where x is neither NaN nor ±∞. */
export const isFinite = (x: Tensor) => predicate("isFinite", x);
export const isNaN = (x: Tensor) => predicate("isNaN", x);
export const logicalNot = (x: Tensor) => predicate("logicalNot", x);

type ArithOp = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum";

/** What each binary op's backward reads. */
const BIN_SAVES: Record<ArithOp, "none" | "in" | "inout"> = {
  add: "none", sub: "none", mul: "in", div: "in", pow: "inout", maximum: "in", minimum: "in",
};

function binary(op: ArithOp, a: TensorLike, b: TensorLike): Tensor {
  let dtype = resultType(a, b);
  if ((op === "div" || (op === "pow" && dtype !== "int32")) && !isFloat(dtype)) dtype = "float32";
  if (dtype === "bool" && op !== "maximum" && op !== "minimum") {
    if (op === "sub") throw new DTypeError("sub: subtraction of two bool tensors is not supported (use logicalXor or cast first)");
    dtype = "int32";
  }
  if (op === "pow" && dtype === "int32" && typeof b === "number" && b < 0) {
    // PyTorch refuses too: the result would silently truncate to 0
    throw new ValueError(`pow: integers to negative integer powers are not allowed (got exponent ${b} for an int32 base); cast the base to float first`);
  }
  const ta = toTensor(op, a, dtype);
  const tb = toTensor(op, b, dtype);
  const outShape = shapesEqual(ta.shape, tb.shape) ? ta.shape.slice() : broadcastShapes(op, ta.shape, tb.shape);
  const out = emptyForKernel(outShape, dtype);
  K.binary[op](ta._data, ta.shape, tb._data, tb.shape, out._data, outShape);
  const s = BIN_SAVES[op];
  return record(op, [ta, tb], out, s === "none" ? [] : s === "in" ? [ta, tb] : [ta, tb, out], null);
}

/** a + b with broadcasting. @example st.add(x, 1) */
export const add = (a: TensorLike, b: TensorLike) => binary("add", a, b);
/** a − b */
export const sub = (a: TensorLike, b: TensorLike) => binary("sub", a, b);
/** a · b (elementwise; `st.mul(x, 2)` is scalar multiplication) */
export const mul = (a: TensorLike, b: TensorLike) => binary("mul", a, b);
/** a / b (true division: integers give float32) */
export const div = (a: TensorLike, b: TensorLike) => binary("div", a, b);
/** aᵇ */
export const pow = (a: TensorLike, b: TensorLike) => binary("pow", a, b);
/** Elementwise max (NaN propagates; ties share the gradient equally). */
export const maximum = (a: TensorLike, b: TensorLike) => binary("maximum", a, b);
/** Elementwise min. */
export const minimum = (a: TensorLike, b: TensorLike) => binary("minimum", a, b);

type CompareOp = Exclude<BinaryKernelName, ArithOp>;

function compare(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  const dtype = resultType(a, b);
  const ta = toTensor(op, a, op === "logicalAnd" || op === "logicalOr" ? "bool" : dtype);
  const tb = toTensor(op, b, op === "logicalAnd" || op === "logicalOr" ? "bool" : dtype);
  const outShape = shapesEqual(ta.shape, tb.shape) ? ta.shape.slice() : broadcastShapes(op, ta.shape, tb.shape);
  const out = empty(outShape, "bool");
  K.binary[op](ta._data, ta.shape, tb._data, tb.shape, out._data, outShape);
  return out;
}

export const eq = (a: TensorLike, b: TensorLike) => compare("eq", a, b);
export const ne = (a: TensorLike, b: TensorLike) => compare("ne", a, b);
export const lt = (a: TensorLike, b: TensorLike) => compare("lt", a, b);
export const le = (a: TensorLike, b: TensorLike) => compare("le", a, b);
export const gt = (a: TensorLike, b: TensorLike) => compare("gt", a, b);
export const ge = (a: TensorLike, b: TensorLike) => compare("ge", a, b);
export const logicalAnd = (a: TensorLike, b: TensorLike) => compare("logicalAnd", a, b);
export const logicalOr = (a: TensorLike, b: TensorLike) => compare("logicalOr", a, b);

/**
 * cond ? a : b elementwise, all three broadcast together.
 * @example st.where(x.gt(0), x, 0) // relu
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor("where", cond);
  if (cond.dtype !== "bool") throw new DTypeError(`where: condition must be a bool tensor (got ${cond.dtype}); compare first, e.g. x.gt(0)`);
  const dtype = resultType(a, b);
  const ta = toTensor("where", a, dtype);
  const tb = toTensor("where", b, dtype);
  const outShape = broadcastShapes("where", broadcastShapes("where", cond.shape, ta.shape), tb.shape);
  const out = emptyForKernel(outShape, dtype);
  K.where(cond._data as Uint8Array, cond.shape, ta._data, ta.shape, tb._data, tb.shape, out._data, outShape);
  return record("where", [ta, tb], out, [cond], null);
}

/**
 * Limits values to [lo, hi] (either bound may be omitted). The gradient passes where
 * lo ≤ x ≤ hi, as in PyTorch.
 */
export function clamp(x: Tensor, lo?: number | null, hi?: number | null): Tensor {
  checkTensor("clamp", x);
  const l = lo ?? -Infinity;
  const h = hi ?? Infinity;
  if (l > h) throw new ValueError(`clamp: min ${l} is greater than max ${h} (expected min <= max)`);
  let dtype = x.dtype;
  if (!isFloat(dtype) && (!Number.isInteger(l) && Number.isFinite(l) || !Number.isInteger(h) && Number.isFinite(h))) dtype = "float32";
  if (dtype === "bool") dtype = "int32";
  const out = emptyForKernel(x.shape.slice(), dtype);
  K.clamp(x._data, l, h, out._data);
  return record("clamp", [x], out, [x], { lo: l, hi: h });
}


