// The storage-level metadata that code above core/ needs (version counters, storage identity,
// views, fresh tensors) without ever seeing a Storage or a raw typed array: autograd's version
// checks and buffer bookkeeping, reshape/detach views, and wrapping arrays an op or optimizer just
// made. Keeping them here lets a backend whose memory is not a JavaScript typed array (WebAssembly
// memory, a GPU buffer) change only core/ and backend/ (issue 10, item 4;
// tests/raw-data-access.test.ts fails on `._s`, `_fromData` and imports of core/storage outside
// core/ and backend/). Each is a plain function that allocates nothing beyond what it returns,
// so hot paths (record, the engine, in-place ops) cost what the inline field access did.
//
// All @internal: not exported from the package entry.

import { type DType, type TypedArray, allocate } from "./dtype.js";
import { sizeOf } from "./shape.js";
import { Storage, nextStorageId } from "./storage.js";
import { Tensor } from "./tensor.js";

// ---- version counters ------------------------------------------------------------------------

/**
 * @internal Bumps the version counter of `t`'s storage (shared by every view of it) after an
 * in-place write, so autograd refuses nodes that saved the old values. Returns the new version.
 *
 * @example
 * import { bumpVersion } from "./tensor-internals.js";
 * const g = st.zeros([2]);
 * bumpVersion(g); // after writing g's memory in place: returns g's new version
 */
export function bumpVersion(t: Tensor): number {
  return ++t._s.version;
}

/**
 * @internal After an in-place write that autograd recorded on `t`: marks the storage's current
 * version as the last tracked write and `t`'s gradient history as describing it. Other views of
 * the storage, whose history predates the write, become stale (see `hasStaleHistory`).
 */
export function markTrackedWrite(t: Tensor): void {
  t._s.trackedWrite = t._gradVersion = t._s.version;
}

/**
 * @internal Whether another view of `t`'s storage was written in place while autograd recorded,
 * after `t`'s gradient history was made: its gradFn no longer describes its values.
 */
export function hasStaleHistory(t: Tensor): boolean {
  return t._s.trackedWrite > t._gradVersion;
}

// ---- storage identity ------------------------------------------------------------------------

/** @internal Whether `a` and `b` are views of one storage (a write through either is seen by both). */
export function sameStorage(a: Tensor, b: Tensor): boolean {
  return a._s === b._s;
}

/**
 * @internal An opaque key for `t`'s storage, equal for all views of it: for Sets and Maps that
 * track storages (the engine's buffers handed out during a backward pass). Never open it.
 */
export function storageKey(t: Tensor): object {
  return t._s;
}

/**
 * @internal A mark in storage creation order: `storageMadeSince(t, mark)` tells whether `t`'s
 * storage was made after it (the engine uses this to tell gradients made during its pass).
 */
export function storageMark(): number {
  return nextStorageId();
}

/** @internal Whether `t`'s storage was made at or after `mark` (from `storageMark()`). */
export function storageMadeSince(t: Tensor, mark: number): boolean {
  return t._s.id >= mark;
}

// ---- views and fresh tensors -----------------------------------------------------------------

/**
 * @internal A new tensor object of `shape` over `x`'s storage, with `x`'s dtype, outside the graph
 * (requiresGrad false, no gradFn): zero-copy, shares the version counter. `shape` must hold
 * `x.size` elements (reshape checks it); the array is kept, not copied.
 *
 * @example
 * import { viewOf } from "./tensor-internals.js";
 * const t = st.tensor([1, 2, 3, 4], { requiresGrad: true });
 * const d = viewOf(t, [2, 2]); // the same memory as a [2, 2] tensor, outside the graph
 */
export function viewOf(x: Tensor, shape: number[]): Tensor {
  return new Tensor(x._s, shape, x.dtype);
}

/** @internal A new tensor of `shape`/`dtype` with fresh zeroed memory (kernels fill it). */
export function emptyTensor(shape: number[], dtype: DType): Tensor {
  return new Tensor(new Storage(allocate(dtype, sizeOf(shape))), shape, dtype);
}

/**
 * @internal Hands a freshly made typed array to a new tensor of `shape`/`dtype`, without a copy
 * (on a backend with its own memory this is where the values would be copied in). The caller
 * gives the array up: it must not keep, read or write it afterwards. The array's kind must match
 * `dtype` and its length `sizeOf(shape)`.
 *
 * @example
 * import { fromTypedArray } from "./tensor-internals.js";
 * const x = fromTypedArray(new Float32Array([1, 2, 3, 4]), [2, 2], "float32"); // [[1, 2], [3, 4]]
 */
export function fromTypedArray(data: TypedArray, shape: number[], dtype: DType): Tensor {
  return new Tensor(new Storage(data), shape, dtype);
}
