// The Tensor: a shape, a dtype and a storage (a plain typed array the garbage collector frees),
// plus the autograd fields. Methods for ops are attached by ops/methods.ts and autograd/.

import { type DType, type TypedArray, isFloat } from "./dtype.js";
import { AutogradError, DTypeError, ValueError } from "./errors.js";
import { Storage } from "./storage.js";
import { formatTensor } from "./format.js";
import type { Node } from "./node.js";

/** Values as nested JavaScript arrays: what `st.tensor` takes and `toArray()` returns. */
export type NestedArray = number | boolean | readonly NestedArray[];

/** A hook sees a gradient and may return a replacement (PyTorch's `register_hook`). */
export type GradHook = (grad: Tensor) => Tensor | void;

/**
 * An n-dimensional array of one dtype (float32, float64, int32 or bool) with reverse-mode
 * autograd. Create one with {@link index.tensor | st.tensor}, {@link index.zeros | st.zeros},
 * {@link index.randn | st.randn}, …; ops are methods (`x.add(y)`, `x.sum(1)`, `x.T`) and
 * functions (`st.add(x, y)`). Memory is a plain typed array the garbage collector frees: there is
 * no `dispose`. Read values with {@link Tensor.toArray | toArray}, {@link Tensor.item | item} or
 * {@link Tensor.dataSync | dataSync}.
 * @example
 * const x = st.tensor([[1, 2], [3, 4]], { dtype: "float32", requiresGrad: true });
 * const y = x.matmul(x.T).sum(); // 1·1 + 2·2 + 2·(1·3 + 2·4) + 3·3 + 4·4 = 52
 * y.backward();
 * x.shape; // [2, 2]
 * x.grad!.toArray(); // [[8, 12], [8, 12]]
 */
export class Tensor {
  /** Sizes per dim. Treat as read-only. */
  readonly shape: number[];
  /** The element type: "float32", "float64", "int32" or "bool". */
  readonly dtype: DType;
  /** @internal the storage; reshape views share it. */
  _s: Storage;
  /** Whether autograd tracks ops on this tensor. */
  requiresGrad: boolean;
  /** The accumulated gradient (leaves, or non-leaves after `retainGrad()`). */
  grad: Tensor | null = null;
  /** @internal The node that produced this tensor (null for leaves). */
  gradFn: Node | null = null;
  /** @internal hooks of a leaf, run on its gradient before accumulation. */
  _hooks: GradHook[] | null = null;
  /** An optional label; anomaly mode and the monitor use it to name a tensor. */
  name: string | undefined;
  /**
   * @internal The op that made this tensor as a copy where PyTorch returns a view (slice, permute,
   * expand, …), or null. In-place ops refuse such a tensor: the write would not reach the source.
   */
  _copyOf: string | null = null;
  /** @internal The storage version its gradient history (gradFn, or the leaf itself) describes. */
  _gradVersion: number;

  /** @internal Use st.tensor / st.zeros etc. */
  constructor(storage: Storage, shape: number[], dtype: DType, requiresGrad = false) {
    this._s = storage;
    this._gradVersion = storage.version;
    this.shape = shape;
    this.dtype = dtype;
    this.requiresGrad = requiresGrad;
  }

  /** @internal The live typed array (not a copy). Kernels read and write it. */
  get _data(): TypedArray {
    return this._s.data;
  }

  /** @internal Wraps a typed array without copying. */
  static _fromData(data: TypedArray, shape: number[], dtype: DType): Tensor {
    return new Tensor(new Storage(data), shape, dtype);
  }

  /**
   * Number of dims (`shape.length`); 0 for a scalar.
   * @example st.zeros([2, 3]).ndim; // 2
   */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * Number of elements (the product of the shape; 1 for a scalar).
   * @example st.zeros([2, 3]).size; // 6
   */
  get size(): number {
    return this._s.data.length; // storages are exact-size and contiguous
  }

  /**
   * Size of one dim (negative counts from the end).
   * @example st.zeros([2, 3]).sizeAt(-1); // 3
   */
  sizeAt(dim: number): number {
    const d = dim < 0 ? dim + this.shape.length : dim;
    const s = this.shape[d];
    if (s === undefined) throw new ValueError(`size: dim ${dim} is out of range for a ${this.ndim}-D tensor`);
    return s;
  }

  /**
   * True when no op produced this tensor (a parameter or an input).
   * @example st.ones([2], { requiresGrad: true }).mul(2).isLeaf; // false
   */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * In-place version counter (shared by views): each in-place op increments it, so autograd can
   * refuse a backward through values that were overwritten.
   * @example st.zeros([2]).add_(1).version; // 1
   */
  get version(): number {
    return this._s.version;
  }

  /**
   * Sets `requiresGrad` (default true) on a leaf and returns it (PyTorch's `requires_grad_()`); only float tensors can require grad.
   * @example st.zeros([2]).requiresGrad_().requiresGrad; // true
   */
  requiresGrad_(v = true): this {
    if (!this.isLeaf && !v) {
      throw new AutogradError("requiresGrad_: cannot turn off requiresGrad on a non-leaf tensor (use detach())");
    }
    if (v && !isFloat(this.dtype)) {
      throw new DTypeError(`requiresGrad_: only floating tensors can require gradients (got dtype ${this.dtype})`);
    }
    this.requiresGrad = v;
    return this;
  }

  /**
   * A flat copy of the values as a typed array (Float32Array, Float64Array, Int32Array, or Uint8Array for bool).
   * @example st.tensor([[1, 2], [3, 4]]).dataSync(); // Int32Array [1, 2, 3, 4]
   */
  dataSync(): TypedArray {
    return this._s.data.slice(0, this.size) as TypedArray;
  }

  /**
   * Async form of `dataSync()`, so a GPU backend can be added without breaking callers.
   * @example await st.tensor([1.5, 2]).data(); // Float32Array [1.5, 2]
   */
  async data(): Promise<TypedArray> {
    return this.dataSync();
  }

  /**
   * Values as nested JavaScript arrays (booleans for bool tensors; a number for a 0-d tensor).
   * @example st.tensor([[1, 2], [3, 4]]).toArray(); // [[1, 2], [3, 4]]
   */
  toArray(): NestedArray {
    const d = this._s.data;
    const isBool = this.dtype === "bool";
    const build = (dim: number, off: number, stride: number): NestedArray => {
      if (dim === this.shape.length) return isBool ? d[off] !== 0 : d[off]!;
      const n = this.shape[dim]!;
      const inner = stride / Math.max(n, 1);
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, off + i * inner, inner);
      return out;
    };
    return build(0, 0, this.size);
  }

  /**
   * The value of a one-element tensor (any shape with one element); a ValueError otherwise.
   * @example st.tensor([[1, 2], [3, 4]]).sum().item(); // 10
   */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(`item: only one-element tensors can be converted to a number (got shape [${this.shape.join(", ")}], ${this.size} elements)`);
    }
    return this._s.data[0]!;
  }

  /**
   * PyTorch-style text, `tensor([[1, 2], [3, 4]])`; long tensors are summarized.
   * @example String(st.tensor([1, 2])); // "tensor([1, 2])"
   */
  toString(): string {
    return formatTensor(this);
  }

  /** Node's util.inspect uses this, so console.log(t) prints like PyTorch. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
