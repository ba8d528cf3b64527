// Behaviour of the tensor toolbox (issue 15) beyond the op table and the PyTorch fixtures: dtypes
// kept (int32 sort/cumsum/flip, bool any/all), einsum routed to GEMM, multinomial's seeding and
// distribution, data-dependent ops, and bad input — each a typed error naming the op.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { addKernelObserver } from "../src/ops/dispatch.js";
import { BACKENDS, onBackend } from "./helpers/backends.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";
import { requireNative } from "./helpers/require-native.js";

const i32 = (v: number[], shape?: number[]) => st.tensor(Int32Array.from(v), { dtype: "int32", shape: shape ?? [v.length] });
const f32 = (v: number[] | number[][]) => st.tensor(v as number[][], { dtype: "float32" });

/** The kernels `f` runs, in order. */
function kernelsOf(f: () => unknown): string[] {
  const seen: string[] = [];
  const off = addKernelObserver({ after: (c) => void seen.push(c.op) });
  try {
    f();
  } finally {
    off();
  }
  return seen;
}

describe("dtypes", () => {
  it("int32 sort, argsort, topk, cumsum, cumprod, flip and roll stay int32", () => {
    const x = i32([3, -1, 2, 2]);
    const s = x.sort();
    expect(s.values.dtype).toBe("int32");
    expect(s.values.toArray()).toEqual([-1, 2, 2, 3]);
    expect(s.indices.toArray()).toEqual([1, 2, 3, 0]);
    expect(x.topk(2).values.toArray()).toEqual([3, 2]);
    expect(x.cumsum(0).dtype).toBe("int32");
    expect(x.cumsum(0).toArray()).toEqual([3, 2, 4, 6]);
    expect(x.cumprod(0).toArray()).toEqual([3, -3, -6, -12]);
    expect(x.flip(0).toArray()).toEqual([2, 2, -1, 3]);
    expect(x.flip(0).dtype).toBe("int32");
    expect(x.roll(-1).toArray()).toEqual([-1, 2, 2, 3]);
    expect(st.cumsum(x, 0, { dtype: "float64" }).dtype).toBe("float64");
  });

  it("bool any/all reduce to bool; cumsum of bool counts", () => {
    const m = st.tensor([[true, false], [true, true]]);
    expect(m.any().dtype).toBe("bool");
    expect(m.all(1).toArray()).toEqual([false, true]);
    expect(m.any(0, true).toArray()).toEqual([[true, true]]);
    expect(st.all(st.zeros([0])).item()).toBe(1);
    expect(st.any(st.zeros([0])).item()).toBe(0);
    expect(m.cumsum(1).dtype).toBe("int32");
    expect(m.cumsum(1).toArray()).toEqual([[1, 1], [1, 2]]);
  });

  it("trig of int32 gives float32; remainder/fmod keep int32", () => {
    expect(st.tan(i32([0, 1])).dtype).toBe("float32");
    expect(st.reciprocal(i32([2])).toArray()).toEqual([0.5]);
    expect(st.remainder(i32([-7, 7]), 3).dtype).toBe("int32");
    expect(st.remainder(i32([-7, 7]), 3).toArray()).toEqual([2, 1]);
    expect(st.fmod(i32([-7, 7]), -3).toArray()).toEqual([-1, 1]);
    expect(st.remainder(i32([-7, 7]), -3).toArray()).toEqual([-1, -2]);
  });
});

describe("einsum", () => {
  it("runs a matrix product as one GEMM and matches matmul", () => {
    const a = st.randn([3, 4]), b = st.randn([4, 5]);
    const kernels = kernelsOf(() => st.einsum("ij,jk->ik", a, b));
    expect(kernels.filter((k) => k === "matmul")).toHaveLength(1);
    expectClose(st.einsum("ij,jk->ik", a, b), a.matmul(b));
    expectClose(st.einsum("ij,jk", [a, b]), a.matmul(b));
  });

  it("batched attention scores are one batched GEMM", () => {
    const q = st.randn([2, 3, 4, 5]), k = st.randn([2, 3, 6, 5]);
    expect(kernelsOf(() => st.einsum("bhqd,bhkd->bhqk", q, k)).filter((n) => n === "matmul")).toHaveLength(1);
    expectClose(st.einsum("bhqd,bhkd->bhqk", q, k), q.matmul(k.mT), { rtol: 1e-5, atol: 1e-6 });
  });

  it("traces, diagonals, outer products and broadcast ellipses", () => {
    const m = f32([[1, 2], [3, 4]]);
    expect(st.einsum("ii", m).item()).toBe(5);
    expect(st.einsum("ii->i", m).toArray()).toEqual([1, 4]);
    expect(st.einsum("i,j->ij", f32([1, 2]), f32([3, 4, 5])).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(st.einsum("...ij->...ji", st.ones([2, 3, 4])).shape).toEqual([2, 4, 3]);
    expect(st.einsum("ij->", m).item()).toBe(10);
  });

  it("refuses mismatched sizes and bad subscripts with typed errors", () => {
    expectError(() => st.einsum("ij,jk->ik", st.ones([2, 3]), st.ones([4, 5])), st.ShapeError, "einsum", "\"j\"", "3", "4");
    expectError(() => st.einsum("ii->i", st.ones([2, 3])), st.ShapeError, "einsum", "\"i\"", "size 2", "3");
    expectError(() => st.einsum("ii->i", st.ones([1, 3])), st.ShapeError, "einsum", "diagonal needs equal sizes");
    expectError(() => st.einsum("ij", st.ones([2, 3, 4])), st.ShapeError, "einsum", "3 dims");
    expectError(() => st.einsum("i1,j->ij", st.ones([2]), st.ones([3])), st.ValueError, "einsum", "invalid subscript");
    expectError(() => st.einsum("ij,jk->ik", st.ones([2, 3])), st.ValueError, "einsum", "2 operand", "1 were given");
    expectError(() => st.einsum("ij->iz", st.ones([2, 3])), st.ValueError, "einsum", "\"z\"");
    expectError(() => st.einsum("ij->ii", st.ones([2, 3])), st.ValueError, "einsum", "repeats");
    expectError(() => st.einsum("...i...->i", st.ones([2, 3])), st.ValueError, "einsum", "\"...\"");
  });
});

describe("sorting ops", () => {
  it("topk and kthvalue refuse k out of range", () => {
    expectError(() => st.topk(st.ones([3]), 4), st.IndexError, "topk", "k = 4", "size 3");
    expectError(() => st.kthvalue(st.ones([2, 3]), 0, 1), st.IndexError, "kthvalue", "k = 0");
    expect(st.topk(st.ones([3]), 0).values.shape).toEqual([0]);
  });

  it("quantile refuses q outside [0, 1], integer inputs and unknown modes", () => {
    expectError(() => st.quantile(f32([1, 2]), 1.5), st.ValueError, "quantile", "[0, 1]", "1.5");
    expectError(() => st.quantile(f32([1, 2]), st.tensor([0.5, -0.1])), st.ValueError, "quantile", "-0.1");
    expectError(() => st.quantile(i32([1, 2]), 0.5), st.DTypeError, "quantile", "int32");
    expectError(() => st.quantile(f32([1, 2]), 0.5, 0, { interpolation: "cubic" as "linear" }), st.ValueError, "quantile", "cubic");
  });

  it("median: lower middle of an even count, error on empty", () => {
    expect(st.median(f32([4, 1, 3, 2])).item()).toBe(2);
    expectError(() => st.median(st.zeros([0])), st.ValueError, "median", "empty");
  });
});

describe("multinomial", () => {
  it("is reproducible through the seeded Generator and draws in proportion", () => {
    const p = f32([0.1, 0, 0.6, 0.3]);
    const a = st.multinomial(p, 4000, { replacement: true, generator: new st.Generator(7) });
    const b = st.multinomial(p, 4000, { replacement: true, generator: new st.Generator(7) });
    expect(a.toArray()).toEqual(b.toArray());
    st.manualSeed(3);
    const c = p.multinomial(10, { replacement: true });
    st.manualSeed(3);
    expect(p.multinomial(10, { replacement: true }).toArray()).toEqual(c.toArray());
    const counts = [0, 1, 2, 3].map((k) => (a.toArray() as number[]).filter((v) => v === k).length / 4000);
    expect(counts[1]).toBe(0);
    // binomial standard deviation at n = 4000 is below 0.008: 4σ bounds
    expect(Math.abs(counts[0]! - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(counts[2]! - 0.6)).toBeLessThan(0.032);
    expect(Math.abs(counts[3]! - 0.3)).toBeLessThan(0.03);
  });

  it("without replacement draws distinct categories, rows independently", () => {
    const w = f32([[1, 2, 3, 4], [0, 5, 5, 0]]);
    const s = st.multinomial(w, 2, { generator: new st.Generator(1) });
    expect(s.shape).toEqual([2, 2]);
    const rows = s.toArray() as number[][];
    expect(new Set(rows[0]).size).toBe(2);
    expect(rows[1]!.slice().sort()).toEqual([1, 2]);
    expect(new Set((st.multinomial(f32([1, 1, 1]), 3).toArray() as number[])).size).toBe(3);
  });

  it("refuses negative or non-finite weights, zero rows and too many draws without replacement", () => {
    expectError(() => st.multinomial(f32([0.5, -0.1]), 1), st.ValueError, "multinomial", "-0.1", ">= 0");
    expectError(() => st.multinomial(f32([0.5, NaN]), 1), st.ValueError, "multinomial", "NaN");
    expectError(() => st.multinomial(f32([0, 0]), 1), st.ValueError, "multinomial", "summing to 0");
    expectError(() => st.multinomial(f32([1, 0, 1]), 3), st.ValueError, "multinomial", "without replacement", "2 nonzero");
    expectError(() => st.multinomial(i32([1, 2]), 1), st.DTypeError, "multinomial", "int32");
  });
});

describe("data-dependent and small ops", () => {
  it("nonzero rows and asTuple; maskedSelect; unique unsorted keeps first appearance", () => {
    const x = f32([[0, 1.5], [2, 0]]);
    expect(x.nonzero().toArray()).toEqual([[0, 1], [1, 0]]);
    const [r, c] = st.nonzero(x, { asTuple: true });
    expect(r!.toArray()).toEqual([0, 1]);
    expect(c!.toArray()).toEqual([1, 0]);
    expect(st.nonzero(st.zeros([2, 2])).shape).toEqual([0, 2]);
    expect(x.maskedSelect(x.gt(0)).toArray()).toEqual([1.5, 2]);
    expect(st.unique(i32([3, 1, 3, 2]), { sorted: false }).toArray()).toEqual([3, 1, 2]);
  });

  it("select, numel, expandAs, empty, logspace, allclose method", () => {
    const x = st.arange(6).reshape(2, 3);
    expect(x.select(1, -1).toArray()).toEqual([2, 5]);
    expect(x.numel()).toBe(6);
    expect(st.numel(st.zeros([]))).toBe(1);
    expect(f32([1, 2]).expandAs(st.zeros([3, 2])).shape).toEqual([3, 2]);
    expect(st.empty([2, 3]).shape).toEqual([2, 3]);
    expect(st.logspace(0, 2, 3).toArray()).toEqual([1, 10, 100]);
    expect(f32([1, 2]).allclose(f32([1, 2.000001]))).toBe(true);
    expect(f32([1, 2]).allclose(f32([1, 2.1]))).toBe(false);
    expectError(() => x.select(0, 2), st.IndexError, "select", "index 2");
  });

  it("indexAdd (existing) adds repeated rows; diagonal has PyTorch's offset/dim1/dim2", () => {
    const y = st.zeros([2, 3]).indexAdd(1, i32([2, 0, 2]), f32([[1, 2, 3], [4, 5, 6]]));
    expect(y.toArray()).toEqual([[2, 0, 4], [5, 0, 10]]);
    const t = st.arange(24).reshape(2, 3, 4);
    expect(st.diagonal(t, 1, 1, 2).toArray()).toEqual([[1, 6, 11], [13, 18, 23]]);
    expect(t.diagonal(0, -1, 0).shape).toEqual([3, 2]);
    expect(st.diagonal(st.ones([2, 3]), 5).shape).toEqual([0]);
    expectError(() => st.diagonal(t, 0, 1, 1), st.ValueError, "diagonal", "dim 1");
  });

  it("bad input elsewhere: typed errors naming the op", () => {
    expectError(() => st.remainder(i32([1, 2]), i32([1, 0])), st.ValueError, "remainder", "division by zero");
    expectError(() => st.mm(st.ones([2, 3]), st.ones([2, 3])), st.ShapeError, "mm", "[2, 3]");
    expectError(() => st.bmm(st.ones([2, 2, 3]), st.ones([3, 3, 2])), st.ShapeError, "bmm");
    expectError(() => st.scatterReduce(st.ones([3]), 0, i32([0]), st.ones([1]), "max" as "amax"), st.ValueError, "scatterReduce", "\"max\"");
    expectError(() => st.scatterReduce(st.ones([3]), 0, i32([5]), st.ones([1]), "sum"), st.IndexError, "scatterReduce", "index 5");
    expectError(() => st.scatter(st.ones([3]), 0, f32([0]), st.ones([1])), st.DTypeError, "scatter", "int32");
    expectError(() => st.diag(st.ones([2, 2, 2])), st.ShapeError, "diag", "[2, 2, 2]");
    expectError(() => st.trace(st.ones([3])), st.ShapeError, "trace");
    expectError(() => st.flip(st.ones([2, 2]), [0, -2]), st.ValueError, "flip", "repeat");
    expectError(() => st.roll(st.ones([2, 2]), [1, 2], [0]), st.ValueError, "roll");
    expectError(() => st.meshgrid([st.ones([2, 2])]), st.ShapeError, "meshgrid");
    expectError(() => st.lerp(i32([1]), i32([2]), 0.5), st.ValueError, "lerp", "int32");
    expectError(() => st.maskedSelect(st.ones([2]), i32([1, 0])), st.DTypeError, "maskedSelect", "bool");
    expectError(() => st.cumsum(st.ones([2]), 1), st.ShapeError, "cumsum", "dim 1");
  });
});

describe("gradients with zeros and ties", () => {
  it("cumprod's gradient is exact where the input has zeros (createGraph path too)", () => {
    const x = st.tensor(Float64Array.from([2, 0, 3, 0, 5]), { requiresGrad: true });
    const [g] = st.autograd.grad(x.cumprod(0).sum(), [x], { createGraph: true });
    // d/dx_k Σ_i Π_{j≤i} x_j: x_0: 1 + 0…; x_1: 2 + 2·3 + 0 + 0 = 8; x_3: 2·0·3 = 0
    expect(Array.from(g!.dataSync())).toEqual([1, 8, 0, 0, 0]);
    const [g2] = st.autograd.grad(x.cumprod(0).sum(), [x]);
    expect(Array.from(g2!.dataSync())).toEqual([1, 8, 0, 0, 0]);
  });

  it("sort sends each gradient back to where the value came from", () => {
    const x = st.tensor(Float64Array.from([3, 1, 2]), { requiresGrad: true });
    const { values } = x.sort();
    values.mul(st.tensor(Float64Array.from([10, 20, 30]))).sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([30, 10, 20]);
  });
});

describe("native toolbox kernels match js (native/toolbox_math.cpp)", () => {
  // the op table and the fixtures also run every toolbox op on native; this block compares kernels directly
  const native = BACKENDS.includes("native");
  if (!native) {
    requireNative("toolbox", false, String(st.backendInfo().native?.reason ?? "not registered"));
    return;
  }
  const unary = ["tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "log2", "log10", "exp2", "erfinv"] as const;
  for (const dtype of ["float32", "float64"] as const) {
    it(`tan … erfinv in ${dtype}, sizes around the vector width and the thread grain`, () => {
      for (const n of [1, 7, 33, 4099, 20000]) {
        const x = st.rand([n], { dtype }).mul(1.8).sub(0.9);
        for (const op of unary) {
          const arg = op === "acosh" ? x.abs().add(1) : op === "log2" || op === "log10" ? x.abs() : x;
          const a = onBackend("js", () => st[op](arg));
          const b = onBackend("native", () => st[op](arg));
          expectClose(b, a, dtype === "float32" ? { rtol: 2e-7, atol: 1e-7, message: `${op} n=${n}` } : { rtol: 1e-14, atol: 1e-15, message: `${op} n=${n}` });
        }
      }
    });
  }
  it("argsort: stable ties, NaN last, descending, inner strides, int32", () => {
    const vals = Float32Array.from({ length: 3 * 70 * 5 }, (_, i) => (i % 11 === 0 ? NaN : Math.floor(Math.sin(i * 7.3) * 4)));
    const x = st.tensor(vals, { shape: [3, 70, 5] });
    for (const desc of [false, true]) {
      for (const dim of [1, 2, 0]) {
        const a = onBackend("js", () => st.argsort(x, dim, desc));
        const b = onBackend("native", () => st.argsort(x, dim, desc));
        expect(Array.from(b.dataSync()), `dim ${dim} descending ${desc}`).toEqual(Array.from(a.dataSync()));
      }
    }
    const xi = st.where(x.isNaN(), 0, x).int();
    const a = onBackend("js", () => st.argsort(xi, 1, true));
    const b = onBackend("native", () => st.argsort(xi, 1, true));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  });
});

describe("scatterReduce gradient masks", () => {
  it("a NaN in the base does not hide which positions were written", () => {
    const x = st.tensor(Float64Array.from([NaN, 1, 2]), { requiresGrad: true });
    const s = st.tensor(Float64Array.from([5, 6]), { requiresGrad: true });
    const y = st.scatterReduce(x, 0, i32([0, 0]), s, "sum", false);
    const [gx, gs] = st.autograd.grad(y.sum(), [x, s]);
    // position 0 was overwritten (includeSelf false): its base gets no gradient, the rest pass through
    expect(Array.from(gx!.dataSync())).toEqual([0, 1, 1]);
    expect(Array.from(gs!.dataSync())).toEqual([1, 1]);
  });
});

describe("sort-like results", () => {
  it("destructure like PyTorch's (values, indices) tuple", () => {
    const [values, indices] = st.sort(f32([3, 1, 2]));
    expect(values!.toArray()).toEqual([1, 2, 3]);
    expect(indices!.toArray()).toEqual([1, 2, 0]);
    const [top] = st.topk(f32([3, 1, 2]), 1);
    expect(top!.toArray()).toEqual([3]);
    const [, at] = f32([[3, 1, 2]]).median(1);
    expect(at!.toArray()).toEqual([2]);
  });
});

describe("unique results", () => {
  it("destructure like PyTorch's tuple, with only the parts asked for", () => {
    const [values, counts] = st.unique(i32([3, 1, 3]), { returnCounts: true });
    expect(values!.toArray()).toEqual([1, 3]);
    expect(counts!.toArray()).toEqual([1, 2]);
    const r = st.unique(i32([3, 1, 3]), { returnInverse: true });
    expect(r.counts).toBeUndefined();
    expect([...r].map((t) => t.toArray())).toEqual([[1, 3], [1, 0, 1]]);
  });
});

describe("indexAdd (existing op, checked for issue 15)", () => {
  it("takes PyTorch's alpha and refuses a 2-D index", () => {
    const y = st.indexAdd(st.zeros([3]), 0, i32([2, 2, 0]), f32([1, 2, 3]), { alpha: -2 });
    expect(y.toArray()).toEqual([-6, 0, -6]);
    expect(st.zeros([3]).indexAdd(0, i32([1]), f32([4]), { alpha: 0.5 }).toArray()).toEqual([0, 2, 0]);
    expectError(() => st.indexAdd(st.zeros([3]), 0, i32([0, 1], [1, 2]), st.ones([2])), st.ShapeError, "indexAdd", "0-D or 1-D", "[1, 2]");
  });
});
