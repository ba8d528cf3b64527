// Method forms of the shape, indexing and copy ops (x.reshape(2, -1), x.T, x.slice(1, 3),
// x.gather(1, idx), x.where(c, y), …), attached to Tensor's prototype with declaration merging
// like the elementwise, reduction and product methods in methods.ts.

import { Tensor } from "../core/tensor.js";
import { fromTypedArray } from "../core/tensor-internals.js";
import * as E from "./elementwise.js";
import * as I from "./indexing.js";
import * as S from "./shape.js";
import type { TensorLike } from "./util.js";

declare module "../core/tensor.js" {
  interface Tensor {
    /**
     * The same values in a new shape (one size may be −1, inferred); sizes must multiply to `size`.
     * Takes sizes or one array. See {@link index.reshape | st.reshape}.
     * @example st.arange(6).reshape(2, -1); // [[0, 1, 2], [3, 4, 5]] (int32)
     */
    reshape(...shape: number[] | [readonly number[]]): Tensor;
    /**
     * The same as {@link Tensor.reshape | reshape} (PyTorch's name).
     * @example st.arange(6).view([3, 2]); // [[0, 1], [2, 3], [4, 5]] (int32)
     */
    view(...shape: number[] | [readonly number[]]): Tensor;
    /**
     * Merges dims `startDim` (default 0) through `endDim` (default −1) into one. See {@link
     * index.flatten | st.flatten}.
     * @example st.zeros([2, 3, 4]).flatten(1).shape; // [2, 12]
     */
    flatten(startDim?: number, endDim?: number): Tensor;
    /**
     * Removes size-1 dims: all of them, or only `dim` (a dim whose size is not 1 is left as is,
     * like PyTorch). See {@link index.squeeze | st.squeeze}.
     * @example st.zeros([1, 3, 1]).squeeze().shape; // [3]
     */
    squeeze(dim?: number | number[]): Tensor;
    /**
     * Inserts a size-1 dim at `dim` (negative counts from the end of the result). See {@link
     * index.unsqueeze | st.unsqueeze}.
     * @example st.tensor([1, 2]).unsqueeze(1); // [[1], [2]] (int32)
     */
    unsqueeze(dim: number): Tensor;
    /**
     * Broadcasts size-1 dims to `shape` (−1 keeps a size; new leading dims may be added). See
     * {@link index.expand | st.expand}.
     * @example st.tensor([[1], [2]]).expand(2, 3); // [[1, 1, 1], [2, 2, 2]] (int32)
     */
    expand(...shape: number[] | [readonly number[]]): Tensor;
    /**
     * Broadcasts to `shape` by NumPy's rules; the same as {@link Tensor.expand | expand}. See
     * {@link index.broadcastTo | st.broadcastTo}.
     * @example st.tensor([1, 2]).broadcastTo([2, 2]); // [[1, 2], [1, 2]] (int32)
     */
    broadcastTo(shape: readonly number[]): Tensor;
    /**
     * Reorders dims: dim i of the result is dim `perm[i]` of this. See {@link index.permute | st.permute}.
     * @example st.zeros([2, 3, 4]).permute(2, 0, 1).shape; // [4, 2, 3]
     */
    permute(...perm: number[] | [readonly number[]]): Tensor;
    /**
     * Swaps two dims (default the last two, −2 and −1). See {@link index.transpose | st.transpose}.
     * @example st.tensor([[1, 2, 3]]).transpose(); // [[1], [2], [3]] (int32)
     */
    transpose(dim0?: number, dim1?: number): Tensor;
    /**
     * Returns this tensor: tensors here are always contiguous (kept for PyTorch code).
     * @example st.tensor([1, 2]).contiguous(); // [1, 2] (int32)
     */
    contiguous(): Tensor;
    /**
     * A copy with its own memory (differentiable: gradients flow back to this tensor).
     * @example st.tensor([1, 2]).clone(); // [1, 2] (int32)
     */
    clone(): Tensor;
    /**
     * Transpose: reverses all dims (a matrix's transpose for 2-D), like NumPy's `.T`.
     * @example st.tensor([[1, 2, 3]]).T.shape; // [3, 1]
     */
    readonly T: Tensor;
    /**
     * Transpose of the last two dims (batched matrices), like PyTorch's `.mT`.
     * @example st.zeros([5, 2, 3]).mT.shape; // [5, 3, 2]
     */
    readonly mT: Tensor;
    /**
     * Positional numbers slice dim 0 like Array.prototype.slice (`x.slice(1, 3)`: rows 1..2);
     * arrays give one [start, stop, step] range per dim (`x.slice(null, [1, 3])`). See {@link
     * index.slice | st.slice}.
     * @example st.arange(5).slice(1, 3); // [1, 2] (int32)
     */
    slice(start?: number, end?: number | null, step?: number): Tensor;
    /**
     * One [start, stop, step] range per dim (`null` keeps a dim whole): `x.slice(null, [1, 3])` is
     * NumPy's `x[:, 1:3]`. See {@link index.slice | st.slice}.
     * @example st.arange(6).reshape(2, 3).slice(null, [1, 3]); // [[1, 2], [4, 5]] (int32)
     */
    slice(...ranges: S.SliceRange[]): Tensor;
    /**
     * NumPy basic indexing: a number picks one index and drops the dim (`x.index(1, 3)` is x[1, 3]);
     * a range or `null` keeps it. See {@link index.index | st.index}.
     * @example st.arange(6).reshape(2, 3).index(1); // [3, 4, 5] (int32)
     */
    index(...specs: S.SliceSpec[]): Tensor;
    /**
     * The `length` entries of `dim` from `start` (PyTorch's `narrow`). See {@link index.narrow | st.narrow}.
     * @example st.arange(6).narrow(0, 2, 3); // [2, 3, 4] (int32)
     */
    narrow(dim: number, start: number, length: number): Tensor;
    /**
     * Splits along `dim` (default 0) into pieces of `size` (the last may be smaller) or of the
     * given sizes. See {@link index.split | st.split}.
     * @example st.arange(5).split(2); // [[0, 1], [2, 3], [4]]
     */
    split(sizeOrSections: number | readonly number[], dim?: number): Tensor[];
    /**
     * Splits along `dim` (default 0) into `chunks` pieces of ⌈n / chunks⌉ (the last may be
     * smaller). See {@link index.chunk | st.chunk}.
     * @example st.arange(6).chunk(3); // [[0, 1], [2, 3], [4, 5]]
     */
    chunk(chunks: number, dim?: number): Tensor[];
    /**
     * out[i][j] = this[i][index[i][j]] for dim 1 (and likewise for other dims); `index` is int32
     * with this tensor's rank. See {@link index.gather | st.gather}.
     * @example st.tensor([[1, 2], [3, 4]]).gather(1, st.tensor([[1], [0]])); // [[2], [3]] (int32)
     */
    gather(dim: number, index: Tensor): Tensor;
    /**
     * A copy with `src` added at `index` along `dim` (duplicate indices accumulate); the inverse of
     * gather. See {@link index.scatterAdd | st.scatterAdd}.
     * @example st.zeros([3]).scatterAdd(0, st.tensor([0, 0, 2]), st.ones([3])); // [2, 0, 1] (float32)
     */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /**
     * The entries of `dim` listed in the 1-D int32 `index` (repeats allowed). See {@link
     * index.indexSelect | st.indexSelect}.
     * @example st.tensor([[1, 2], [3, 4], [5, 6]]).indexSelect(0, st.tensor([2, 0])); // [[5, 6], [1, 2]] (int32)
     */
    indexSelect(dim: number, index: Tensor): Tensor;
    /**
     * A copy with slice k of `src`, times `opts.alpha` (default 1), added to entry `index[k]` of `dim`
     * (repeats accumulate; PyTorch's index_add). See {@link index.indexAdd | st.indexAdd}.
     * @example st.zeros([3]).indexAdd(0, st.tensor([0, 2]), st.ones([2])); // [1, 0, 1] (float32)
     * @example st.zeros([3]).indexAdd(0, st.tensor([2, 2]), st.ones([2]), { alpha: 0.5 }); // [0, 0, 1] (float32)
     */
    indexAdd(dim: number, index: Tensor, src: Tensor, opts?: { alpha?: number }): Tensor;
    /**
     * A copy with `value` where the bool `mask` (broadcast to this shape) is true. See {@link
     * index.maskedFill | st.maskedFill}.
     * @example st.tensor([1, 2, 3]).maskedFill(st.tensor([false, true, false]), 0); // [1, 0, 3] (int32)
     */
    maskedFill(mask: Tensor, value: TensorLike): Tensor;
    /**
     * Pads with `value` (default 0); `pads` is [before, after] pairs starting from the LAST dim, as
     * in PyTorch's `F.pad`. See {@link index.pad | st.pad}.
     * @example st.tensor([1, 2]).pad([1, 2]); // [0, 1, 2, 0, 0] (int32)
     */
    pad(pads: readonly number[], value?: number): Tensor;
    /**
     * Tiles the tensor `reps[i]` times along dim i (PyTorch's `repeat`). See {@link index.repeat |
     * st.repeat}.
     * @example st.tensor([1, 2]).repeat(2); // [1, 2, 1, 2] (int32)
     */
    repeat(...reps: number[] | [readonly number[]]): Tensor;
    /**
     * Keeps the lower triangle (j ≤ i + k, default k = 0) of the last two dims, zeroes the rest.
     * See {@link index.tril | st.tril}.
     * @example st.ones([3, 3]).tril(); // [[1, 0, 0], [1, 1, 0], [1, 1, 1]] (float32)
     */
    tril(k?: number): Tensor;
    /**
     * Keeps the upper triangle (j ≥ i + k, default k = 0) of the last two dims, zeroes the rest.
     * See {@link index.triu | st.triu}.
     * @example st.ones([3, 3]).triu(1); // [[0, 1, 1], [0, 0, 1], [0, 0, 0]] (float32)
     */
    triu(k?: number): Tensor;
    /**
     * `cond ? this : other` elementwise, with broadcasting and dtype promotion: `x.where(c, y)` is
     * `st.where(c, x, y)`. See {@link index.where | st.where}.
     * @example st.tensor([1, 2, 3]).where(st.tensor([true, false, true]), 0); // [1, 0, 3] (int32)
     */
    where(cond: Tensor, other: TensorLike): Tensor;
  }
}

type Shapeish = number[] | [readonly number[]];
const shapeArg = (a: Shapeish): number[] => (Array.isArray(a[0]) ? [...(a[0] as readonly number[])] : (a as number[]));

Object.assign(Tensor.prototype as unknown as Record<string, unknown>, {
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
  indexAdd(this: Tensor, d: number, i: Tensor, s: Tensor, o?: { alpha?: number }) { return I.indexAdd(this, d, i, s, o); },
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
