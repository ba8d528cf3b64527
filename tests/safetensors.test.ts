// st.io.encodeSafetensors / decodeSafetensors: the byte layout of the format, round trips for every
// dtype and shape, metadata, half-precision conversion, and every kind of corrupt input, each of
// which must raise a typed error saying what is wrong (never a crash, never a wrong tensor).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { bfloat16BitsToNumber, halfBitsToNumber } from "../src/io/half.js";
import { expectError } from "./helpers/expect-error.js";

const { encodeSafetensors, decodeSafetensors } = st.io;

/** The bytes of a tensor's values, so NaN payloads and -0 compare exactly. */
function bytesOf(t: Tensor): Uint8Array {
  const d = t.dataSync();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

function expectSameTensor(got: Tensor | undefined, want: Tensor, what: string): void {
  expect(got, what).toBeDefined();
  expect(got!.dtype, what).toBe(want.dtype);
  expect(got!.shape, what).toEqual(want.shape);
  // Buffer.compare: vitest's deep equality takes a minute on megabytes
  const a = Buffer.from(bytesOf(got!));
  const b = Buffer.from(bytesOf(want));
  if (a.length !== b.length || Buffer.compare(a, b) !== 0) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    expect.fail(`${what}: bytes differ at byte ${i} of ${b.length}`);
  }
}

/** A file from a header given as text (or an object) and data bytes; `declared` overrides N. */
function rawFile(header: string | object, data: ArrayLike<number> = [], declared?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function headerText(bytes: Uint8Array): string {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
}

describe("safetensors layout", () => {
  it("writes the u64 header length, compact JSON padded with spaces to 8 bytes, then little-endian data", () => {
    const bytes = encodeSafetensors({ a: st.tensor([1, 2], { dtype: "float32" }), b: st.scalar(7, "int32") }, { k: "v" });
    const json = '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[],"data_offsets":[8,12]}}';
    const padded = json + " ".repeat((8 - (json.length % 8)) % 8);
    expect(padded.length % 8).toBe(0);
    expect(padded.length).toBeGreaterThan(json.length); // this header does need padding
    expect(Array.from(bytes.subarray(0, 8))).toEqual([padded.length, 0, 0, 0, 0, 0, 0, 0]);
    expect(headerText(bytes)).toBe(padded);
    const data = Array.from(bytes.subarray(8 + padded.length));
    // 1.0f = 0x3f800000, 2.0f = 0x40000000, 7 = 0x00000007, each little-endian
    expect(data).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 7, 0, 0, 0]);
  });

  it("packs tensors in the order given, writes dtypes F32/F64/I32/BOOL and omits __metadata__ when none is given", () => {
    const bytes = encodeSafetensors({
      z: st.tensor([true, false, true]),
      y: st.tensor([1, 2], { dtype: "float64" }),
      x: st.zeros([0, 4]),
      w: st.tensor([3], { dtype: "int32" }),
    });
    const header = JSON.parse(headerText(bytes)) as Record<string, { dtype: string; data_offsets: number[] }>;
    expect(Object.keys(header)).toEqual(["z", "y", "x", "w"]);
    expect(Object.values(header).map((e) => e.dtype)).toEqual(["BOOL", "F64", "F32", "I32"]);
    expect(Object.values(header).map((e) => e.data_offsets)).toEqual([[0, 3], [3, 19], [19, 19], [19, 23]]);
    expect(bytes.length).toBe(8 + headerText(bytes).length + 23);
  });
});

describe("safetensors round trip", () => {
  const shapes: number[][] = [[], [0], [1], [7], [2, 3], [3, 0, 2], [2, 3, 4], [1, 1, 1, 5]];
  const make = (dtype: st.DType, shape: number[], seed: number): Tensor => {
    const g = new st.Generator(seed);
    if (dtype === "bool") return st.rand(shape, { generator: g }).gt(0.5);
    if (dtype === "int32") return st.randint(-1000000, 1000000, shape, { generator: g });
    return st.randn(shape, { dtype, generator: g }).mul(1e3);
  };
  for (const dtype of ["float32", "float64", "int32", "bool"] as const) {
    it(`${dtype}: every shape (0-d, empty, 1-D to 4-D) comes back with the same dtype, shape and bytes`, () => {
      const tensors: Record<string, Tensor> = {};
      shapes.forEach((s, i) => (tensors[`t${i}.${s.join("x")}`] = make(dtype, s, 10 + i)));
      const { tensors: back, metadata } = decodeSafetensors(encodeSafetensors(tensors));
      expect(Object.keys(back)).toEqual(Object.keys(tensors));
      for (const [k, t] of Object.entries(tensors)) expectSameTensor(back[k], t, k);
      expect(metadata).toEqual({});
    });
  }

  it("keeps NaN, ±Infinity, -0, subnormals and extremes exactly", () => {
    const f32 = st.tensor(new Float32Array([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38, -1.1754942106924411e-38]));
    const f64 = st.tensor(new Float64Array([NaN, -Infinity, -0, 5e-324, Number.MAX_VALUE, 1 / 3]));
    const i32 = st.tensor(new Int32Array([-2147483648, 2147483647, 0]));
    const back = decodeSafetensors(encodeSafetensors({ f32, f64, i32 })).tensors;
    expectSameTensor(back.f32, f32, "f32");
    expectSameTensor(back.f64, f64, "f64");
    expectSameTensor(back.i32, i32, "i32");
    expect(Object.is(back.f32!.dataSync()[3], -0)).toBe(true);
  });

  it("round-trips a large tensor (2^21 float32 values, 8 MiB) and a float64 matrix", () => {
    const big = st.randn([1 << 21], { generator: new st.Generator(3) });
    const mat = st.randn([300, 200], { dtype: "float64", generator: new st.Generator(4) });
    const bytes = encodeSafetensors({ big, mat });
    expect(bytes.length).toBeGreaterThan((1 << 21) * 4 + 300 * 200 * 8);
    const back = decodeSafetensors(bytes).tensors;
    expectSameTensor(back.big, big, "big");
    expectSameTensor(back.mat, mat, "mat");
  });

  it("round-trips metadata (unicode, empty strings, many keys) and accepts a Map and a module's stateDict()", () => {
    const metadata = { format: "pt", epoch: "12", note: "ünï ✓ \"quoted\" \n", empty: "" };
    const bytes = encodeSafetensors(new Map([["w", st.ones([2])]]), metadata);
    const out = decodeSafetensors(bytes);
    expect(out.metadata).toEqual(metadata);
    expect(out.tensors.w!.toArray()).toEqual([1, 1]);

    const net = new st.nn.Sequential(new st.nn.Linear(3, 4), new st.nn.ReLU(), new st.nn.BatchNorm1d(4));
    const sd = net.stateDict();
    const back = decodeSafetensors(encodeSafetensors(sd)).tensors;
    expect(Object.keys(back)).toEqual(Object.keys(sd));
    const copy = new st.nn.Sequential(new st.nn.Linear(3, 4), new st.nn.ReLU(), new st.nn.BatchNorm1d(4));
    copy.loadStateDict(back);
    for (const [k, t] of Object.entries(copy.stateDict())) expectSameTensor(t, sd[k]!, k);
  });

  it("property: any names (unicode, JSON-special, prototype names), dtypes, shapes and metadata round-trip exactly", () => {
    const dtypeArb = fc.constantFrom<st.DType>("float32", "float64", "int32", "bool");
    const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 });
    const nameArb = fc.oneof(fc.string({ unit: "grapheme", maxLength: 12 }), fc.constantFrom("constructor", "toString", "0", "a.b", '"\\'));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(nameArb.filter((n) => n !== "__metadata__" && n !== "__proto__"), dtypeArb, shapeArb, fc.integer()), { selector: (e) => e[0], maxLength: 6 }),
        fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== "__proto__"), fc.string({ unit: "grapheme", maxLength: 8 }), { maxKeys: 3 }),
        (specs, metadata) => {
          const tensors = new Map(specs.map(([n, d, s, seed]) => [n, make(d, s, seed)] as const));
          const out = decodeSafetensors(encodeSafetensors(tensors, metadata));
          expect(out.metadata).toEqual(metadata);
          expect(Object.keys(out.tensors).sort()).toEqual([...tensors.keys()].sort());
          for (const [n, t] of tensors) expectSameTensor(out.tensors[n], t, JSON.stringify(n));
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });

  it("keeps a tensor named __proto__ (an own key, not the prototype)", () => {
    const tensors: Record<string, Tensor> = {};
    Object.defineProperty(tensors, "__proto__", { value: st.ones([1]), enumerable: true });
    const back = decodeSafetensors(encodeSafetensors(tensors)).tensors;
    expect(Object.keys(back)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it("decodes from a Buffer slice and from a misaligned view of a larger buffer", () => {
    const bytes = encodeSafetensors({ a: st.tensor([1.5, -2.25], { dtype: "float64" }), b: st.tensor([9], { dtype: "int32" }) });
    const host = new Uint8Array(bytes.length + 11);
    host.set(bytes, 3); // byteOffset 3: float64 data cannot be viewed in place
    const back = decodeSafetensors(host.subarray(3, 3 + bytes.length)).tensors;
    expect(back.a!.toArray()).toEqual([1.5, -2.25]);
    expect(back.b!.toArray()).toEqual([9]);
    const fromBuffer = decodeSafetensors(Buffer.from(bytes)).tensors; // a pooled Buffer has a byteOffset
    expect(fromBuffer.a!.toArray()).toEqual([1.5, -2.25]);
  });

  it("reads files whose header is not padded (other writers) and decodes tensors that do not share memory with the input", () => {
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 56 bytes: make it 57
    const bytes = rawFile(`${header} `, [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
    expect((bytes.length - 8 - 8) % 4).not.toBe(0);
    const a = decodeSafetensors(bytes).tensors.a!;
    expect(a.toArray()).toEqual([1, -2]);
    bytes.fill(0);
    expect(a.toArray()).toEqual([1, -2]);
  });
});

describe("safetensors reading other dtypes", () => {
  const file = (dtype: string, shape: number[], data: number[]): Uint8Array =>
    rawFile({ t: { dtype, shape, data_offsets: [0, data.length] } }, data);

  it("F16 → float32 exactly: normals, subnormals, ±0, ±Infinity, NaN, the extremes", () => {
    const cases: [number, number][] = [
      [0x3c00, 1], [0xc000, -2], [0x3555, 0.333251953125], [0x7bff, 65504], [0xfbff, -65504],
      [0x0400, 2 ** -14], [0x0001, 2 ** -24], [0x03ff, 1023 * 2 ** -24], [0x0000, 0], [0x8000, -0],
      [0x7c00, Infinity], [0xfc00, -Infinity],
    ];
    for (const [bits, v] of cases) expect(Object.is(halfBitsToNumber(bits), v), `0x${bits.toString(16)}`).toBe(true);
    expect(halfBitsToNumber(0x7e00)).toBeNaN();
    expect(halfBitsToNumber(0xfc01)).toBeNaN();
    const t = decodeSafetensors(file("F16", [2], [0x00, 0x3c, 0x01, 0x00])).tensors.t!;
    expect(t.dtype).toBe("float32");
    expect(Array.from(t.dataSync())).toEqual([1, 2 ** -24]);
  });

  it("BF16 → float32 exactly (the upper half of the float32 bits)", () => {
    expect(bfloat16BitsToNumber(0x3f80)).toBe(1);
    expect(bfloat16BitsToNumber(0xc0e8)).toBe(-7.25);
    expect(bfloat16BitsToNumber(0x0001)).toBe(2 ** -133); // smallest subnormal
    expect(bfloat16BitsToNumber(0xff80)).toBe(-Infinity);
    expect(bfloat16BitsToNumber(0x7fc0)).toBeNaN();
    const t = decodeSafetensors(file("BF16", [2], [0x80, 0x3f, 0xe8, 0xc0])).tensors.t!;
    expect(t.dtype).toBe("float32");
    expect(t.toArray()).toEqual([1, -7.25]);
  });

  it("I64, U64, U32, I16, U16, I8, U8 → int32 exactly when the values fit", () => {
    const i64 = file("I64", [3], [0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(decodeSafetensors(i64).tensors.t!.toArray()).toEqual([2147483647, -2147483648, -2]);
    expect(decodeSafetensors(file("U64", [1], [5, 0, 0, 0, 0, 0, 0, 0])).tensors.t!.toArray()).toEqual([5]);
    expect(decodeSafetensors(file("U32", [1], [0xff, 0xff, 0xff, 0x7f])).tensors.t!.toArray()).toEqual([2147483647]);
    expect(decodeSafetensors(file("I16", [2], [0x00, 0x80, 0xff, 0x7f])).tensors.t!.toArray()).toEqual([-32768, 32767]);
    expect(decodeSafetensors(file("U16", [1], [0xff, 0xff])).tensors.t!.toArray()).toEqual([65535]);
    expect(decodeSafetensors(file("I8", [2], [0x80, 0x7f])).tensors.t!.toArray()).toEqual([-128, 127]);
    const u8 = decodeSafetensors(file("U8", [3], [0, 128, 255])).tensors.t!;
    expect(u8.dtype).toBe("int32");
    expect(u8.toArray()).toEqual([0, 128, 255]);
  });

  it("I64, U64, U32 values outside int32 raise a DTypeError naming the tensor, the element and the value", () => {
    const over = file("I64", [2], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0]); // element 1 = 2^31
    expectError(() => decodeSafetensors(over), st.DTypeError, 'tensor "t"', "I64 element 1 is 2147483648", "does not fit int32");
    const under = file("I64", [1], [0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff]); // -2^31 - 1
    expectError(() => decodeSafetensors(under), st.DTypeError, "I64 element 0 is -2147483649");
    const huge = file("I64", [1], [0, 0, 0, 0, 0, 0, 0, 0x40]); // 2^62: high word set, low word 0
    expectError(() => decodeSafetensors(huge), st.DTypeError, "4611686018427387904");
    expectError(() => decodeSafetensors(file("U64", [1], [0, 0, 0, 0, 1, 0, 0, 0])), st.DTypeError, "U64 element 0 is 4294967296");
    expectError(() => decodeSafetensors(file("U32", [1], [0, 0, 0, 0x80])), st.DTypeError, "U32 element 0 is 2147483648");
  });

  it("8-bit float dtypes raise a DTypeError (known to the format, not exactly representable here)", () => {
    expectError(() => decodeSafetensors(file("F8_E4M3", [1], [0x38])), st.DTypeError, 'tensor "t"', "F8_E4M3", "supported: F64, F32");
  });
});

describe("safetensors rejects corrupt input with a FormatError", () => {
  const F = st.FormatError;
  const ok = { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } };
  const eight = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40];

  it("input shorter than 8 bytes (including empty)", () => {
    expectError(() => decodeSafetensors(new Uint8Array(5)), F, "decodeSafetensors", "input has 5 bytes", "fewer than the 8-byte header length");
    expectError(() => decodeSafetensors(new Uint8Array(0)), F, "input has 0 bytes");
  });

  it("a header length past the end of the input, or over the 100 MiB limit (also 2^64 - 1)", () => {
    expectError(() => decodeSafetensors(rawFile(ok, eight, 1000n)), F, "header length 1000 runs past the end", "only");
    expectError(() => decodeSafetensors(rawFile(ok, eight, 100n * 2n ** 20n)), F, "header length 104857600 runs past the end");
    expectError(() => decodeSafetensors(rawFile(ok, eight, 100n * 2n ** 20n + 1n)), F, "header length 104857601 exceeds the 104857600 bytes");
    expectError(() => decodeSafetensors(rawFile(ok, eight, 2n ** 64n - 1n)), F, "header length 18446744073709551615 exceeds");
  });

  it("every truncation of a valid file", () => {
    const bytes = encodeSafetensors({ a: st.ones([3]), b: st.tensor([1, 2], { dtype: "int32" }) }, { k: "v" });
    expect(decodeSafetensors(bytes).tensors.b!.toArray()).toEqual([1, 2]);
    for (let k = 0; k < bytes.length; k++) expectError(() => decodeSafetensors(bytes.subarray(0, k)), F);
  });

  it("a header that is not UTF-8, not JSON, or not a JSON object", () => {
    const bad = new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe]);
    expectError(() => decodeSafetensors(bad), F, "not valid UTF-8");
    expectError(() => decodeSafetensors(rawFile("{not json", eight)), F, "header is not JSON");
    expectError(() => decodeSafetensors(rawFile("", [])), F, "header is not JSON");
    expectError(() => decodeSafetensors(rawFile("\ufeff{}")), F, "header is not JSON"); // a UTF-8 byte-order mark
    expectError(() => decodeSafetensors(rawFile("[1, 2]")), F, "header is an array, expected a JSON object");
    expectError(() => decodeSafetensors(rawFile("null")), F, "header is null, expected a JSON object");
    expectError(() => decodeSafetensors(rawFile("42")), F, "header is number 42");
  });

  it("a tensor entry that is not an object, or has no string dtype", () => {
    expectError(() => decodeSafetensors(rawFile({ a: 5 })), F, 'tensor "a": entry is number 5');
    expectError(() => decodeSafetensors(rawFile({ a: { shape: [2], data_offsets: [0, 8] } }, eight)), F, 'tensor "a": dtype is undefined');
  });

  it("an unknown dtype", () => {
    expectError(() => decodeSafetensors(rawFile({ a: { dtype: "F17", shape: [2], data_offsets: [0, 8] } }, eight)), F, 'tensor "a"', 'unknown dtype "F17"', "expected one of");
  });

  it("a shape that is not a list of non-negative integers", () => {
    const withShape = (shape: unknown): Uint8Array => rawFile({ a: { dtype: "F32", shape, data_offsets: [0, 8] } }, eight);
    expectError(() => decodeSafetensors(withShape("2")), F, 'tensor "a": shape is "2"', "non-negative integers");
    expectError(() => decodeSafetensors(withShape([2, -1])), F, "shape is [2,-1]");
    expectError(() => decodeSafetensors(withShape([1.5])), F, "shape is [1.5]");
    expectError(() => decodeSafetensors(withShape(["2"])), F, 'shape is ["2"]');
    expectError(() => decodeSafetensors(withShape(undefined)), F, "shape is missing");
  });

  it("data_offsets that are malformed, reversed or out of bounds", () => {
    const withOffsets = (data_offsets: unknown, data = eight): Uint8Array => rawFile({ a: { dtype: "F32", shape: [2], data_offsets } }, data);
    expectError(() => decodeSafetensors(withOffsets([0])), F, "data_offsets is [0]", "expected [begin, end]");
    expectError(() => decodeSafetensors(withOffsets([-8, 0])), F, "data_offsets is [-8,0]");
    expectError(() => decodeSafetensors(withOffsets([8, 0])), F, "data_offsets [8, 0] end before they begin");
    expectError(() => decodeSafetensors(withOffsets([0, 16])), F, 'tensor "a"', "data_offsets [0, 16] are out of bounds", "8 bytes");
    expectError(() => decodeSafetensors(withOffsets([4, 12])), F, "[4, 12] are out of bounds");
  });

  it("overlapping tensors", () => {
    const h = { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [2], data_offsets: [4, 12] } };
    expectError(() => decodeSafetensors(rawFile(h, new Array(12).fill(0))), F, 'tensors "a" and "b" overlap');
    const same = { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "I32", shape: [2], data_offsets: [0, 8] } };
    expectError(() => decodeSafetensors(rawFile(same, eight)), F, "overlap");
  });

  it("data bytes that belong to no tensor (a gap, or bytes after the last tensor)", () => {
    const gap = { a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "F32", shape: [1], data_offsets: [8, 12] } };
    expectError(() => decodeSafetensors(rawFile(gap, new Array(12).fill(0))), F, "bytes [4, 8) of the data region belong to no tensor", '"b"');
    const tail = { a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } };
    expectError(() => decodeSafetensors(rawFile(tail, eight)), F, "bytes [4, 8) at the end of the data region belong to no tensor");
    expectError(() => decodeSafetensors(rawFile({}, [1, 2])), F, "bytes [0, 2) at the end");
  });

  it("a byte count that is not shape × dtype size", () => {
    const h = { a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } };
    expectError(() => decodeSafetensors(rawFile(h, eight)), F, 'tensor "a"', "shape [3] of F32 needs 12 bytes", "hold 8");
    const f64 = { a: { dtype: "F64", shape: [2], data_offsets: [0, 8] } };
    expectError(() => decodeSafetensors(rawFile(f64, eight)), F, "shape [2] of F64 needs 16 bytes");
  });

  it("a tensor named twice (JSON.parse alone would keep the last one silently)", () => {
    const entry = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
    const text = `{"a":${entry},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":${entry}}`;
    expectError(() => decodeSafetensors(rawFile(text, eight)), F, 'names "a" twice');
    const escaped = `{"a":${entry},"\\u0061":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`;
    expectError(() => decodeSafetensors(rawFile(escaped, eight)), F, 'names "a" twice');
  });

  it("metadata that is not an object of strings", () => {
    expectError(() => decodeSafetensors(rawFile({ __metadata__: { epoch: 3 }, ...ok }, eight)), F, '"__metadata__" value "epoch" is number 3, expected a string');
    expectError(() => decodeSafetensors(rawFile({ __metadata__: ["x"], ...ok }, eight)), F, '"__metadata__" is an array');
  });

  it("BOOL bytes other than 0 and 1", () => {
    const h = { m: { dtype: "BOOL", shape: [3], data_offsets: [0, 3] } };
    expectError(() => decodeSafetensors(rawFile(h, [1, 0, 2])), F, 'tensor "m"', "BOOL element 2 is byte 2");
  });

  it("random byte corruption of a valid file never crashes: a result or a typed error", () => {
    const bytes = encodeSafetensors({ w: st.randn([4, 3]), step: st.tensor([5], { dtype: "int32" }), m: st.tensor([true, false]) }, { a: "b" });
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let rejected = 0;
    for (let trial = 0; trial < 600; trial++) {
      const b = bytes.slice();
      for (let k = 0, n = 1 + rnd(3); k < n; k++) b[rnd(b.length)] = rnd(256);
      try {
        const out = decodeSafetensors(b);
        for (const t of Object.values(out.tensors)) expect(t.size).toBe(t.shape.reduce((p, q) => p * q, 1));
      } catch (e) {
        expect(e instanceof st.FormatError || e instanceof st.DTypeError, String(e)).toBe(true);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(50); // the corruption did hit the header
  });

  it("non-bytes input is a ValueError", () => {
    expectError(() => decodeSafetensors([1, 2, 3] as unknown as Uint8Array), st.ValueError, "expected a Uint8Array");
  });
});

describe("encodeSafetensors rejects what the format cannot hold", () => {
  it("metadata values that are not strings, a reserved or repeated name, non-tensor values", () => {
    expectError(() => encodeSafetensors({ a: st.ones([1]) }, { epoch: 3 } as unknown as Record<string, string>), st.ValueError, 'metadata value "epoch" is number 3', "must be strings");
    expectError(() => encodeSafetensors({ __metadata__: st.ones([1]) }), st.ValueError, '"__metadata__" is reserved');
    expectError(() => encodeSafetensors({ a: [1, 2] } as unknown as Record<string, Tensor>), st.ValueError, '"a" is an array, expected a Tensor');
    expectError(() => encodeSafetensors(new Map([[1, st.ones([1])]]) as unknown as Map<string, Tensor>), st.ValueError, "names must be strings");
    expectError(() => encodeSafetensors(null as unknown as Record<string, Tensor>), st.ValueError, "tensors must be a Record");
  });
});
