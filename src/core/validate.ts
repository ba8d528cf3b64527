// Validators for public arguments, shared by the entry points, so that plain JavaScript misuse
// (a number where a shape was expected, an options object where a dim was, a string dtype that
// does not exist, a shape of 10¹² elements) gets a typed error naming the function, what it got
// and what it expected — instead of a TypeError or RangeError from deep inside a kernel.

import { type DType, DTYPES } from "./dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "./errors.js";
import { Tensor } from "./tensor.js";

/** Describes a value for a message: numbers and strings as written, objects by their keys. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === "string" ? JSON.stringify(x) : typeof x === "object" && x !== null ? "…" : String(x))).join(", ")}]`;
  if (typeof v === "function") return "a function";
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  if (name === "Tensor" || name === "Parameter") return `a ${name}`;
  if (name && name !== "Object") return `a ${name}`;
  return `an object {${Object.keys(v as object).join(", ")}}`;
}

/**
 * The most elements one tensor can hold: the length limit of a JavaScript typed array
 * (V8's kMaxLength on 64-bit platforms).
 */
export const MAX_ELEMENTS = 2 ** 32 - 1;

const BYTES: Record<DType, number> = { bool: 1, int32: 4, float32: 4, float64: 8 };

/** 4.00 TB, 1.50 GiB…: a byte count for messages (decimal units above 1 kB, as disk sizes). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${bytes} bytes` : `${v.toFixed(2)} ${units[u]}`;
}

/** Refuses a tensor of `shape` and `dtype` that no typed array can hold, saying how many bytes were asked for. */
export function checkAllocation(op: string, shape: readonly number[], dtype: DType): void {
  let n = 1;
  for (const d of shape) n *= d;
  if (n > MAX_ELEMENTS) {
    const bytes = n * BYTES[dtype];
    throw new ValueError(
      `${op}: shape ${fmtShape(shape)} asks for ${n} ${dtype} elements (${bytes} bytes, ${formatBytes(bytes)}); ` +
        `a tensor holds at most ${MAX_ELEMENTS} elements (the JavaScript typed-array limit)`,
    );
  }
}

/** Checks one size: a non-negative integer. */
export function checkSize(op: string, what: string, v: unknown): number {
  if (typeof v !== "number") throw new ShapeError(`${op}: ${what} must be a non-negative integer (got ${describeValue(v)})`);
  if (!Number.isInteger(v) || v < 0) throw new ShapeError(`${op}: ${what} must be a non-negative integer (got ${v})`);
  return v;
}

/**
 * Reads a shape given as an array (`zeros([2, 3])`) or as bare numbers (`zeros(2, 3)`, as PyTorch
 * accepts), followed by an optional options object. Returns the shape (validated: non-negative
 * integers, not too large for `dtype` once known) and the options.
 */
export function readShapeArgs<O extends object>(op: string, args: readonly unknown[]): { shape: number[]; opts: O | undefined } {
  let shape: unknown[];
  let rest: readonly unknown[];
  if (Array.isArray(args[0])) {
    shape = args[0] as unknown[];
    rest = args.slice(1);
  } else {
    let k = 0;
    while (k < args.length && typeof args[k] === "number") k++;
    shape = args.slice(0, k) as unknown[];
    rest = args.slice(k);
    if (k === 0 && args.length > 0 && (typeof args[0] !== "object" || args[0] === null)) {
      throw new ShapeError(`${op}: expected a shape, as an array of sizes or as numbers, e.g. ${op}([2, 3]) or ${op}(2, 3) (got ${describeValue(args[0])})`);
    }
  }
  if (rest.length > 1 || (rest.length === 1 && rest[0] !== undefined && (typeof rest[0] !== "object" || rest[0] === null || Array.isArray(rest[0])))) {
    throw new ValueError(`${op}: after the shape expected at most an options object (got ${rest.map(describeValue).join(", ")})`);
  }
  shape.forEach((d, i) => {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: invalid shape ${describeValue(shape)}: size ${i} is ${describeValue(d)} (expected non-negative integer sizes)`);
    }
  });
  return { shape: shape as number[], opts: rest[0] as O | undefined };
}

/** Checks a dtype name (e.g. for `to`): one of the four dtypes. */
export function checkDType(op: string, d: unknown): asserts d is DType {
  if (typeof d !== "string" || !(DTYPES as readonly string[]).includes(d)) {
    throw new DTypeError(`${op}: unknown dtype ${typeof d === "string" ? JSON.stringify(d) : describeValue(d)} (expected one of ${DTYPES.map((x) => `"${x}"`).join(", ")})`);
  }
}

/** Checks a reduction's dims argument: undefined, an integer or an array of integers. */
export function checkDimsArg(op: string, dims: unknown): void {
  if (dims === undefined || typeof dims === "number") return;
  if (Array.isArray(dims) && dims.every((d) => typeof d === "number")) return;
  throw new ValueError(
    `${op}: dims must be a dim, an array of dims or undefined for all dims, as in x.${op}(1) or x.${op}([0, 1], true) ` +
      `(got ${describeValue(dims)})`,
  );
}

/** Checks that an operand is a Tensor (what misuse like x.matmul("foo") or x.matmul(undefined) passes). */
export function checkTensorArg(op: string, what: string, v: unknown): asserts v is Tensor {
  if (!(v instanceof Tensor)) throw new DTypeError(`${op}: ${what} must be a Tensor (got ${describeValue(v)}); make one with st.tensor(...)`);
}
