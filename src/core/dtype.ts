// The four dtypes, their storage, and PyTorch's type-promotion rules.

import { POOL_MIN_BYTES, noteAllocation, takeBuffer } from "./buffer-pool.js";
import { DTypeError, ValueError } from "./errors.js";

/** The element types: "float32", "float64", "int32" and "bool" (stored as 0/1 bytes). */
export type DType = "float32" | "float64" | "int32" | "bool";

/** The typed array behind each dtype: Float32Array, Float64Array, Int32Array, Uint8Array (bool). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export type ArrayFor<D extends DType> = D extends "float32"
  ? Float32Array
  : D extends "float64"
    ? Float64Array
    : D extends "int32"
      ? Int32Array
      : Uint8Array;

const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

/** The longest typed array V8 makes on 64-bit platforms (core/validate.ts checks shapes against it first). */
const MAX_LENGTH = 2 ** 32 - 1;

/** The last line of defence behind the entry points' checks: a typed error instead of a RangeError. */
function tooLarge(dtype: DType, size: number): never {
  const bytes = size * CTORS[dtype].BYTES_PER_ELEMENT;
  throw new ValueError(`cannot allocate a ${dtype} tensor of ${size} elements (${bytes} bytes): a tensor holds 0 .. ${MAX_LENGTH} elements`);
}

/** Allocates a zero-filled typed array for `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  const C = CTORS[dtype];
  if (!(size <= MAX_LENGTH && size >= 0)) tooLarge(dtype, size);
  const bytes = size * C.BYTES_PER_ELEMENT;
  if (bytes < POOL_MIN_BYTES) return new C(size);
  const pooled = takeBuffer(bytes);
  const a = pooled === null ? new C(size) : new C(pooled, 0, size).fill(0);
  noteAllocation(a.buffer as ArrayBuffer);
  return a;
}

/** Returns memory for `bytes` bytes whose contents are unspecified, or null to take zeroed memory. */
export type RawAllocator = (bytes: number) => ArrayBuffer | null;

let rawAllocator: RawAllocator | null = null;

/**
 * @internal Installs (or with null removes) the allocator behind allocateUninitialized. The Node
 * entry installs one over Buffer.allocUnsafeSlow: a large zeroed ArrayBuffer costs a calloc, page
 * faults and a memset (≈150 µs per MiB here), which for a kernel that overwrites its output anyway
 * was a quarter of a Transformer layer's training step.
 */
export function setRawAllocator(f: RawAllocator | null): void {
  rawAllocator = f;
}

/**
 * A typed array whose contents are unspecified (like torch.empty), for kernel outputs that are
 * written in full: a buffer from the pool of dead gradient buffers (buffer-pool.ts), else one
 * from the installed allocator, else (browsers) zeroed memory.
 */
export function allocateUninitialized(dtype: DType, size: number): TypedArray {
  const C = CTORS[dtype];
  if (!(size <= MAX_LENGTH && size >= 0)) tooLarge(dtype, size);
  const bytes = size * C.BYTES_PER_ELEMENT;
  const pooled = bytes < POOL_MIN_BYTES ? null : takeBuffer(bytes);
  const buf = pooled ?? (rawAllocator === null ? null : rawAllocator(bytes));
  const a = buf === null ? new C(size) : new C(buf, 0, size);
  if (bytes >= POOL_MIN_BYTES) noteAllocation(a.buffer as ArrayBuffer);
  return a;
}

/** The dtype a typed array stores. */
export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  return "bool";
}

export function isFloat(d: DType): boolean {
  return d === "float32" || d === "float64";
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/**
 * Promotion of two tensor dtypes (PyTorch: bool < int < float32 < float64).
 * @example st.promoteTypes("int32", "float32"); // "float32"
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Result dtype of `tensor ∘ scalar` under PyTorch's rules: a scalar only moves the result to a
 * higher *category* (bool → integer → floating), never to a wider type within a category.
 * So int32 tensor + 1.5 → float32 (the default float), float64 tensor + 1 → float64.
 */
export function promoteWithScalar(d: DType, s: number | boolean): DType {
  if (typeof s === "boolean") return d;
  if (!Number.isInteger(s)) return isFloat(d) ? d : "float32";
  return d === "bool" ? "int32" : d;
}

/** The dtype a JavaScript scalar becomes on its own. */
export function dtypeOfScalar(s: number | boolean): DType {
  if (typeof s === "boolean") return "bool";
  return Number.isInteger(s) ? "int32" : "float32";
}

/** Checks that `v` fits `dtype` exactly; throws naming the op otherwise. */
export function checkValueFits(op: string, dtype: DType, v: number): void {
  if (dtype === "int32") {
    if (!Number.isInteger(v)) {
      throw new DTypeError(`${op}: value ${v} is not an integer, but the dtype is int32 (expected whole numbers; pass dtype "float32" to keep fractions)`);
    }
    if (v > 2147483647 || v < -2147483648) {
      throw new DTypeError(`${op}: value ${v} does not fit int32 (expected -2^31 .. 2^31-1)`);
    }
  }
}

export function assertDType(op: string, d: string): asserts d is DType {
  if (!(d in RANK)) throw new DTypeError(`${op}: unknown dtype "${d}" (expected one of ${DTYPES.join(", ")})`);
}
