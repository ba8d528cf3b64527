// A storage is the typed array a tensor reads, plus the version counter that in-place ops bump.
// Views made by reshape share one storage, so a write through any of them is seen by autograd.

import type { TypedArray } from "./dtype.js";

let nextId = 0;

/** @internal The id the next storage will get (autograd uses it to tell storages made during a pass). */
export function nextStorageId(): number {
  return nextId;
}

export class Storage {
  /**
   * Creation order. The autograd engine gives a leaf a gradient tensor as its `.grad` without a
   * copy only when the storage was made during that backward pass and handed out nowhere else.
   */
  readonly id = nextId++;
  /** Bumped by every in-place write; autograd compares it with the value saved at record time. */
  version = 0;
  /**
   * The version after the last in-place write that autograd recorded. A tensor over this storage
   * whose gradient history predates it (another view was written) is stale: using it would
   * silently give wrong gradients, so record() refuses it.
   */
  trackedWrite = 0;
  /** Autograd nodes that saved a tensor over this storage and have not yet freed it (ops/record.ts, engine). */
  saves = 0;
  /**
   * Set by a built-in layer for an intermediate that only it and autograd nodes ever reference
   * (nn/scratch.ts): when the last node that saved it frees its saved tensors, the memory goes to
   * the buffer pool for reuse (core/buffer-pool.ts `recycleStorage`).
   */
  scratch = false;
  constructor(public data: TypedArray) {}
}
