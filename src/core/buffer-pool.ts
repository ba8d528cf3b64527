// Reuse of large tensor buffers that are known to be dead.
//
// JavaScript frees a tensor's memory only when the garbage collector runs. A training step makes
// tens of megabytes of temporaries; every one is fresh external memory, which is what drives V8's
// garbage collections (≈ 11 % of a Transformer layer's training step here), and fresh memory is
// cold in the caches. Most of those temporaries are gradients that the autograd engine creates and
// consumes itself: once a node's backward has run, the gradient it received and the temporaries
// of its rule are dead, and the engine knows it (src/autograd/grad-memory.ts). It gives their
// buffers back here, and the next allocation of the same byte length takes one instead of new
// memory. Nothing else gives buffers back: memory a user can still reach is never reused.
import { ValueError } from "./errors.js";

/** Buffers below this size live on V8's own heap, where allocation is cheap; they are not pooled. */
export const POOL_MIN_BYTES = 1 << 16;

const free = new Map<number, ArrayBuffer[]>();
let pooledBytes = 0;
let limitBytes = 256 * 2 ** 20;
let reused = 0;
let returned = 0;
/** Tests install a poisoner to prove that no one reads a buffer after giving it back. */
let onGive: ((b: ArrayBuffer) => void) | null = null;
/** Where allocations are recorded while autograd runs a backward pass (see trackAllocations). */
let tracker: ((b: ArrayBuffer) => void) | null = null;

/** A pooled buffer of exactly `bytes` bytes (contents unspecified), or null. */
export function takeBuffer(bytes: number): ArrayBuffer | null {
  const list = free.get(bytes);
  const b = list?.pop();
  if (b === undefined) return null;
  pooledBytes -= bytes;
  reused++;
  return b;
}

/**
 * @internal Gives back a buffer that nothing references any more (only the autograd engine
 * calls this, for memory it allocated and consumed itself). Dropped when the pool is full.
 */
export function giveBuffer(b: ArrayBuffer): void {
  const bytes = b.byteLength;
  if (bytes < POOL_MIN_BYTES || pooledBytes + bytes > limitBytes) return;
  onGive?.(b);
  let list = free.get(bytes);
  if (list === undefined) free.set(bytes, (list = []));
  list.push(b);
  pooledBytes += bytes;
  returned++;
}

/**
 * @internal Gives back the memory of a built-in layer's scratch storage (nn/scratch.ts) once
 * nothing needs it: no autograd node holds it saved, and the layer that marked it never handed a
 * tensor over it to anyone else. Clears the mark, so a storage is given back at most once.
 */
export function recycleStorage(s: { scratch: boolean; data: ArrayBufferView }): void {
  s.scratch = false;
  const d = s.data;
  if (d.byteLength >= POOL_MIN_BYTES && d.byteOffset === 0 && d.buffer.byteLength === d.byteLength) giveBuffer(d.buffer as ArrayBuffer);
}

/** @internal Records every pooled-size allocation into `sink` (null stops); returns the previous sink. */
export function trackAllocations(sink: ((b: ArrayBuffer) => void) | null): ((b: ArrayBuffer) => void) | null {
  const prev = tracker;
  tracker = sink;
  return prev;
}

/** @internal Called by the allocators for every buffer of at least POOL_MIN_BYTES. */
export function noteAllocation(b: ArrayBuffer): void {
  tracker?.(b);
}

/** @internal For tests: called on every buffer given back (e.g. to fill it with NaN). */
export function setGiveHook(f: ((b: ArrayBuffer) => void) | null): void {
  onGive = f;
}

/** What `st.bufferPoolInfo()` returns. */
export interface BufferPoolInfo {
  /** Bytes held for reuse now. */
  pooledBytes: number;
  /** The most the pool holds; buffers given back beyond it are left to the garbage collector. */
  limitBytes: number;
  /** Allocations served from the pool so far. */
  reused: number;
  /** Buffers given back so far. */
  returned: number;
}

/**
 * How much memory the gradient-buffer pool holds and how often it served an allocation.
 * @example
 * // after some training steps:
 * console.log(st.bufferPoolInfo()); // { pooledBytes: 3145728, limitBytes: 268435456, reused: 5120, returned: 5130 }
 */
export function bufferPoolInfo(): BufferPoolInfo {
  return { pooledBytes, limitBytes, reused, returned };
}

/**
 * Sets the most memory the pool may hold (default 256 MiB); 0 turns reuse off and empties it.
 * @example st.setBufferPoolLimit(0); // every gradient buffer is new memory, freed by the GC
 */
export function setBufferPoolLimit(bytes: number): void {
  if (!(bytes >= 0)) throw new ValueError(`setBufferPoolLimit: expected a byte count >= 0, got ${bytes}`);
  limitBytes = bytes;
  if (pooledBytes > limitBytes) {
    free.clear();
    pooledBytes = 0;
  }
}

/** Whether buffers given back are kept at all (the engine skips its bookkeeping otherwise). */
export function poolEnabled(): boolean {
  return limitBytes > 0;
}

/**
 * The ArrayBuffer behind a tensor's storage when it is large enough to be pooled, else null
 * (autograd/grad-memory.ts hands dead gradient buffers back through this, never touching data).
 */
export function poolableBuffer(t: { _s: { data: ArrayBufferView } }): ArrayBuffer | null {
  const d = t._s.data;
  return d.byteLength >= POOL_MIN_BYTES ? (d.buffer as ArrayBuffer) : null;
}
