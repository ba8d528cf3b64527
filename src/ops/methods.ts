// Method forms of the elementwise, cast, reduction and product ops (x.add(y), x.sum(1), x.matmul(w),
// …), attached to Tensor's prototype with declaration merging so that core/ need not import ops/;
// the shape and indexing methods (x.reshape, x.T, x.slice, …) are in methods-shape.ts.

import type { DType } from "../core/dtype.js";
import { Tensor } from "../core/tensor.js";
import * as E from "./elementwise.js";
import * as L from "./linalg.js";
import * as R from "./reduce.js";
import type { TensorLike } from "./util.js";
import { checkDType } from "../core/validate.js";

declare module "../core/tensor.js" {
  interface Tensor {
    /**
     * Elementwise sum `this + o`, broadcasting; dtype by promotion (int32 with a float gives
     * float32; float32 with float64 gives float64). Method form of {@link index.add | st.add}.
     * @example st.tensor([1, 2]).add(st.tensor([[10], [20]])); // [[11, 12], [21, 22]] (int32)
     */
    add(o: TensorLike): Tensor;
    /**
     * Elementwise difference `this − o`, broadcasting; dtype by promotion (int32 with a float gives
     * float32; float32 with float64 gives float64). Method form of {@link index.sub | st.sub}.
     * @example st.tensor([5, 7]).sub(2); // [3, 5] (int32)
     */
    sub(o: TensorLike): Tensor;
    /**
     * Elementwise product `this · o`, broadcasting; dtype by promotion (int32 with a float gives
     * float32; float32 with float64 gives float64). Method form of {@link index.mul | st.mul}.
     * @example st.tensor([1, 2, 3]).mul(0.5); // [0.5, 1, 1.5] (float32)
     */
    mul(o: TensorLike): Tensor;
    /**
     * Elementwise true division `this / o` with broadcasting; integer inputs give float32
     * (PyTorch's true division). Method form of {@link index.div | st.div}.
     * @example st.tensor([1, 2, 3]).div(2); // [0.5, 1, 1.5] (float32)
     */
    div(o: TensorLike): Tensor;
    /**
     * Elementwise power `thisᵒ`, broadcasting; dtype by promotion (int32 with a float gives
     * float32; float32 with float64 gives float64). Method form of {@link index.pow | st.pow}.
     * @example st.tensor([1, 2, 3]).pow(2); // [1, 4, 9] (int32)
     */
    pow(o: TensorLike): Tensor;
    /**
     * Elementwise max(this, o) (NaN propagates), broadcasting; dtype by promotion (int32 with a
     * float gives float32; float32 with float64 gives float64). Method form of {@link index.maximum
     * | st.maximum}.
     * @example st.tensor([1, 5]).maximum(st.tensor([3, 2])); // [3, 5] (int32)
     */
    maximum(o: TensorLike): Tensor;
    /**
     * Elementwise min(this, o) (NaN propagates), broadcasting; dtype by promotion (int32 with a
     * float gives float32; float32 with float64 gives float64). Method form of {@link index.minimum
     * | st.minimum}.
     * @example st.tensor([1, 5]).minimum(st.tensor([3, 2])); // [1, 2] (int32)
     */
    minimum(o: TensorLike): Tensor;
    /**
     * Elementwise −x, same dtype (bool is refused: invert a mask with logicalNot). See {@link
     * index.neg | st.neg}.
     * @example st.tensor([1, -2]).neg(); // [-1, 2] (int32)
     */
    neg(): Tensor;
    /**
     * Elementwise |x|, same dtype. See {@link index.abs | st.abs}.
     * @example st.tensor([-1, 2]).abs(); // [1, 2] (int32)
     */
    abs(): Tensor;
    /**
     * Elementwise sign(x) ∈ {−1, 0, 1}, same dtype (gradient 0). See {@link index.sign | st.sign}.
     * @example st.tensor([-2, 0, 3]).sign(); // [-1, 0, 1] (int32)
     */
    sign(): Tensor;
    /**
     * Elementwise eˣ; integer input gives float32. See {@link index.exp | st.exp}.
     * @example st.tensor([0, 1]).exp(); // [1, 2.7183] (float32)
     */
    exp(): Tensor;
    /**
     * Elementwise eˣ − 1, accurate near 0; integer input gives float32. See {@link index.expm1 | st.expm1}.
     * @example st.tensor([1e-10], { dtype: "float64" }).expm1(); // [1e-10] (float64)
     */
    expm1(): Tensor;
    /**
     * Elementwise natural log ln x (−inf at 0, NaN below); integer input gives float32. See {@link
     * index.log | st.log}.
     * @example st.tensor([1, Math.E]).log(); // [0, 1] (float32)
     */
    log(): Tensor;
    /**
     * Elementwise ln(1 + x), accurate near 0; integer input gives float32. See {@link index.log1p |
     * st.log1p}.
     * @example st.tensor([1e-10], { dtype: "float64" }).log1p(); // [1e-10] (float64)
     */
    log1p(): Tensor;
    /**
     * Elementwise √x; integer input gives float32. See {@link index.sqrt | st.sqrt}.
     * @example st.tensor([4, 9]).sqrt(); // [2, 3] (float32)
     */
    sqrt(): Tensor;
    /**
     * Elementwise 1/√x; integer input gives float32. See {@link index.rsqrt | st.rsqrt}.
     * @example st.tensor([4, 16]).rsqrt(); // [0.5, 0.25] (float32)
     */
    rsqrt(): Tensor;
    /**
     * Elementwise x², same dtype. See {@link index.square | st.square}.
     * @example st.tensor([-3, 2]).square(); // [9, 4] (int32)
     */
    square(): Tensor;
    /**
     * Elementwise sin x (radians); integer input gives float32. See {@link index.sin | st.sin}.
     * @example st.tensor([0, Math.PI / 2]).sin(); // [0, 1] (float32)
     */
    sin(): Tensor;
    /**
     * Elementwise cos x (radians); integer input gives float32. See {@link index.cos | st.cos}.
     * @example st.tensor([0, Math.PI]).cos(); // [1, -1] (float32)
     */
    cos(): Tensor;
    /**
     * Elementwise tanh x; integer input gives float32. See {@link index.tanh | st.tanh}.
     * @example st.tensor([0, 100]).tanh(); // [0, 1] (float32)
     */
    tanh(): Tensor;
    /**
     * Elementwise σ(x) = 1/(1 + e⁻ˣ), without overflow for any x; integer input gives float32. See
     * {@link index.sigmoid | st.sigmoid}.
     * @example st.tensor([0, -1000]).sigmoid(); // [0.5, 0] (float32)
     */
    sigmoid(): Tensor;
    /**
     * Elementwise max(x, 0), same dtype (gradient 0 at x = 0, like PyTorch). See {@link index.relu
     * | st.relu}.
     * @example st.tensor([-1, 0, 2]).relu(); // [0, 0, 2] (int32)
     */
    relu(): Tensor;
    /**
     * Elementwise error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt; integer input gives float32. See
     * {@link index.erf | st.erf}.
     * @example st.tensor([0, 1]).erf(); // [0, 0.8427] (float32)
     */
    erf(): Tensor;
    /**
     * Elementwise ⌊x⌋, same dtype (gradient 0). See {@link index.floor | st.floor}.
     * @example st.tensor([1.5, -1.5]).floor(); // [1, -2] (float32)
     */
    floor(): Tensor;
    /**
     * Elementwise ⌈x⌉, same dtype (gradient 0). See {@link index.ceil | st.ceil}.
     * @example st.tensor([1.5, -1.5]).ceil(); // [2, -1] (float32)
     */
    ceil(): Tensor;
    /**
     * Elementwise rounding to the nearest integer, halves to even (like PyTorch and NumPy), same
     * dtype. See {@link index.round | st.round}.
     * @example st.tensor([0.5, 1.5, 2.5, -0.5]).round(); // [0, 2, 2, 0] (float32)
     */
    round(): Tensor;
    /**
     * Elementwise min(max(x, lo), hi); `null`/omitted leaves that side open. Same dtype. See {@link
     * index.clamp | st.clamp}.
     * @example st.tensor([-2, 0.5, 3]).clamp(0, 1); // [0, 0.5, 1] (float32)
     */
    clamp(lo?: number | null, hi?: number | null): Tensor;
    /**
     * Elementwise `this == o` with broadcasting; a bool tensor. See {@link index.eq | st.eq}.
     * @example st.tensor([1, 2]).eq(2); // [false, true] (bool)
     */
    eq(o: TensorLike): Tensor;
    /**
     * Elementwise `this != o` with broadcasting; a bool tensor (true where either is NaN). See
     * {@link index.ne | st.ne}.
     * @example st.tensor([1, 2]).ne(2); // [true, false] (bool)
     */
    ne(o: TensorLike): Tensor;
    /**
     * Elementwise `this < o` with broadcasting; a bool tensor. See {@link index.lt | st.lt}.
     * @example st.tensor([1, 2, 3]).lt(2); // [true, false, false] (bool)
     */
    lt(o: TensorLike): Tensor;
    /**
     * Elementwise `this ≤ o` with broadcasting; a bool tensor. See {@link index.le | st.le}.
     * @example st.tensor([1, 2, 3]).le(2); // [true, true, false] (bool)
     */
    le(o: TensorLike): Tensor;
    /**
     * Elementwise `this > o` with broadcasting; a bool tensor. See {@link index.gt | st.gt}.
     * @example st.tensor([1, 2, 3]).gt(2); // [false, false, true] (bool)
     */
    gt(o: TensorLike): Tensor;
    /**
     * Elementwise `this ≥ o` with broadcasting; a bool tensor. See {@link index.ge | st.ge}.
     * @example st.tensor([1, 2, 3]).ge(2); // [false, true, true] (bool)
     */
    ge(o: TensorLike): Tensor;
    /**
     * Elementwise logical AND (non-zero is true) with broadcasting; a bool tensor. See {@link
     * index.logicalAnd | st.logicalAnd}.
     * @example st.tensor([true, true, false]).logicalAnd(st.tensor([true, false, false])); // [true, false, false] (bool)
     */
    logicalAnd(o: TensorLike): Tensor;
    /**
     * Elementwise logical OR (non-zero is true) with broadcasting; a bool tensor. See {@link
     * index.logicalOr | st.logicalOr}.
     * @example st.tensor([true, false, false]).logicalOr(st.tensor([false, false, true])); // [true, false, true] (bool)
     */
    logicalOr(o: TensorLike): Tensor;
    /**
     * Elementwise logical NOT (zero becomes true); a bool tensor. See {@link index.logicalNot |
     * st.logicalNot}.
     * @example st.tensor([true, false]).logicalNot(); // [false, true] (bool)
     */
    logicalNot(): Tensor;
    /**
     * Elementwise test for a finite value (not ±inf, not NaN); a bool tensor. See {@link
     * index.isFinite | st.isFinite}.
     * @example st.tensor([1, Infinity, NaN]).isFinite(); // [true, false, false] (bool)
     */
    isFinite(): Tensor;
    /**
     * Elementwise test for NaN; a bool tensor. See {@link index.isNaN | st.isNaN}.
     * @example st.tensor([1, NaN]).isNaN(); // [false, true] (bool)
     */
    isNaN(): Tensor;
    /**
     * Converts to another dtype (a no-op when it already has it); float to int32 truncates toward
     * 0, non-zero to bool is true. See {@link index.cast | st.cast}.
     * @example st.tensor([1.7, -1.7]).to("int32"); // [1, -1] (int32)
     */
    to(dtype: DType): Tensor;
    /**
     * Converts to float32 (`to("float32")`).
     * @example st.tensor([1, 2]).float(); // [1, 2] (float32)
     */
    float(): Tensor;
    /**
     * Converts to float64 (`to("float64")`), e.g. for gradcheck.
     * @example st.tensor([1, 2]).double(); // [1, 2] (float64)
     */
    double(): Tensor;
    /**
     * Converts to int32 (`to("int32")`), truncating toward 0.
     * @example st.tensor([1.7, -1.7]).int(); // [1, -1] (int32)
     */
    int(): Tensor;
    /**
     * Converts to bool (`to("bool")`): non-zero is true.
     * @example st.tensor([0, 2]).bool(); // [false, true] (bool)
     */
    bool(): Tensor;
    /**
     * Sum Σx over `dims`. `dims`: a dim, an array of dims (negative counts from the end) or omitted
     * for all; `keepdim` (default false) keeps reduced dims with size 1. int32 and bool sum to
     * int32; floats keep their dtype. See {@link index.sum | st.sum}.
     * @example st.tensor([[1, 2], [3, 4]]).sum(1); // [3, 7] (int32)
     */
    sum(dims?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * Arithmetic mean Σx / n over `dims`. `dims`: a dim, an array of dims (negative counts from the
     * end) or omitted for all; `keepdim` (default false) keeps reduced dims with size 1. Integer
     * input gives float32. See {@link index.mean | st.mean}.
     * @example st.tensor([[1, 2], [3, 4]]).mean(0); // [2, 3] (float32)
     */
    mean(dims?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * Product Πx over `dims`. `dims`: a dim, an array of dims (negative counts from the end) or
     * omitted for all; `keepdim` (default false) keeps reduced dims with size 1. See {@link
     * index.prod | st.prod}.
     * @example st.tensor([1, 2, 3, 4]).prod(); // 24 (int32)
     */
    prod(dims?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * Maximum over `dims` (values only; use argmax for indices; NaN propagates). `dims`: a dim, an
     * array of dims (negative counts from the end) or omitted for all; `keepdim` (default false)
     * keeps reduced dims with size 1. Same dtype. See {@link index.max | st.max}.
     * @example st.tensor([[1, 5], [7, 2]]).max(1); // [5, 7] (int32)
     */
    max(dims?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * Minimum over `dims` (values only; use argmin for indices; NaN propagates). `dims`: a dim, an
     * array of dims (negative counts from the end) or omitted for all; `keepdim` (default false)
     * keeps reduced dims with size 1. Same dtype. See {@link index.min | st.min}.
     * @example st.tensor([[1, 5], [7, 2]]).min(1); // [1, 2] (int32)
     */
    min(dims?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * Maximum over `dims`, the same as {@link Tensor.max | max} (PyTorch's `amax`). `dims`: a dim,
     * an array of dims (negative counts from the end) or omitted for all; `keepdim` (default false)
     * keeps reduced dims with size 1. See {@link index.amax | st.amax}.
     * @example st.tensor([[1, 5], [7, 2]]).amax(0); // [7, 5] (int32)
     */
    amax(dims?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * Minimum over `dims`, the same as {@link Tensor.min | min} (PyTorch's `amin`). `dims`: a dim,
     * an array of dims (negative counts from the end) or omitted for all; `keepdim` (default false)
     * keeps reduced dims with size 1. See {@link index.amin | st.amin}.
     * @example st.tensor([[1, 5], [7, 2]]).amin(0); // [1, 2] (int32)
     */
    amin(dims?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * Index of the maximum along `dim` (omitted: of the flattened tensor), the first on ties;
     * int32. See {@link index.argmax | st.argmax}.
     * @example st.tensor([[1, 5], [7, 2]]).argmax(1); // [1, 0] (int32)
     */
    argmax(dim?: number, keepdim?: boolean): Tensor;
    /**
     * Index of the minimum along `dim` (omitted: of the flattened tensor), the first on ties;
     * int32. See {@link index.argmin | st.argmin}.
     * @example st.tensor([[1, 5], [7, 2]]).argmin(1); // [0, 1] (int32)
     */
    argmin(dim?: number, keepdim?: boolean): Tensor;
    /**
     * Variance Σ(x − x̄)² / (n − correction) over `dims`; `opts.correction` defaults to 1
     * (Bessel's, like PyTorch), `opts.keepdim` to false. Integer input gives float32. See {@link
     * index.var | st.var}.
     * @example st.tensor([1, 2, 3, 4]).var(undefined, { correction: 0 }); // 1.25 (float32)
     */
    var(dims?: R.Dims, opts?: R.VarOptions): Tensor;
    /**
     * Standard deviation √var over `dims`; `opts.correction` defaults to 1 (Bessel's),
     * `opts.keepdim` to false. See {@link index.std | st.std}.
     * @example st.tensor([1, 2, 3, 4]).std(); // 1.291 (float32)
     */
    std(dims?: R.Dims, opts?: R.VarOptions): Tensor;
    /**
     * log Σ eˣ over `dims`, computed as m + log Σ e^(x − m) with m = max x, so it never overflows.
     * `dims`: a dim, an array of dims (negative counts from the end) or omitted for all; `keepdim`
     * (default false) keeps reduced dims with size 1. See {@link index.logsumexp | st.logsumexp}.
     * @example st.tensor([1000, 1000]).logsumexp(); // 1000.7 (float32)
     */
    logsumexp(dims?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * softmax(x)ᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m) along `dim` (default −1, the last), m = max x:
     * stable at any magnitude. See {@link index.softmax | st.softmax}.
     * @example st.tensor([1000, 1000]).softmax(); // [0.5, 0.5] (float32)
     */
    softmax(dim?: number): Tensor;
    /**
     * log softmax(x) = x − logsumexp(x) along `dim` (default −1), stable at any magnitude. See
     * {@link index.logSoftmax | st.logSoftmax}.
     * @example st.tensor([0, 0]).logSoftmax(); // [-0.69315, -0.69315] (float32)
     */
    logSoftmax(dim?: number): Tensor;
    /**
     * The p-norm (Σ|x|ᵖ)^(1/p) over `dims`; `p` defaults to 2, and ∞ gives max |x|. Integer input
     * gives float32. See {@link index.norm | st.norm}.
     * @example st.tensor([3, 4]).norm(); // 5 (float32)
     */
    norm(p?: R.NormOrd, dims?: R.Dims, keepdim?: boolean): Tensor;
    /**
     * Matrix product with NumPy semantics: 1-D·1-D is a dot product, batch dims broadcast; inner
     * sizes must agree (ShapeError otherwise). See {@link index.matmul | st.matmul}.
     * @example st.tensor([[1, 2], [3, 4]]).matmul(st.tensor([[1], [1]])); // [[3], [7]] (int32)
     */
    matmul(o: Tensor): Tensor;
    /**
     * Dot product Σ aᵢbᵢ of two 1-D tensors of the same length; a 0-d tensor. See {@link index.dot | st.dot}.
     * @example st.tensor([1, 2, 3]).dot(st.tensor([4, 5, 6])); // 32 (int32)
     */
    dot(o: Tensor): Tensor;
    /**
     * Outer product aᵢbⱼ of two 1-D tensors: shape [a.length, b.length]. See {@link index.outer | st.outer}.
     * @example st.tensor([1, 2]).outer(st.tensor([1, 10])); // [[1, 10], [2, 20]] (int32)
     */
    outer(o: Tensor): Tensor;
  }
}


const proto = Tensor.prototype as unknown as Record<string, unknown>;
const binary = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr"] as const;
for (const name of binary) {
  const f = E[name] as (a: TensorLike, b: TensorLike) => Tensor;
  proto[name] = function (this: Tensor, o: TensorLike) { return f(this, o); };
}
const unaryNames = ["neg", "abs", "sign", "exp", "expm1", "log", "log1p", "sqrt", "rsqrt", "square", "sin", "cos", "tanh", "sigmoid", "relu", "erf", "floor", "ceil", "round", "logicalNot", "isFinite", "isNaN"] as const;
for (const name of unaryNames) {
  const f = E[name] as (a: Tensor) => Tensor;
  proto[name] = function (this: Tensor) { return f(this); };
}

Object.assign(proto, {
  clamp(this: Tensor, lo?: number | null, hi?: number | null) { return E.clamp(this, lo, hi); },
  to(this: Tensor, d: DType) { checkDType("to", d); return E.cast(this, d); },
  float(this: Tensor) { return E.cast(this, "float32"); },
  double(this: Tensor) { return E.cast(this, "float64"); },
  int(this: Tensor) { return E.cast(this, "int32"); },
  bool(this: Tensor) { return E.cast(this, "bool"); },
  sum(this: Tensor, d?: R.Dims, k?: boolean) { return R.sum(this, d, k); },
  mean(this: Tensor, d?: R.Dims, k?: boolean) { return R.mean(this, d, k); },
  prod(this: Tensor, d?: R.Dims, k?: boolean) { return R.prod(this, d, k); },
  max(this: Tensor, d?: R.Dims, k?: boolean) { return R.max(this, d, k); },
  min(this: Tensor, d?: R.Dims, k?: boolean) { return R.min(this, d, k); },
  amax(this: Tensor, d?: R.Dims, k?: boolean) { return R.max(this, d, k); },
  amin(this: Tensor, d?: R.Dims, k?: boolean) { return R.min(this, d, k); },
  argmax(this: Tensor, d?: number, k?: boolean) { return R.argmax(this, d, k); },
  argmin(this: Tensor, d?: number, k?: boolean) { return R.argmin(this, d, k); },
  var(this: Tensor, d?: R.Dims, o?: R.VarOptions) { return R.variance(this, d, o); },
  std(this: Tensor, d?: R.Dims, o?: R.VarOptions) { return R.std(this, d, o); },
  logsumexp(this: Tensor, d?: R.Dims, k?: boolean) { return R.logsumexp(this, d, k); },
  softmax(this: Tensor, d?: number) { return R.softmax(this, d); },
  logSoftmax(this: Tensor, d?: number) { return R.logSoftmax(this, d); },
  norm(this: Tensor, p?: R.NormOrd, d?: R.Dims, k?: boolean) { return R.norm(this, p, d, k); },
  matmul(this: Tensor, o: Tensor) { return L.matmul(this, o); },
  dot(this: Tensor, o: Tensor) { return L.dot(this, o); },
  outer(this: Tensor, o: Tensor) { return L.outer(this, o); },
});
