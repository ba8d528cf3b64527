// The safetensors format (https://github.com/huggingface/safetensors), browser-safe: bytes in,
// bytes out. Layout: an 8-byte little-endian u64 N, N bytes of UTF-8 JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}, then the
// tensors' bytes, little-endian and row-major, offsets counted from the first byte after the header.
// The reader trusts nothing in a file: every way a header can disagree with its data is a typed
// error naming what is wrong, never a crash and never a wrong tensor.

import { type DType, type TypedArray } from "../core/dtype.js";
import { DTypeError, FormatError, ValueError, fmtShape } from "../core/errors.js";
import { tensor } from "../core/creation.js";
import { Tensor } from "../core/tensor.js";
import { bfloat16BitsToNumber, halfBitsToNumber } from "./half.js";
import { topLevelKeys } from "./json-keys.js";

/** A safetensors file's content: tensors by name and the string-to-string `__metadata__`. */
export interface SafetensorsContent {
  /** The tensors by name. */
  tensors: Record<string, Tensor>;
  /** The file's `__metadata__` string map (empty when absent). */
  metadata: Record<string, string>;
}

const METADATA_KEY = "__metadata__";

/** safetensors dtype of each of our dtypes when writing. */
const WRITE_DTYPE: Record<DType, string> = { float32: "F32", float64: "F64", int32: "I32", bool: "BOOL" };

/** Bytes per element and our dtype for every safetensors dtype we read. */
const READ_DTYPE: Record<string, { bytes: number; to: DType }> = {
  F64: { bytes: 8, to: "float64" },
  F32: { bytes: 4, to: "float32" },
  F16: { bytes: 2, to: "float32" },
  BF16: { bytes: 2, to: "float32" },
  I64: { bytes: 8, to: "int32" },
  I32: { bytes: 4, to: "int32" },
  I16: { bytes: 2, to: "int32" },
  I8: { bytes: 1, to: "int32" },
  U64: { bytes: 8, to: "int32" },
  U32: { bytes: 4, to: "int32" },
  U16: { bytes: 2, to: "int32" },
  U8: { bytes: 1, to: "int32" },
  BOOL: { bytes: 1, to: "bool" },
};

/** dtypes the format defines that have no exact home among ours (8-bit floats, complex). */
const UNSUPPORTED = ["F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64"];

/** The reference implementation refuses larger headers; real ones are a few MB at most. */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Sets an own property, also for the name "__proto__" (which plain assignment would not store). */
function setOwn<V>(obj: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/**
 * Encodes tensors (and optional string metadata) as safetensors bytes. Tensors are packed in the
 * order given; the JSON header is padded with spaces to a multiple of 8 bytes, as the reference
 * implementation does, so that every tensor's data starts 8-byte aligned in the file.
 * float32 → F32, float64 → F64, int32 → I32, bool → BOOL. A 0-d tensor has shape `[]`; an empty
 * tensor takes no bytes (`data_offsets` [x, x]).
 *
 * @param tensors tensors by name: a plain object, a Map, or an `nn.Module` (its `stateDict()` is saved)
 * @param metadata optional `__metadata__`: string keys to string values
 * @returns the file's bytes
 * @example
 * const bytes = st.io.encodeSafetensors({ w: st.ones([2, 3]), step: st.scalar(7, "int32") }, { epoch: "3" });
 * const { tensors, metadata } = st.io.decodeSafetensors(bytes); // tensors.w: [2, 3] float32, metadata.epoch === "3"
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor> | Map<string, Tensor> | { stateDict(): Record<string, Tensor> },
  metadata?: Record<string, string>,
): Uint8Array {
  const op = "encodeSafetensors";
  const entries = checkTensors(op, tensors);
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) setOwn(header, METADATA_KEY, checkMetadata(op, metadata));
  let offset = 0;
  const datas: TypedArray[] = [];
  for (const [name, t] of entries) {
    const data = t.dataSync();
    const nbytes = data.byteLength;
    setOwn(header, name, { dtype: WRITE_DTYPE[t.dtype], shape: t.shape.slice(), data_offsets: [offset, offset + nbytes] });
    datas.push(data);
    offset += nbytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen); // space padding
  let pos = 8 + headerLen;
  for (const data of datas) {
    writeLE(view, out, pos, data);
    pos += data.byteLength;
  }
  return out;
}

function checkTensors(op: string, tensors: unknown): [string, Tensor][] {
  let entries: [unknown, unknown][];
  const sd = (tensors as { stateDict?: unknown } | null)?.stateDict;
  if (typeof sd === "function") tensors = sd.call(tensors); // an nn.Module: its state dict, PyTorch's keys
  if (tensors instanceof Map) entries = [...tensors.entries()];
  else if (isPlainObject(tensors)) entries = Object.entries(tensors);
  else throw new ValueError(`${op}: tensors must be a Record<string, Tensor> or a Map (got ${describe(tensors)})`);
  const seen = new Set<string>();
  for (const [name, t] of entries) {
    if (typeof name !== "string") throw new ValueError(`${op}: tensor names must be strings (got ${describe(name)})`);
    if (name === METADATA_KEY) throw new ValueError(`${op}: "${METADATA_KEY}" is reserved for the metadata and cannot name a tensor`);
    if (!(t instanceof Tensor)) throw new ValueError(`${op}: "${name}" is ${describe(t)}, expected a Tensor`);
    if (seen.has(name)) throw new ValueError(`${op}: duplicate tensor name "${name}"`);
    seen.add(name);
  }
  return entries as [string, Tensor][];
}

function checkMetadata(op: string, metadata: unknown): Record<string, string> {
  if (!isPlainObject(metadata)) throw new ValueError(`${op}: metadata must be an object of strings (got ${describe(metadata)})`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== "string") {
      throw new ValueError(`${op}: metadata value "${k}" is ${describe(v)}; safetensors metadata values must be strings (use String(v) or JSON.stringify(v))`);
    }
    setOwn(out, k, v);
  }
  return out;
}

function writeLE(view: DataView, out: Uint8Array, pos: number, data: TypedArray): void {
  if (HOST_LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
    return;
  }
  const n = data.length;
  if (data instanceof Float64Array) for (let i = 0; i < n; i++) view.setFloat64(pos + 8 * i, data[i]!, true);
  else if (data instanceof Float32Array) for (let i = 0; i < n; i++) view.setFloat32(pos + 4 * i, data[i]!, true);
  else for (let i = 0; i < n; i++) view.setInt32(pos + 4 * i, data[i]!, true);
}

/**
 * Decodes safetensors bytes into tensors and metadata. Reads F32, F64, F16, BF16, I64, I32, I16,
 * I8, U64, U32, U16, U8 and BOOL: F16 and BF16 become float32 (exactly: every half value is a
 * float32); integer types become int32, exactly, or raise a DTypeError naming the tensor and the
 * element when a value does not fit int32 (I64, U32, U64); BOOL bytes must be 0 or 1.
 *
 * Corrupt input raises a FormatError saying what is wrong: fewer than 8 bytes, a header length
 * past the end or over 100 MiB (the reference implementation's limit), a header that is not UTF-8
 * JSON or not an object, an unknown dtype, a shape that is not a list of non-negative integers,
 * offsets out of bounds, overlapping or leaving bytes of the data region to no tensor, a byte count
 * that disagrees with shape × dtype size, a name given twice, metadata that is not string to string.
 *
 * @param bytes the whole file (a Uint8Array; Node's Buffer is one)
 * @returns `{tensors, metadata}`; tensors in header order, metadata `{}` when the file has none
 * @example
 * const bytes = st.io.encodeSafetensors({ bias: st.tensor([0.5, -1]) });
 * st.io.decodeSafetensors(bytes).tensors.bias.toArray(); // [0.5, -1]
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContent {
  return decodeSafetensorsFrom(bytes, "decodeSafetensors");
}

/** @internal decodeSafetensors with `where` (e.g. `load("model.safetensors")`) starting every message. */
export function decodeSafetensorsFrom(bytes: Uint8Array, where: string): SafetensorsContent {
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`${where}: expected a Uint8Array of the file's bytes (got ${describe(bytes)})`);
  const fail = (what: string): never => {
    throw new FormatError(`${where}: ${what}`);
  };
  if (bytes.length < 8) fail(`input has ${bytes.length} bytes, fewer than the 8-byte header length that starts a safetensors file (truncated or empty)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    fail(`header length ${n} exceeds the ${MAX_HEADER_BYTES} bytes (100 MiB) the reference implementation allows (not a safetensors file, or a corrupt length)`);
  }
  if (n > BigInt(bytes.length - 8)) {
    fail(`header length ${n} runs past the end of the input (only ${bytes.length - 8} bytes follow the 8-byte length; truncated, or not a safetensors file)`);
  }
  const headerLen = Number(n);
  let text = "";
  try {
    // ignoreBOM keeps a byte-order mark in the text, where JSON.parse rejects it as the format does
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    fail(`header (${headerLen} bytes) is not valid UTF-8`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(header)) fail(`header is ${describe(header)}, expected a JSON object`);
  const obj = header as Record<string, unknown>;
  const keys = topLevelKeys(text);
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) fail(`the header names "${k}" twice (duplicate names are not allowed)`);
    seen.add(k);
  }
  const metadata = readMetadata(obj[METADATA_KEY], seen.has(METADATA_KEY), fail);

  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const specs: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const name of keys) {
    if (name === METADATA_KEY) continue;
    const e = obj[name];
    const what = `tensor "${name}"`;
    if (!isPlainObject(e)) fail(`${what}: entry is ${describe(e)}, expected {dtype, shape, data_offsets}`);
    const entry = e as Record<string, unknown>;
    const dtype = entry.dtype;
    if (typeof dtype !== "string") fail(`${what}: dtype is ${describe(dtype)}, expected a string such as "F32"`);
    const info = READ_DTYPE[dtype as string];
    if (info === undefined) {
      if (UNSUPPORTED.includes(dtype as string)) {
        throw new DTypeError(`${where}: ${what}: dtype ${dtype as string} cannot be read exactly into float32/float64/int32/bool (supported: ${Object.keys(READ_DTYPE).join(", ")})`);
      }
      fail(`${what}: unknown dtype ${JSON.stringify(dtype)} (expected one of ${Object.keys(READ_DTYPE).join(", ")})`);
    }
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      fail(`${what}: shape is ${JSON.stringify(shape) ?? "missing"}, expected a list of non-negative integers`);
    }
    const offs = entry.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
      fail(`${what}: data_offsets is ${JSON.stringify(offs) ?? "missing"}, expected [begin, end] with non-negative integers`);
    }
    const [begin, end] = offs as [number, number];
    if (begin > end) fail(`${what}: data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataLen) fail(`${what}: data_offsets [${begin}, ${end}] are out of bounds (the data region has ${dataLen} bytes)`);
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * info!.bytes !== end - begin) {
      fail(`${what}: shape ${fmtShape(shape as number[])} of ${dtype as string} needs ${count * info!.bytes} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`);
    }
    specs.push({ name, dtype: dtype as string, shape: shape as number[], begin, end });
  }
  // The tensors must tile the data region exactly: no overlap (one byte read as two tensors) and no
  // gap (bytes that belong to nothing, e.g. a tensor dropped from the header).
  const order = specs.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let prev = "";
  for (const s of order) {
    if (s.begin < cursor) fail(`tensors "${prev}" and "${s.name}" overlap (the second's data_offsets [${s.begin}, ${s.end}] begin before byte ${cursor}, where the first ends)`);
    if (s.begin > cursor) fail(`bytes [${cursor}, ${s.begin}) of the data region belong to no tensor (before tensor "${s.name}")`);
    cursor = s.end;
    prev = s.name;
  }
  if (cursor !== dataLen) fail(`bytes [${cursor}, ${dataLen}) at the end of the data region belong to no tensor`);

  const tensors: Record<string, Tensor> = {};
  for (const s of specs) {
    // st.tensor copies what convert returns, so the tensors never share memory with `bytes`
    const raw = bytes.subarray(dataStart + s.begin, dataStart + s.end);
    const values = convert(raw, s.dtype, `${where}: tensor "${s.name}"`);
    setOwn(tensors, s.name, tensor(values, { shape: s.shape.slice(), dtype: READ_DTYPE[s.dtype]!.to }));
  }
  return { tensors, metadata };
}

function readMetadata(m: unknown, present: boolean, fail: (what: string) => never): Record<string, string> {
  const out: Record<string, string> = {};
  if (!present) return out;
  if (!isPlainObject(m)) fail(`"${METADATA_KEY}" is ${describe(m)}, expected an object of strings`);
  for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
    if (typeof v !== "string") fail(`"${METADATA_KEY}" value "${k}" is ${describe(v)}, expected a string`);
    setOwn(out, k, v as string);
  }
  return out;
}

/**
 * Little-endian bytes of one safetensors dtype as our typed array: on little-endian hosts F32/F64/I32
 * are views of the bytes (st.tensor copies them), elsewhere values are read one by one.
 */
function convert(raw: Uint8Array, dtype: string, what: string): TypedArray {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const bytes = READ_DTYPE[dtype]!.bytes;
  const n = raw.length / bytes;
  switch (dtype) {
    case "F32":
      if (HOST_LITTLE_ENDIAN) return new Float32Array(...aligned(raw, 4), n);
      return Float32Array.from({ length: n }, (_, i) => v.getFloat32(4 * i, true));
    case "F64":
      if (HOST_LITTLE_ENDIAN) return new Float64Array(...aligned(raw, 8), n);
      return Float64Array.from({ length: n }, (_, i) => v.getFloat64(8 * i, true));
    case "I32":
      if (HOST_LITTLE_ENDIAN) return new Int32Array(...aligned(raw, 4), n);
      return Int32Array.from({ length: n }, (_, i) => v.getInt32(4 * i, true));
    case "F16":
    case "BF16": {
      const out = new Float32Array(n);
      const f = dtype === "F16" ? halfBitsToNumber : bfloat16BitsToNumber;
      for (let i = 0; i < n; i++) out[i] = f(v.getUint16(2 * i, true));
      return out;
    }
    case "BOOL":
      for (let i = 0; i < n; i++) {
        if (raw[i]! > 1) throw new FormatError(`${what}: BOOL element ${i} is byte ${raw[i]}, expected 0 or 1`);
      }
      return raw;
    default:
      return readInts(v, dtype, n, what);
  }
}

/**
 * Buffer and byte offset at which `raw` can be viewed as elements of `size` bytes: in place when
 * aligned (headers padded to 8 bytes, as writers do), else from an aligned copy (unpadded headers).
 */
function aligned(raw: Uint8Array, size: number): [ArrayBufferLike, number] {
  if (raw.byteOffset % size === 0) return [raw.buffer, raw.byteOffset];
  return [new Uint8Array(raw).buffer, 0];
}

/** Integer dtypes other than I32, as int32: exact, or a DTypeError at the first value out of range. */
function readInts(v: DataView, dtype: string, n: number, what: string): Int32Array {
  const out = new Int32Array(n);
  const tooBig = (i: number, value: bigint | number): never => {
    throw new DTypeError(`${what}: ${dtype} element ${i} is ${value}, which does not fit int32 (expected -2^31 .. 2^31-1; steadytensor's integer dtype is int32)`);
  };
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case "I64": {
        const lo = v.getUint32(8 * i, true);
        const hi = v.getInt32(8 * i + 4, true);
        // fits int32 exactly when the high word is the sign extension of the low word
        if (hi !== (lo >= 0x80000000 ? -1 : 0)) tooBig(i, (BigInt(hi) << 32n) + BigInt(lo));
        out[i] = lo | 0;
        break;
      }
      case "U64": {
        const lo = v.getUint32(8 * i, true);
        const hi = v.getUint32(8 * i + 4, true);
        if (hi !== 0 || lo > 0x7fffffff) tooBig(i, (BigInt(hi) << 32n) + BigInt(lo));
        out[i] = lo;
        break;
      }
      case "U32": {
        const x = v.getUint32(4 * i, true);
        if (x > 0x7fffffff) tooBig(i, x);
        out[i] = x;
        break;
      }
      case "I16":
        out[i] = v.getInt16(2 * i, true);
        break;
      case "U16":
        out[i] = v.getUint16(2 * i, true);
        break;
      case "I8":
        out[i] = v.getInt8(i);
        break;
      default: // U8
        out[i] = v.getUint8(i);
    }
  }
  return out;
}
