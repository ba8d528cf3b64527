// Method forms of the ops (x.add(y), x.sum(1), x.T, …), attached to Tensor's prototype with
// declaration merging so that core/ need not import ops/.

import type { DType } from "../core/dtype.js";
import { Tensor } from "../core/tensor.js";
import { fromTypedArray } from "../core/tensor-internals.js";
import * as E from "./elementwise.js";
import * as I from "./indexing.js";
import * as L from "./linalg.js";
import * as R from "./reduce.js";
import * as S from "./shape.js";
import type { TensorLike } from "./util.js";
import { checkDType } from "../core/validate.js";

declare module "../core/tensor.js" {
  interface Tensor {
    add(o: TensorLike): Tensor; sub(o: TensorLike): Tensor; mul(o: TensorLike): Tensor; div(o: TensorLike): Tensor;
    pow(o: TensorLike): Tensor; maximum(o: TensorLike): Tensor; minimum(o: TensorLike): Tensor;
    neg(): Tensor; abs(): Tensor; sign(): Tensor; exp(): Tensor; expm1(): Tensor; log(): Tensor; log1p(): Tensor;
    sqrt(): Tensor; rsqrt(): Tensor; square(): Tensor; sin(): Tensor; cos(): Tensor; tanh(): Tensor;
    sigmoid(): Tensor; relu(): Tensor; erf(): Tensor; floor(): Tensor; ceil(): Tensor; round(): Tensor;
    clamp(lo?: number | null, hi?: number | null): Tensor;
    eq(o: TensorLike): Tensor; ne(o: TensorLike): Tensor; lt(o: TensorLike): Tensor; le(o: TensorLike): Tensor;
    gt(o: TensorLike): Tensor; ge(o: TensorLike): Tensor; logicalAnd(o: TensorLike): Tensor; logicalOr(o: TensorLike): Tensor;
    logicalNot(): Tensor; isFinite(): Tensor; isNaN(): Tensor;
    /** Converts to another dtype (a no-op when it already has it). */
    to(dtype: DType): Tensor; float(): Tensor; double(): Tensor; int(): Tensor; bool(): Tensor;
    sum(dims?: R.Dims, keepdim?: boolean): Tensor; mean(dims?: R.Dims, keepdim?: boolean): Tensor;
    prod(dims?: R.Dims, keepdim?: boolean): Tensor; max(dims?: R.Dims, keepdim?: boolean): Tensor;
    min(dims?: R.Dims, keepdim?: boolean): Tensor; amax(dims?: R.Dims, keepdim?: boolean): Tensor; amin(dims?: R.Dims, keepdim?: boolean): Tensor;
    argmax(dim?: number, keepdim?: boolean): Tensor; argmin(dim?: number, keepdim?: boolean): Tensor;
    var(dims?: R.Dims, opts?: R.VarOptions): Tensor; std(dims?: R.Dims, opts?: R.VarOptions): Tensor;
    logsumexp(dims?: R.Dims, keepdim?: boolean): Tensor; softmax(dim?: number): Tensor; logSoftmax(dim?: number): Tensor;
    norm(p?: R.NormOrd, dims?: R.Dims, keepdim?: boolean): Tensor;
    matmul(o: Tensor): Tensor; dot(o: Tensor): Tensor; outer(o: Tensor): Tensor;
    reshape(...shape: number[] | [readonly number[]]): Tensor; view(...shape: number[] | [readonly number[]]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor; squeeze(dim?: number | number[]): Tensor; unsqueeze(dim: number): Tensor;
    expand(...shape: number[] | [readonly number[]]): Tensor; broadcastTo(shape: readonly number[]): Tensor;
    permute(...perm: number[] | [readonly number[]]): Tensor; transpose(dim0?: number, dim1?: number): Tensor;
    /** Transpose: reverses all dims (a matrix's transpose for 2-D). */
    readonly T: Tensor;
    /** Transpose of the last two dims (batched matrices). */
    readonly mT: Tensor;
    contiguous(): Tensor; clone(): Tensor;
    /**
     * Positional numbers slice dim 0 like Array.prototype.slice (`x.slice(1, 3)`: rows 1..2);
     * arrays give one [start, stop, step] range per dim (`x.slice(null, [1, 3])`). See st.slice.
     */
    slice(start?: number, end?: number | null, step?: number): Tensor;
    slice(...ranges: S.SliceRange[]): Tensor;
    /** NumPy basic indexing: a number picks one index and drops the dim (`x.index(1, 3)` is x[1, 3]). See st.index. */
    index(...specs: S.SliceSpec[]): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    split(sizeOrSections: number | readonly number[], dim?: number): Tensor[]; chunk(chunks: number, dim?: number): Tensor[];
    gather(dim: number, index: Tensor): Tensor; scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor; indexAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    maskedFill(mask: Tensor, value: TensorLike): Tensor; pad(pads: readonly number[], value?: number): Tensor;
    repeat(...reps: number[] | [readonly number[]]): Tensor; tril(k?: number): Tensor; triu(k?: number): Tensor;
    where(cond: Tensor, other: TensorLike): Tensor;
  }
}

type Shapeish = number[] | [readonly number[]];
const shapeArg = (a: Shapeish): number[] => (Array.isArray(a[0]) ? [...(a[0] as readonly number[])] : (a as number[]));

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
  reshape(this: Tensor, ...s: Shapeish) { return S.reshape(this, shapeArg(s)); },
  view(this: Tensor, ...s: Shapeish) { return S.reshape(this, shapeArg(s)); },
  flatten(this: Tensor, a?: number, b?: number) { return S.flatten(this, a, b); },
  squeeze(this: Tensor, d?: number | number[]) { return S.squeeze(this, d); },
  unsqueeze(this: Tensor, d: number) { return S.unsqueeze(this, d); },
  expand(this: Tensor, ...s: Shapeish) { return S.expand(this, shapeArg(s)); },
  broadcastTo(this: Tensor, s: readonly number[]) { return S.expand(this, s); },
  permute(this: Tensor, ...p: Shapeish) { return S.permute(this, shapeArg(p)); },
  transpose(this: Tensor, a?: number, b?: number) { return S.transpose(this, a, b); },
  contiguous(this: Tensor) { return this; },
  clone(this: Tensor) { return this.dtype === "bool" ? fromTypedArray(this.dataSync(), this.shape.slice(), "bool") : E.add(this, 0); },
  slice(this: Tensor, ...args: S.SliceArgs) { return S.slice(this, ...args); },
  index(this: Tensor, ...specs: S.SliceSpec[]) { return S.index(this, ...specs); },
  narrow(this: Tensor, d: number, s: number, l: number) { return S.narrow(this, d, s, l); },
  split(this: Tensor, s: number | readonly number[], d?: number) { return S.split(this, s, d); },
  chunk(this: Tensor, c: number, d?: number) { return S.chunk(this, c, d); },
  gather(this: Tensor, d: number, i: Tensor) { return I.gather(this, d, i); },
  scatterAdd(this: Tensor, d: number, i: Tensor, s: Tensor) { return I.scatterAdd(this, d, i, s); },
  indexSelect(this: Tensor, d: number, i: Tensor) { return I.indexSelect(this, d, i); },
  indexAdd(this: Tensor, d: number, i: Tensor, s: Tensor) { return I.indexAdd(this, d, i, s); },
  maskedFill(this: Tensor, m: Tensor, v: TensorLike) { return I.maskedFill(this, m, v); },
  pad(this: Tensor, p: readonly number[], v?: number) { return S.pad(this, p, v); },
  repeat(this: Tensor, ...r: Shapeish) { return S.repeat(this, shapeArg(r)); },
  tril(this: Tensor, k?: number) { return I.tril(this, k); },
  triu(this: Tensor, k?: number) { return I.triu(this, k); },
  where(this: Tensor, c: Tensor, o: TensorLike) { return E.where(c, this, o); },
});

Object.defineProperty(Tensor.prototype, "T", {
  get(this: Tensor) { return S.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); },
});
Object.defineProperty(Tensor.prototype, "mT", {
  get(this: Tensor) { return S.transpose(this, -2, -1); },
});
