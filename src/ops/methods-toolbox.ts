// Method forms of the tensor toolbox (issue 15), part 1 — maths, cumulative, sorting, logic,
// reorderings and matrix products: x.cumsum(0), x.sort(), x.topk(3), x.flip([0]), x.atan2(y), …
// attached to Tensor's prototype with declaration merging, like ops/methods.ts. Each forwards to
// the function of the same name (see it for formulas and examples). Part 2: methods-toolbox-index.ts.

import type { DType } from "../core/dtype.js";
import { Tensor } from "../core/tensor.js";
import * as AA from "./any-all.js";
import * as C from "./cumulative.js";
import * as F from "./flip.js";
import type { AddmmOptions } from "./mm.js";
import * as MM from "./mm.js";
import * as So from "./sorting.js";
import * as T from "./trig.js";
import type { TensorLike } from "./util.js";

declare module "../core/tensor.js" {
  interface Tensor {
    /**
     * Running sum along `dim` (st.cumsum).
     * @example
     * ```ts
     * st.tensor([1, 2, 3]).cumsum(0) // [1, 3, 6]
     * ```
     */
    cumsum(dim: number, opts?: { dtype?: DType }): Tensor;
    /**
     * Running product along `dim` (st.cumprod).
     * @example
     * ```ts
     * st.tensor([1, 2, 3]).cumprod(0) // [1, 2, 6]
     * ```
     */
    cumprod(dim: number, opts?: { dtype?: DType }): Tensor;
    /**
     * Stable sort along `dim` (default −1): `{ values, indices }` (st.sort).
     * @example
     * ```ts
     * st.tensor([3, 1, 2]).sort().values // [1, 2, 3]
     * ```
     */
    sort(dim?: number, descending?: boolean): So.ValuesIndices;
    /**
     * The stable sorting permutation (st.argsort).
     * @example
     * ```ts
     * st.tensor([3, 1, 2]).argsort() // [1, 2, 0]
     * ```
     */
    argsort(dim?: number, descending?: boolean): Tensor;
    /**
     * The k largest (or smallest) entries along `dim` (st.topk).
     * @example
     * ```ts
     * st.tensor([1, 5, 3]).topk(2).values // [5, 3]
     * ```
     */
    topk(k: number, dim?: number, largest?: boolean): So.ValuesIndices;
    /**
     * The k-th smallest entry, k from 1 (st.kthvalue).
     * @example
     * ```ts
     * st.tensor([3, 1, 2]).kthvalue(1).values // 1
     * ```
     */
    kthvalue(k: number, dim?: number, keepdim?: boolean): So.ValuesIndices;
    /**
     * The lower median of all entries (st.median).
     * @example
     * ```ts
     * st.tensor([3, 1, 4, 2]).median() // 2
     * ```
     */
    median(): Tensor;
    /**
     * The lower median along `dim`: `{ values, indices }` (st.median).
     * @example
     * ```ts
     * st.tensor([[3, 1, 2], [6, 5, 4]]).median(1).values // [2, 5]
     * ```
     */
    median(dim: number, keepdim?: boolean): So.ValuesIndices;
    /**
     * q-quantiles (st.quantile).
     * @example
     * ```ts
     * st.tensor([1, 2, 3, 4], { dtype: "float32" }).quantile(0.5) // 2.5
     * ```
     */
    quantile(q: number | Tensor, dim?: number | null, opts?: { keepdim?: boolean; interpolation?: So.QuantileInterpolation }): Tensor;
    /**
     * True where any entry is nonzero (st.any).
     * @example
     * ```ts
     * st.tensor([0, 1]).any() // true
     * ```
     */
    any(dims?: number | readonly number[], keepdim?: boolean): Tensor;
    /**
     * True where every entry is nonzero (st.all).
     * @example
     * ```ts
     * st.tensor([0, 1]).all() // false
     * ```
     */
    all(dims?: number | readonly number[], keepdim?: boolean): Tensor;
    /**
     * Reverses the order along `dims` (st.flip).
     * @example
     * ```ts
     * st.tensor([1, 2, 3]).flip(0) // [3, 2, 1]
     * ```
     */
    flip(dims: number | readonly number[]): Tensor;
    /**
     * Cyclic shift along `dims` (st.roll).
     * @example
     * ```ts
     * st.tensor([1, 2, 3]).roll(1) // [3, 1, 2]
     * ```
     */
    roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
    /**
     * 2-D matrix product (st.mm).
     * @example
     * ```ts
     * st.ones([2, 3]).mm(st.ones([3, 4])) // shape [2, 4], every entry 3
     * ```
     */
    mm(other: Tensor): Tensor;
    /**
     * Batched 3-D matrix product (st.bmm).
     * @example
     * ```ts
     * st.ones([5, 2, 3]).bmm(st.ones([5, 3, 4])) // shape [5, 2, 4]
     * ```
     */
    bmm(other: Tensor): Tensor;
    /**
     * beta·this + alpha·(m1·m2) (st.addmm).
     * @example
     * ```ts
     * st.zeros([2, 2]).addmm(st.ones([2, 3]), st.ones([3, 2])) // every entry 3
     * ```
     */
    addmm(m1: Tensor, m2: Tensor, opts?: AddmmOptions): Tensor;
    /**
     * beta·this + alpha·bmm(b1, b2) (st.baddbmm).
     * @example
     * ```ts
     * st.zeros([1, 2, 2]).baddbmm(st.ones([3, 2, 4]), st.ones([3, 4, 2]))
     * ```
     */
    baddbmm(b1: Tensor, b2: Tensor, opts?: AddmmOptions): Tensor;
    /**
     * tan x (st.tan).
     * @example
     * ```ts
     * st.tensor([0]).tan() // [0]
     * ```
     */
    tan(): Tensor;
    /**
     * arcsin x (st.asin).
     * @example
     * ```ts
     * st.tensor([1]).asin() // [π/2]
     * ```
     */
    asin(): Tensor;
    /**
     * arccos x (st.acos).
     * @example
     * ```ts
     * st.tensor([1]).acos() // [0]
     * ```
     */
    acos(): Tensor;
    /**
     * arctan x (st.atan).
     * @example
     * ```ts
     * st.tensor([1]).atan() // [π/4]
     * ```
     */
    atan(): Tensor;
    /**
     * sinh x (st.sinh).
     * @example
     * ```ts
     * st.tensor([0]).sinh() // [0]
     * ```
     */
    sinh(): Tensor;
    /**
     * cosh x (st.cosh).
     * @example
     * ```ts
     * st.tensor([0]).cosh() // [1]
     * ```
     */
    cosh(): Tensor;
    /**
     * asinh x (st.asinh).
     * @example
     * ```ts
     * st.tensor([0]).asinh() // [0]
     * ```
     */
    asinh(): Tensor;
    /**
     * acosh x (st.acosh).
     * @example
     * ```ts
     * st.tensor([1]).acosh() // [0]
     * ```
     */
    acosh(): Tensor;
    /**
     * atanh x (st.atanh).
     * @example
     * ```ts
     * st.tensor([0]).atanh() // [0]
     * ```
     */
    atanh(): Tensor;
    /**
     * log₂ x (st.log2).
     * @example
     * ```ts
     * st.tensor([8]).log2() // [3]
     * ```
     */
    log2(): Tensor;
    /**
     * log₁₀ x (st.log10).
     * @example
     * ```ts
     * st.tensor([100]).log10() // [2]
     * ```
     */
    log10(): Tensor;
    /**
     * 2ˣ (st.exp2).
     * @example
     * ```ts
     * st.tensor([3]).exp2() // [8]
     * ```
     */
    exp2(): Tensor;
    /**
     * erf⁻¹ x (st.erfinv).
     * @example
     * ```ts
     * st.tensor([0]).erfinv() // [0]
     * ```
     */
    erfinv(): Tensor;
    /**
     * 1/x (st.reciprocal).
     * @example
     * ```ts
     * st.tensor([2]).reciprocal() // [0.5]
     * ```
     */
    reciprocal(): Tensor;
    /**
     * atan2(this, x): the angle of (x, this) (st.atan2).
     * @example
     * ```ts
     * st.tensor([1]).atan2(st.tensor([0])) // [π/2]
     * ```
     */
    atan2(x: TensorLike): Tensor;
    /**
     * Python's modulus, the divisor's sign (st.remainder).
     * @example
     * ```ts
     * st.tensor([-7]).remainder(3) // [2]
     * ```
     */
    remainder(other: TensorLike): Tensor;
    /**
     * C's fmod, the dividend's sign (st.fmod).
     * @example
     * ```ts
     * st.tensor([-7]).fmod(3) // [-1]
     * ```
     */
    fmod(other: TensorLike): Tensor;
    /**
     * √(this² + other²) (st.hypot).
     * @example
     * ```ts
     * st.tensor([3]).hypot(st.tensor([4])) // [5]
     * ```
     */
    hypot(other: TensorLike): Tensor;
    /**
     * this + weight·(end − this) (st.lerp).
     * @example
     * ```ts
     * st.tensor([0, 1], { dtype: "float32" }).lerp(st.tensor([1, 3], { dtype: "float32" }), 0.5) // [0.5, 2]
     * ```
     */
    lerp(end: TensorLike, weight: TensorLike): Tensor;
  }
}

const proto = Tensor.prototype as unknown as Record<string, unknown>;
const unaryNames = ["tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "log2", "log10", "exp2", "erfinv", "reciprocal"] as const;
for (const name of unaryNames) {
  const f = T[name] as (x: Tensor) => Tensor;
  proto[name] = function (this: Tensor) { return f(this); };
}
const binaryNames = ["atan2", "remainder", "fmod", "hypot"] as const;
for (const name of binaryNames) {
  const f = T[name] as (a: TensorLike, b: TensorLike) => Tensor;
  proto[name] = function (this: Tensor, o: TensorLike) { return f(this, o); };
}

Object.assign(proto, {
  cumsum(this: Tensor, d: number, o?: { dtype?: DType }) { return C.cumsum(this, d, o); },
  cumprod(this: Tensor, d: number, o?: { dtype?: DType }) { return C.cumprod(this, d, o); },
  sort(this: Tensor, d?: number, desc?: boolean) { return So.sort(this, d, desc); },
  argsort(this: Tensor, d?: number, desc?: boolean) { return So.argsort(this, d, desc); },
  topk(this: Tensor, k: number, d?: number, l?: boolean) { return So.topk(this, k, d, l); },
  kthvalue(this: Tensor, k: number, d?: number, kd?: boolean) { return So.kthvalue(this, k, d, kd); },
  median(this: Tensor, d?: number, kd?: boolean) { return d === undefined ? So.median(this) : So.median(this, d, kd); },
  quantile(this: Tensor, q: number | Tensor, d?: number | null, o?: { keepdim?: boolean; interpolation?: So.QuantileInterpolation }) {
    return So.quantile(this, q, d, o);
  },
  any(this: Tensor, d?: number | readonly number[], kd?: boolean) { return AA.any(this, d, kd); },
  all(this: Tensor, d?: number | readonly number[], kd?: boolean) { return AA.all(this, d, kd); },
  flip(this: Tensor, d: number | readonly number[]) { return F.flip(this, d); },
  roll(this: Tensor, s: number | readonly number[], d?: number | readonly number[]) { return F.roll(this, s, d); },
  mm(this: Tensor, o: Tensor) { return MM.mm(this, o); },
  bmm(this: Tensor, o: Tensor) { return MM.bmm(this, o); },
  addmm(this: Tensor, a: Tensor, b: Tensor, o?: AddmmOptions) { return MM.addmm(this, a, b, o); },
  baddbmm(this: Tensor, a: Tensor, b: Tensor, o?: AddmmOptions) { return MM.baddbmm(this, a, b, o); },
  lerp(this: Tensor, e: TensorLike, w: TensorLike) { return T.lerp(this, e, w); },
});
