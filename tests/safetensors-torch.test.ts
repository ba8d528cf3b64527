// Files written from PyTorch tensors (scripts/gen-safetensors-fixture.py) load with exactly the
// values PyTorch held, and a PyTorch nn.Sequential state_dict loads into st.nn.Sequential and gives
// PyTorch's outputs.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { type FixtureTensor, fixtureTensor } from "./helpers/fixtures.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";

const dir = fileURLToPath(new URL("./fixtures/safetensors/", import.meta.url));
const json = <T>(name: string): T => JSON.parse(readFileSync(dir + name, "utf8")) as T;

/** Exact comparison: same dtype and shape, and every value identical (NaN = NaN, -0 ≠ 0). */
function expectExact(got: st.Tensor | undefined, want: st.Tensor, what: string): void {
  expect(got, what).toBeDefined();
  expect(got!.dtype, what).toBe(want.dtype);
  expect(got!.shape, what).toEqual(want.shape);
  const g = Array.from(got!.dataSync());
  const w = Array.from(want.dataSync());
  expect(g.length, what).toBe(w.length);
  for (let i = 0; i < w.length; i++) expect(Object.is(g[i], w[i]), `${what}[${i}]: ${g[i]} vs ${w[i]}`).toBe(true);
}

describe("safetensors written by PyTorch", () => {
  const expected = json<{ torch: string; metadata: Record<string, string>; tensors: Record<string, FixtureTensor> }>("torch-dtypes.json");

  it("every dtype (F32, F64, F16, BF16, I64, I32, U8, BOOL), 0-d and empty tensors load exactly, with the metadata", () => {
    const { tensors, metadata } = st.loadWithMetadata(dir + "torch-dtypes.safetensors");
    expect(metadata).toEqual(expected.metadata);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [name, want] of Object.entries(expected.tensors)) expectExact(tensors[name], fixtureTensor(want), name);
    // spot checks that do not go through the fixture helper
    expect(tensors.f16!.dtype).toBe("float32");
    expect(tensors.f16!.toArray()).toEqual([[0.333251953125, 65504, -65504, 2 ** -24], [Infinity, NaN, -0, 0.0999755859375]]);
    expect(tensors.i64_scalar!.shape).toEqual([]);
    expect(tensors.i64_scalar!.item()).toBe(42);
    expect(tensors.u8!.toArray()).toEqual([0, 1, 127, 128, 255]);
    expect(tensors.empty!.shape).toEqual([0, 3]);
  });

  it("st.load returns the same tensors as loadWithMetadata", () => {
    const t = st.load(dir + "torch-dtypes.safetensors");
    expectExact(t.bf16, fixtureTensor(expected.tensors.bf16!), "bf16");
  });

  it("an int64 value outside int32 raises a DTypeError naming the path, the tensor and the element", () => {
    const path = dir + "torch-int64-overflow.safetensors";
    expectError(() => st.load(path), st.DTypeError, `load("${path}")`, 'tensor "steps"', "I64 element 1 is 2147483648", "does not fit int32");
  });

  it("re-encoding the loaded tensors round-trips them (F16/BF16/I64/U8 now as F32/I32)", () => {
    const { tensors, metadata } = st.loadWithMetadata(dir + "torch-dtypes.safetensors");
    const again = st.io.decodeSafetensors(st.io.encodeSafetensors(tensors, metadata));
    expect(again.metadata).toEqual(metadata);
    for (const [name, t] of Object.entries(tensors)) expectExact(again.tensors[name], t, name);
  });
});

describe("a PyTorch state_dict in st.nn", () => {
  it("nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3)) loads with loadStateDict and gives PyTorch's outputs", () => {
    const fx = json<{ x: FixtureTensor; y: FixtureTensor }>("torch-mlp.json");
    const { tensors, metadata } = st.loadWithMetadata(dir + "torch-mlp.safetensors");
    expect(metadata).toEqual({ format: "pt" });
    expect(Object.keys(tensors).sort()).toEqual(["0.bias", "0.weight", "2.bias", "2.weight"]);
    expect(tensors["0.weight"]!.shape).toEqual([8, 4]); // PyTorch's [out, in] layout

    const net = new st.nn.Sequential(new st.nn.Linear(4, 8), new st.nn.ReLU(), new st.nn.Linear(8, 3));
    const res = net.loadStateDict(tensors);
    expect(res.missingKeys).toEqual([]);
    expect(res.unexpectedKeys).toEqual([]);
    const y = st.noGrad(() => net.call(fixtureTensor(fx.x)));
    expectClose(y, fixtureTensor(fx.y), { dtype: "float32" });
    // the loaded weights are PyTorch's, not our initialisation: a fresh net disagrees
    const fresh = new st.nn.Sequential(new st.nn.Linear(4, 8), new st.nn.ReLU(), new st.nn.Linear(8, 3));
    const y2 = st.noGrad(() => fresh.call(fixtureTensor(fx.x)));
    expect(st.allclose(y2, fixtureTensor(fx.y))).toBe(false);
  });
});
