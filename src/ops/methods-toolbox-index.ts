// Method forms of the tensor toolbox (issue 15), part 2 — diagonals, selections, scatter and
// small helpers: x.diag(), x.trace(), x.nonzero(), x.unique(), x.scatterReduce(…), x.select(0, 1),
// x.numel(), … attached to Tensor's prototype like part 1 (methods-toolbox.ts). Each forwards to
// the function of the same name (see it for formulas and examples).

import { Tensor } from "../core/tensor.js";
import * as D from "./diag.js";
import { type MultinomialOptions, multinomial } from "./multinomial.js";
import * as Sc from "./scatter.js";
import * as Sel from "./select.js";
import * as SS from "./selection.js";

declare module "../core/tensor.js" {
  interface Tensor {
    /**
     * Vector → diagonal matrix, matrix → diagonal (st.diag).
     * @example
     * ```ts
     * st.tensor([1, 2]).diag() // [[1, 0], [0, 2]]
     * ```
     */
    diag(offset?: number): Tensor;
    /**
     * The diagonal over dim1, dim2 at `offset` (st.diagonal).
     * @example
     * ```ts
     * st.eye(2).diagonal() // [1, 1]
     * ```
     */
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    /**
     * Σ of the main diagonal of a matrix (st.trace).
     * @example
     * ```ts
     * st.eye(3).trace() // 3
     * ```
     */
    trace(): Tensor;
    /**
     * Indices of the nonzero entries (st.nonzero).
     * @example
     * ```ts
     * st.tensor([0, 2]).nonzero() // [[1]]
     * ```
     */
    nonzero(): Tensor;
    /**
     * With `asTuple`, the indices as one 1-D int32 tensor per dim (st.nonzero).
     * @example
     * ```ts
     * st.tensor([[0, 1], [1, 0]]).nonzero({ asTuple: true })[1] // [1, 0] (int32)
     * ```
     */
    nonzero(opts: { asTuple: true }): Tensor[];
    /**
     * The distinct values (st.unique).
     * @example
     * ```ts
     * st.tensor([2, 1, 2]).unique() // [1, 2]
     * ```
     */
    unique(opts?: SS.UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
    /**
     * The distinct values with their inverse indices and/or counts (st.unique).
     * @example
     * ```ts
     * st.tensor([2, 1, 2]).unique({ returnCounts: true }).counts // [1, 2] (int32)
     * ```
     */
    unique(opts: SS.UniqueOptions): SS.UniqueResult;
    /**
     * Entries where `mask` is true, as 1-D (st.maskedSelect).
     * @example
     * ```ts
     * st.tensor([1, 2]).maskedSelect(st.tensor([false, true])) // [2]
     * ```
     */
    maskedSelect(mask: Tensor): Tensor;
    /**
     * A copy with src written at index along dim (st.scatter).
     * @example
     * ```ts
     * st.zeros([3]).scatter(0, st.tensor([2, 0], { dtype: "int32" }), st.tensor([5.0, 7])) // [7, 0, 5]
     * ```
     */
    scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
    /**
     * A copy with src combined at index along dim by reduce (st.scatterReduce).
     * @example
     * ```ts
     * st.zeros([2]).scatterReduce(0, st.tensor([0, 0, 1], { dtype: "int32" }), st.tensor([2.0, 3, 4]), "amax") // [3, 4]
     * ```
     */
    scatterReduce(dim: number, index: Tensor, src: Tensor, reduce: Sc.ScatterReduce, includeSelf?: boolean | { includeSelf?: boolean }): Tensor;
    /**
     * Broadcast to other's shape (st.expandAs).
     * @example
     * ```ts
     * st.tensor([1, 2]).expandAs(st.zeros([3, 2]))
     * ```
     */
    expandAs(other: Tensor): Tensor;
    /**
     * Category indices drawn from these weights (st.multinomial).
     * @example
     * ```ts
     * st.tensor([0.2, 0.8]).multinomial(3, { replacement: true }) // e.g. [1, 1, 0]
     * ```
     */
    multinomial(numSamples: number, opts?: MultinomialOptions): Tensor;
    /**
     * The slice at `index` of `dim`, the dim removed (st.select).
     * @example
     * ```ts
     * st.eye(2).select(0, 1) // [0, 1]
     * ```
     */
    select(dim: number, index: number): Tensor;
    /**
     * The number of elements (st.numel).
     * @example
     * ```ts
     * st.zeros([2, 3]).numel() // 6
     * ```
     */
    numel(): number;
  }
}

Object.assign(Tensor.prototype as unknown as Record<string, unknown>, {
  diag(this: Tensor, k?: number) { return D.diag(this, k); },
  diagonal(this: Tensor, k?: number, d1?: number, d2?: number) { return D.diagonalGeneral(this, k, d1, d2); },
  trace(this: Tensor) { return D.trace(this); },
  nonzero(this: Tensor, o?: { asTuple?: boolean }) { return o?.asTuple ? SS.nonzero(this, { asTuple: true }) : SS.nonzero(this); },
  unique(this: Tensor, o?: SS.UniqueOptions) { return SS.unique(this, o ?? {}); },
  maskedSelect(this: Tensor, m: Tensor) { return SS.maskedSelect(this, m); },
  scatter(this: Tensor, d: number, i: Tensor, s: Tensor | number) { return Sc.scatter(this, d, i, s); },
  scatterReduce(this: Tensor, d: number, i: Tensor, s: Tensor, r: Sc.ScatterReduce, inc?: boolean | { includeSelf?: boolean }) {
    return Sc.scatterReduce(this, d, i, s, r, inc);
  },
  expandAs(this: Tensor, o: Tensor) { return Sel.expandAs(this, o); },
  multinomial(this: Tensor, n: number, o?: MultinomialOptions) { return multinomial(this, n, o); },
  select(this: Tensor, d: number, i: number) { return Sel.select(this, d, i); },
  numel(this: Tensor) { return Sel.numel(this); },
});
