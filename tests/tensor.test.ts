// Tensor basics: dtype inference and PyTorch's promotion rules, creation functions, seeded
// randomness, reading values back (toArray, item, dataSync, data) and PyTorch-style printing.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { DTypeError, ValueError } from "../src/index.js";
import { expectClose } from "./helpers/close.js";

describe("dtype inference", () => {
  it("infers int32 from integers, float32 from fractions, bool from booleans", () => {
    expect(st.tensor([1, 2, 3]).dtype).toBe("int32");
    expect(st.tensor([1, 2.5]).dtype).toBe("float32");
    expect(st.tensor([[true], [false]]).dtype).toBe("bool");
    expect(st.tensor(7).dtype).toBe("int32");
    expect(st.tensor(7.5).dtype).toBe("float32");
    expect(st.tensor([]).dtype).toBe("float32"); // PyTorch's default for an empty list
  });

  it("keeps the dtype of a typed array and honours an explicit dtype", () => {
    expect(st.tensor(new Float64Array([1, 2])).dtype).toBe("float64");
    expect(st.tensor(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(st.tensor(new Uint8Array([1, 0])).dtype).toBe("bool");
    expect(st.tensor([1, 2], { dtype: "float64" }).dtype).toBe("float64");
    expect(st.tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).shape).toEqual([2, 2]);
  });

  it("requiresGrad without a dtype gives a float32 leaf", () => {
    const w = st.tensor([1, 2], { requiresGrad: true });
    expect(w.dtype).toBe("float32");
    expect(w.requiresGrad).toBe(true);
    expect(w.isLeaf).toBe(true);
  });

  it("infers shape, ndim and size", () => {
    const t = st.tensor([[[1], [2]], [[3], [4]], [[5], [6]]]);
    expect(t.shape).toEqual([3, 2, 1]);
    expect(t.ndim).toBe(3);
    expect(t.size).toBe(6);
    expect(st.tensor(3).shape).toEqual([]);
    expect(st.tensor([[]]).shape).toEqual([1, 0]);
  });
});

describe("type promotion (PyTorch rules)", () => {
  const i32 = st.tensor([1, 2]);
  const f32 = st.tensor([1, 2], { dtype: "float32" });
  const f64 = st.tensor([1, 2], { dtype: "float64" });
  const b = st.tensor([true, false]);

  it("tensor ∘ tensor promotes bool < int32 < float32 < float64", () => {
    expect(st.add(i32, f32).dtype).toBe("float32");
    expect(st.add(f64, f32).dtype).toBe("float64");
    expect(st.mul(b, i32).dtype).toBe("int32");
    expect(st.promoteTypes("int32", "float32")).toBe("float32");
    expect(st.promoteTypes("float64", "bool")).toBe("float64");
  });

  it("a number only moves the result to a higher category", () => {
    expect(i32.add(1.5).dtype).toBe("float32");
    expectClose(i32.add(1.5), [2.5, 3.5]);
    expect(i32.add(2).dtype).toBe("int32");
    expect(f64.add(1.5).dtype).toBe("float64");
    expect(f32.mul(2).dtype).toBe("float32");
    expect(b.mul(2).dtype).toBe("int32");
  });

  it("a 0-d tensor acts like a number unless its category is higher", () => {
    expect(f32.add(st.tensor(2, { dtype: "float64" })).dtype).toBe("float32");
    expect(i32.add(st.tensor(2, { dtype: "int32" })).dtype).toBe("int32");
    // regression: a float64 0-d tensor made an int32 tensor float32 (PyTorch gives float64)
    expect(i32.mul(st.tensor(2.5, { dtype: "float64" })).dtype).toBe("float64");
    expect(b.add(st.tensor(2.5, { dtype: "float32" })).dtype).toBe("float32");
    expect(b.add(st.tensor(3)).dtype).toBe("int32");
  });

  it("bool + bool is a bool logical or (PyTorch); comparisons give bool; int / int is true division", () => {
    const s = st.add(st.tensor([true, true, false]), st.tensor([true, false, false]));
    expect(s.dtype).toBe("bool");
    expect(s.toArray()).toEqual([true, true, false]);
    const c = i32.lt(1.5);
    expect(c.dtype).toBe("bool");
    expect(c.toArray()).toEqual([true, false]);
    expect(f64.eq(f32).dtype).toBe("bool");
    const q = st.div(st.tensor([1, 3]), st.tensor([2, 2]));
    expect(q.dtype).toBe("float32");
    expect(q.toArray()).toEqual([0.5, 1.5]);
  });

  it("integer results stay integer where PyTorch keeps them (sum, pow, clamp)", () => {
    expect(st.sum(b).dtype).toBe("int32");
    expect(st.sum(b).item()).toBe(1);
    expect(st.pow(i32, 2).dtype).toBe("int32");
    expect(st.pow(i32, 2).toArray()).toEqual([1, 4]);
    expect(st.mean(i32).dtype).toBe("float32");
    expect(st.clamp(i32, 0, 1).dtype).toBe("int32");
    expect(st.clamp(i32, 0.5).dtype).toBe("float32");
  });
});

describe("creation functions", () => {
  it("arange with integer, float and negative steps", () => {
    expect(st.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(st.arange(5).dtype).toBe("int32");
    expect(st.arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(st.arange(0, 1, 0.25).dtype).toBe("float32");
    // ⌈(end − start)/step⌉ elements, like PyTorch: 10 for [0, 1) in steps of 0.1
    const a = st.arange(0, 1, 0.1, { dtype: "float64" });
    expect(a.shape).toEqual([10]);
    expectClose(a, Array.from({ length: 10 }, (_, i) => i * 0.1));
    expect(st.arange(3, 0, -1).toArray()).toEqual([3, 2, 1]);
    expect(st.arange(2, 2).shape).toEqual([0]);
    expect(() => st.arange(0, 1, 0)).toThrow(ValueError);
    // options right after the numbers, as torch.arange(3, dtype=...)
    const b = st.arange(3, { dtype: "float64" });
    expect([b.dtype, b.toArray()]).toEqual(["float64", [0, 1, 2]]);
    expect(st.arange(1, 3, { dtype: "float32" }).toArray()).toEqual([1, 2]);
    expect(() => st.arange(Number.NaN)).toThrow(/arange: end must be a finite number/);
  });

  it("linspace hits both endpoints exactly", () => {
    const l = st.linspace(0.1, 0.7, 4, { dtype: "float64" });
    const v = l.toArray() as number[];
    expect(v[0]).toBe(0.1);
    expect(v[3]).toBe(0.7);
    expectClose(l, [0.1, 0.3, 0.5, 0.7]);
    const f = st.linspace(-1, 0.7, 7).toArray() as number[];
    expect(f[0]).toBe(-1);
    expect(f[6]).toBe(Math.fround(0.7));
    // regression: one step gave the end, PyTorch gives the start
    expect(st.linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(st.linspace(0, 1, 0).shape).toEqual([0]);
  });

  it("eye, full, zeros, ones", () => {
    expect(st.eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(st.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(st.eye(2).dtype).toBe("float32");
    const f = st.full([2, 2], 7);
    expect(f.dtype).toBe("float32");
    expect(f.toArray()).toEqual([[7, 7], [7, 7]]);
    expect(st.full([2], true).dtype).toBe("bool");
    expect(st.zeros([2, 0, 3]).size).toBe(0);
    expect(st.ones([2], { dtype: "int32" }).toArray()).toEqual([1, 1]);
  });

  it("*Like functions copy shape and dtype, and take overrides", () => {
    const x = st.tensor([[1, 2, 3]], { dtype: "float64" });
    for (const [t, v] of [[st.zerosLike(x), 0], [st.onesLike(x), 1], [st.fullLike(x, 2.5), 2.5], [st.emptyLike(x), 0]] as const) {
      expect(t.shape).toEqual([1, 3]);
      expect(t.dtype).toBe("float64");
      expect(t.toArray()).toEqual([[v, v, v]]);
    }
    expect(st.onesLike(x, { dtype: "int32" }).dtype).toBe("int32");
    expect(st.zerosLike(x, { requiresGrad: true }).requiresGrad).toBe(true);
  });
});

describe("seeded randomness", () => {
  it("st.manualSeed makes the default generator reproducible", () => {
    st.manualSeed(42);
    const a = [st.randn([5]).toArray(), st.rand([3]).toArray(), st.randint(0, 10, [4]).toArray(), st.randperm(6).toArray()];
    st.manualSeed(42);
    const b = [st.randn([5]).toArray(), st.rand([3]).toArray(), st.randint(0, 10, [4]).toArray(), st.randperm(6).toArray()];
    expect(b).toEqual(a);
    st.manualSeed(43);
    expect(st.randn([5]).toArray()).not.toEqual(a[0]);
  });

  it("an explicit Generator is reproducible and leaves the default stream alone", () => {
    const draw = (g: st.Generator) => st.normal([4], 2, 3, { generator: g, dtype: "float64" }).toArray();
    expect(draw(new st.Generator(7))).toEqual(draw(new st.Generator(7)));
    st.manualSeed(1);
    const expected = st.rand([3]).toArray();
    st.manualSeed(1);
    draw(new st.Generator(7));
    expect(st.rand([3]).toArray()).toEqual(expected);
  });

  it("samplers respect their ranges and dtypes", () => {
    const g = new st.Generator(3);
    const u = st.uniform([1000], -2, 5, { generator: g }).dataSync();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(5);
    const ri = st.randint(-3, 4, [1000], { generator: g });
    expect(ri.dtype).toBe("int32");
    expect(new Set(ri.dataSync()).size).toBe(7);
    expect([...st.randperm(20, { generator: g }).dataSync()].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const bern = Array.from(st.bernoulli(0.25, [4000], { generator: g }).dataSync());
    const mean = bern.reduce((a, b) => a + b, 0) / bern.length;
    expect(Math.abs(mean - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / 4000));
    expect(() => st.randn([2], { dtype: "int32" })).toThrow(DTypeError);
  });
});

describe("reading values", () => {
  it("toArray nests by shape, with booleans for bool tensors", () => {
    expect(st.tensor([[1, 2, 3], [4, 5, 6]]).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(st.tensor([[true, false]]).toArray()).toEqual([[true, false]]);
    expect(st.tensor(2.5).toArray()).toBe(2.5);
    expect(st.zeros([2, 0]).toArray()).toEqual([[], []]);
  });

  it("item reads a one-element tensor and rejects others", () => {
    expect(st.tensor([[4.5]]).item()).toBe(4.5);
    expect(st.tensor(3).item()).toBe(3);
    expect(() => st.tensor([1, 2]).item()).toThrow(ValueError);
    expect(() => st.tensor([1, 2]).item()).toThrow(/item.*\[2\]/);
  });

  it("dataSync and data() return copies of the values", async () => {
    const t = st.tensor([1.5, 2.5], { dtype: "float64" });
    const d = t.dataSync();
    expect(d).toBeInstanceOf(Float64Array);
    expect([...d]).toEqual([1.5, 2.5]);
    d[0] = 100;
    expect(t.toArray()).toEqual([1.5, 2.5]);
    const a = await t.data();
    expect([...a]).toEqual([1.5, 2.5]);
    expect(a).not.toBe(t._data);
  });
});

describe("printing like PyTorch", () => {
  // expected strings are PyTorch 1.13's, with steadytensor's names for the dtype and grad suffixes
  it("integer-valued floats print with a trailing dot, aligned", () => {
    expect(st.tensor([[1, 2], [3, 4]], { dtype: "float32" }).toString()).toBe("tensor([[1., 2.],\n        [3., 4.]])");
    expect(st.tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], { dtype: "float32" }).toString()).toBe(
      "tensor([[[1., 2.],\n         [3., 4.]],\n\n        [[5., 6.],\n         [7., 8.]]])",
    );
    expect(st.zeros([2, 3]).toString()).toBe("tensor([[0., 0., 0.],\n        [0., 0., 0.]])");
  });

  it("fractions print with 4 decimals, right-aligned", () => {
    expect(st.tensor([0.5, 1.25]).toString()).toBe("tensor([0.5000, 1.2500])");
    expect(st.tensor([-1.5, 2.25]).toString()).toBe("tensor([-1.5000,  2.2500])");
    expect(st.tensor(3.5).toString()).toBe("tensor(3.5000)");
    expect(st.tensor([1.5, NaN, Infinity]).toString()).toBe("tensor([1.5000,    nan,    inf])");
  });

  it("switches to scientific notation like PyTorch", () => {
    expect(st.tensor([1e-5, 1]).toString()).toBe("tensor([1.0000e-05, 1.0000e+00])");
    expect(st.tensor([0.01, 1000]).toString()).toBe("tensor([1.0000e-02, 1.0000e+03])");
    // regression: integer-valued floats spanning more than 1000× printed as "[   1., 2000.]"
    expect(st.tensor([1, 2000], { dtype: "float32" }).toString()).toBe("tensor([1.0000e+00, 2.0000e+03])");
    expect(st.tensor([1e8, 1], { dtype: "float32" }).toString()).toBe("tensor([1.0000e+08, 1.0000e+00])");
  });

  it("keeps the sign of −0 and sizes columns from the finite values", () => {
    expect(st.tensor(new Float32Array([0, -0])).toString()).toBe("tensor([0., -0.])");
    expect(st.tensor(new Float32Array([-0, 10])).toString()).toBe("tensor([-0., 10.])");
    expect(st.tensor([1, -Infinity], { dtype: "float32" }).toString()).toBe("tensor([1., -inf])");
  });

  it("wraps long rows at 80 columns and summarizes over 1000 elements", () => {
    // regression: rows were never wrapped
    expect(st.arange(20).div(3).toString()).toBe(
      "tensor([0.0000, 0.3333, 0.6667, 1.0000, 1.3333, 1.6667, 2.0000, 2.3333, 2.6667,\n" +
        "        3.0000, 3.3333, 3.6667, 4.0000, 4.3333, 4.6667, 5.0000, 5.3333, 5.6667,\n" +
        "        6.0000, 6.3333])",
    );
    expect(st.arange(10000, undefined, 1, { dtype: "float32" }).toString()).toBe(
      "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9970e+03, 9.9980e+03,\n        9.9990e+03])",
    );
    expect(st.arange(3000).reshape(3, 1000).toString()).toBe(
      "tensor([[   0,    1,    2,  ...,  997,  998,  999],\n" +
        "        [1000, 1001, 1002,  ..., 1997, 1998, 1999],\n" +
        "        [2000, 2001, 2002,  ..., 2997, 2998, 2999]])",
    );
  });

  it("adds dtype, grad and size suffixes", () => {
    expect(st.tensor([1, 2], { dtype: "float64" }).toString()).toBe("tensor([1., 2.], dtype=float64)");
    expect(st.tensor([1, 2], { requiresGrad: true }).toString()).toBe("tensor([1., 2.], requiresGrad=true)");
    expect(st.tensor([[1.5, -2], [3, 4]], { dtype: "float64", requiresGrad: true }).toString()).toBe(
      "tensor([[ 1.5000, -2.0000],\n        [ 3.0000,  4.0000]], dtype=float64, requiresGrad=true)",
    );
    expect(st.tensor([1, 2], { requiresGrad: true }).mul(2).toString()).toBe("tensor([2., 4.], gradFn=<mul>)");
    expect(st.zeros([0, 3]).toString()).toBe("tensor([], size=[0, 3])");
    // regression: a suffix past 80 columns goes on its own line, as PyTorch's _add_suffixes does
    expect(st.arange(9).div(7).double().toString()).toBe(
      "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429],\n       dtype=float64)",
    );
  });

  it("prints ints and bools without decimals", () => {
    expect(st.tensor([1, -20, 3]).toString()).toBe("tensor([  1, -20,   3])");
    expect(st.tensor([true, false]).toString()).toBe("tensor([ True, False])");
    expect(String(st.tensor([[1, 2]]))).toBe("tensor([[1, 2]])");
  });
});
