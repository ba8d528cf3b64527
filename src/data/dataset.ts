// Datasets: the indexable collections a DataLoader batches. TensorDataset holds whole tensors
// and serves a batch with one indexSelect per tensor (not item by item); Subset is a view through
// an index list (what randomSplit returns).

import { IndexError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { tensor } from "../core/creation.js";
import { Tensor } from "../core/tensor.js";

/**
 * Anything with a length and random access by index: `get(i)` for 0 ≤ i < length.
 * A dataset may also offer `getBatch(indices)`, which the DataLoader prefers to `get` + collate.
 */
export interface Dataset<T = unknown> {
  /** Number of samples. */
  readonly length: number;
  /** Sample `i` (0 ≤ i < length). */
  get(i: number): T;
  /** Optional fast path: the batch for these indices, already collated. */
  getBatch?(indices: Int32Array): T;
}

function checkIndex(where: string, i: number, n: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new IndexError(`${where}: index ${i} is out of range for a dataset of length ${n} (expected an integer in [0, ${n}))`);
  }
}

/**
 * Tensors that share their first dimension, seen as `length` samples: `get(i)` returns the i-th
 * row of each tensor (PyTorch's `TensorDataset`). Batches taken through a DataLoader come from one
 * `indexSelect(0, indices)` per tensor.
 * @example
 * const ds = new st.data.TensorDataset(st.randn([100, 4]), st.randint(0, 3, [100]));
 * ds.length;            // 100
 * const [x0, y0] = ds.get(0); // x0: [4], y0: []
 */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The tensors, indexed along dim 0 together. */
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ValueError("TensorDataset: expected at least one tensor, got none");
    tensors.forEach((t, k) => {
      if (!(t instanceof Tensor)) throw new ValueError(`TensorDataset: argument ${k} is not a Tensor (got ${typeof t})`);
      if (t.ndim === 0) throw new ShapeError(`TensorDataset: tensor ${k} is a scalar; expected at least one dimension (the samples)`);
    });
    const n = tensors[0]!.shape[0]!;
    tensors.forEach((t, k) => {
      if (t.shape[0] !== n) {
        throw new ShapeError(`TensorDataset: tensor ${k} has shape ${fmtShape(t.shape)} but tensor 0 has ${n} samples; all tensors must share their first dimension`);
      }
    });
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  /** The i-th sample: one tensor per stored tensor, each with the first dimension removed. */
  get(i: number): Tensor[] {
    checkIndex("TensorDataset.get", i, this.length);
    return this.tensors.map((t) => t.narrow(0, i, 1).reshape(t.shape.slice(1)));
  }

  /** The samples at `indices`, one indexSelect per tensor: shapes [indices.length, ...rest]. */
  getBatch(indices: Int32Array): Tensor[] {
    const idx = tensor(indices, { dtype: "int32" });
    return this.tensors.map((t) => t.indexSelect(0, idx));
  }
}

/**
 * The samples of `dataset` at `indices`, in that order (PyTorch's `Subset`). Keeps the parent's
 * batched fast path when it has one.
 * @example
 * const ds = new st.data.TensorDataset(st.arange(20), st.arange(20).mul(2));
 * const first10 = new st.data.Subset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * first10.length; // 10
 */
export class Subset<T> implements Dataset<T> {
  /** The indices into `dataset` this subset exposes, in order. */
  readonly indices: Int32Array;
  readonly getBatch?: (indices: Int32Array) => T;

  constructor(
    /** The dataset the subset draws from. */
    readonly dataset: Dataset<T>,
    indices: ArrayLike<number>,
  ) {
    this.indices = Int32Array.from(indices);
    for (const i of this.indices) checkIndex("Subset", i, dataset.length);
    if (dataset.getBatch) {
      const parent = dataset.getBatch.bind(dataset);
      this.getBatch = (idx: Int32Array) => parent(idx.map((i) => this.indices[i]!));
    }
  }

  /** Number of samples (`indices.length`). */
  get length(): number {
    return this.indices.length;
  }

  get(i: number): T {
    checkIndex("Subset.get", i, this.length);
    return this.dataset.get(this.indices[i]!);
  }
}
