// Node's allocator for kernel outputs (installed by the Node entry with setRawAllocator): large
// buffers come from Buffer.allocUnsafeSlow, uninitialised, instead of zeroed ArrayBuffers.

import { Buffer } from "node:buffer";
import type { RawAllocator } from "../../core/dtype.js";

/**
 * Below this many bytes a zeroed ArrayBuffer is as cheap (V8 allocates it on its own heap), so
 * small outputs keep it. Measured here: 1 MiB zeroed ≈ 150–200 µs, uninitialised ≈ 40 µs.
 */
export const RAW_MIN_BYTES = 1 << 16;

/** Uninitialised memory for outputs of at least RAW_MIN_BYTES; null (zeroed memory) below. */
export const nodeRawAllocator: RawAllocator = (bytes) => {
  if (bytes < RAW_MIN_BYTES) return null;
  const b = Buffer.allocUnsafeSlow(bytes);
  // allocUnsafeSlow never pools, so the Buffer owns its whole ArrayBuffer; checked all the same
  return b.byteOffset === 0 && b.buffer.byteLength === bytes ? (b.buffer as ArrayBuffer) : null;
};
