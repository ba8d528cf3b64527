// st.nn layers: gradient checks in float64 for every layer (input and parameters), default
// initializations, numerical stability at extreme inputs, PyTorch's subgradients at 0, and bad
// input raising typed errors that name the layer.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";

const { nn } = st;
const F = nn.functional;
const f64 = { dtype: "float64" as const };

/** A float64 leaf with values drawn from a fixed seed, kept away from 0 (where ReLU-like kinks sit). */
function input(shape: number[], seed: number, awayFromZero = 0.05): Tensor {
  const t = st.randn(shape, { ...f64, generator: new st.Generator(seed) });
  const d = t._data;
  for (let i = 0; i < d.length; i++) if (Math.abs(d[i]!) < awayFromZero) d[i] = d[i]! < 0 ? -awayFromZero : awayFromZero;
  return t.requiresGrad_(true);
}

/** Runs gradcheck of `m.call(x)` with respect to x and every parameter of the (float64) module. */
function checkModule(m: st.nn.AnyModule, x: Tensor, withInput = true): void {
  m.double();
  const params = m.parameters();
  const inputs = withInput ? [x, ...params] : params;
  const r = st.gradcheck((...xs: Tensor[]) => (withInput ? m.call(xs[0]!) : m.call(x)) as Tensor, inputs);
  expect(r.ok, `${m.constructor.name}: ${r.message}`).toBe(true);
}

/** Random (non-default) parameter values, so affine parameters are not all ones and zeros. */
function randomizeParams(m: st.nn.AnyModule, seed: number): void {
  const g = new st.Generator(seed);
  for (const p of m.parameters()) nn.init.uniform_(p, 0.5, 1.5, { generator: g });
}

describe("gradient checks in float64: input and parameters", () => {
  it("Linear (2-D, 3-D and 1-D inputs, with and without bias)", () => {
    const lin = new nn.Linear(4, 3, { generator: new st.Generator(1) });
    checkModule(lin, input([5, 4], 2));
    checkModule(new nn.Linear(4, 2, { bias: false }), input([2, 3, 4], 3));
    checkModule(new nn.Linear(3, 2), input([3], 4));
  });

  it("BatchNorm1d in training and eval mode, [N, C] and [N, C, L], affine or not", () => {
    for (const [shape, affine] of [[[6, 3], true], [[4, 3, 5], true], [[6, 3], false], [[3, 3, 2], false]] as const) {
      const bn = new nn.BatchNorm1d(3, { affine });
      randomizeParams(bn, 5);
      checkModule(bn, input([...shape], 6));
      const ev = new nn.BatchNorm1d(3, { affine });
      randomizeParams(ev, 7);
      st.noGrad(() => { nn.init.uniform_(ev.runningVar!, 0.5, 2); nn.init.normal_(ev.runningMean!); });
      checkModule(ev.eval(), input([...shape], 8));
    }
  });

  it("LayerNorm over one and two trailing dims, with and without affine or bias", () => {
    const ln = new nn.LayerNorm(5);
    randomizeParams(ln, 9);
    checkModule(ln, input([3, 5], 10));
    const ln2 = new nn.LayerNorm([3, 4], { eps: 1e-3 });
    randomizeParams(ln2, 11);
    checkModule(ln2, input([2, 3, 4], 12));
    checkModule(new nn.LayerNorm(4, { elementwiseAffine: false }), input([3, 4], 13));
    const nb = new nn.LayerNorm(4, { bias: false });
    expect(nb.bias).toBeNull();
    checkModule(nb, input([3, 4], 14));
  });

  it("Embedding (weight), with a padding index", () => {
    const ids = st.tensor([[1, 0, 3], [3, 2, 0]]);
    checkModule(new nn.Embedding(5, 3, { generator: new st.Generator(15) }), ids, false);
    // (with a padding index the padding row deliberately gets no gradient, so it is not a
    // derivative there; "starts N(0, 1) with the padding row zeroed" below checks it exactly)
  });

  it("every activation, PReLU's weight included", () => {
    const acts: st.nn.AnyModule[] = [
      new nn.ReLU(), new nn.Sigmoid(), new nn.Tanh(), new nn.LeakyReLU(0.2), new nn.ELU(0.7), new nn.SELU(),
      new nn.GELU(), new nn.GELU({ approximate: "tanh" }), new nn.Softplus(), new nn.Softplus(2, 3),
      new nn.Softmax(0), new nn.Softmax(), new nn.LogSoftmax(), new nn.PReLU(), new nn.PReLU(4, 0.1),
    ];
    for (const a of acts) checkModule(a, input([3, 4, 2], 16).mul(3).detach().requiresGrad_(true));
  });

  it("Dropout with a fixed mask, Flatten and Identity", () => {
    const x = input([4, 5], 17);
    const r = st.gradcheck((x) => F.dropout(x, 0.3, true, new st.Generator(3)), [x]);
    expect(r.ok, r.message).toBe(true);
    checkModule(new nn.Flatten(), input([2, 3, 2], 18));
    checkModule(new nn.Identity(), input([3], 19));
  });

  it("a whole Sequential (Linear → BatchNorm1d → GELU → Linear) in training mode", () => {
    const net = new nn.Sequential(new nn.Linear(4, 6), new nn.BatchNorm1d(6), new nn.GELU(), new nn.Linear(6, 2));
    checkModule(net, input([5, 4], 20));
  });
});

describe("Linear", () => {
  it("maps [..., in] to [..., out] as x·Wᵀ + b", () => {
    const lin = new nn.Linear(3, 2);
    st.noGrad(() => {
      lin.weight.copy_(st.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float32" }));
      lin.bias!.copy_(st.tensor([0.5, -0.5], { dtype: "float32" }));
    });
    expect(lin.call(st.tensor([[1, 0, -1]], { dtype: "float32" })).toArray()).toEqual([[-1.5, -2.5]]);
    expect(lin.call(st.tensor([1, 1, 1], { dtype: "float32" })).toArray()).toEqual([6.5, 14.5]);
    expect(lin.call(st.zeros([2, 4, 3])).shape).toEqual([2, 4, 2]);
  });

  it("reads the weight in place: the product's node takes W itself, transposed by a flag", () => {
    const lin = new nn.Linear(3, 2, { bias: false });
    const y = lin.call(st.randn([4, 3]));
    expect(y.gradFn!.op).toBe("matmul");
    expect(y.gradFn!.attrs).toEqual({ transA: false, transB: true });
    expect(y.gradFn!.next[1]).toBe(lin.weight);
  });

  it("starts from PyTorch's default U(−1/√in, 1/√in) for weight and bias", () => {
    const fanIn = 400;
    const lin = new nn.Linear(fanIn, 500, { generator: new st.Generator(21) });
    const bound = 1 / Math.sqrt(fanIn);
    const w = Array.from(lin.weight.dataSync());
    expect(w.reduce((a, v) => Math.max(a, Math.abs(v)), 0)).toBeLessThanOrEqual(bound);
    expect(w.reduce((a, v) => Math.max(a, v), -Infinity)).toBeGreaterThan(bound * 0.999);
    const n = w.length;
    const mean = w.reduce((a, b) => a + b, 0) / n;
    const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    const v = bound * bound / 3;
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(v / n));
    // Var(s²) for a uniform: (m4 − σ⁴)/n = (9/5 − 1)σ⁴/n
    expect(Math.abs(variance - v)).toBeLessThan(5 * v * Math.sqrt(0.8 / n));
    expect(Math.max(...Array.from(lin.bias!.dataSync()).map(Math.abs))).toBeLessThanOrEqual(bound);
  });

  it("is reproducible from a seeded generator and honours dtype and bias options", () => {
    const a = new nn.Linear(5, 4, { generator: new st.Generator(7) });
    const b = new nn.Linear(5, 4, { generator: new st.Generator(7) });
    expect(Array.from(a.weight.dataSync())).toEqual(Array.from(b.weight.dataSync()));
    const c = new nn.Linear(5, 4, { dtype: "float64", bias: false });
    expect(c.weight.dtype).toBe("float64");
    expect(c.bias).toBeNull();
    expect(c.parameters().length).toBe(1);
  });

  it("a wrong feature count is a ShapeError naming Linear, in_features and the input shape", () => {
    const lin = new nn.Linear(5, 3);
    expectError(() => lin.call(st.zeros([4, 6])), st.ShapeError, "Linear", "in_features=5", "[4, 6]");
    expectError(() => lin.call(st.scalar(1)), st.ShapeError, "Linear", "[]");
    expectError(() => F.linear(st.zeros([2, 3]), st.zeros([4, 3]), st.zeros([3])), st.ShapeError, "linear", "bias", "[4]", "[3]");
    expectError(() => new nn.Linear(-1, 3), st.ValueError, "Linear", "inFeatures", "-1");
    expectError(() => new nn.Linear(2, 3, { dtype: "int32" }), st.DTypeError, "Linear", "int32");
  });
});

/** Per-channel mean/biased variance over dims ≠ 1, in float64, as plain arrays. */
function channelStats(x: Tensor): { mean: number[]; varB: number[]; n: number } {
  const [N, C] = x.shape as [number, number];
  const L = x.ndim === 3 ? x.shape[2]! : 1;
  const d = x.dataSync();
  const mean = new Array<number>(C).fill(0);
  const varB = new Array<number>(C).fill(0);
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let i = 0; i < N; i++) for (let l = 0; l < L; l++) s += d[(i * C + c) * L + l]!;
    mean[c] = s / (N * L);
    let q = 0;
    for (let i = 0; i < N; i++) for (let l = 0; l < L; l++) q += (d[(i * C + c) * L + l]! - mean[c]!) ** 2;
    varB[c] = q / (N * L);
  }
  return { mean, varB, n: N * L };
}

describe("BatchNorm1d", () => {
  it("training normalizes with the biased batch variance and updates running stats with the unbiased one", () => {
    const bn = new nn.BatchNorm1d(3, { momentum: 0.2 });
    const x = st.randn([4, 3, 5], { ...f64, generator: new st.Generator(22) }).mul(3).add(1);
    const y = bn.double().call(x);
    const ys = channelStats(y);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(ys.mean[c]!)).toBeLessThan(1e-12);
      const { varB } = channelStats(x);
      expect(ys.varB[c]).toBeCloseTo(varB[c]! / (varB[c]! + 1e-5), 12);
    }
    const { mean, varB, n } = channelStats(x);
    expectClose(bn.runningMean!, mean.map((m) => 0.2 * m));
    expectClose(bn.runningVar!, varB.map((v) => 0.8 + 0.2 * v * n / (n - 1)));
    expect(bn.numBatchesTracked!.item()).toBe(1);
  });

  it("momentum null keeps the cumulative average of the batch statistics", () => {
    const bn = new nn.BatchNorm1d(2, { momentum: null }).double();
    const batches = [0, 1, 2].map((s) => st.randn([6, 2], { ...f64, generator: new st.Generator(30 + s) }).add(s));
    for (const b of batches) bn.call(b);
    const means = batches.map((b) => channelStats(b).mean);
    expectClose(bn.runningMean!, [0, 1].map((c) => (means[0]![c]! + means[1]![c]! + means[2]![c]!) / 3));
    expect(bn.numBatchesTracked!.item()).toBe(3);
  });

  it("eval uses the running statistics, so a batch of one works and outputs do not depend on the batch", () => {
    const bn = new nn.BatchNorm1d(2).double();
    st.noGrad(() => {
      bn.runningMean!.copy_(st.tensor([1, -1], f64));
      bn.runningVar!.copy_(st.tensor([4, 0.25], f64));
      bn.weight!.copy_(st.tensor([2, 3], f64));
      bn.bias!.copy_(st.tensor([0.5, 0], f64));
    });
    bn.eval();
    const y = bn.call(st.tensor([[3, 0]], f64));
    expectClose(y, [[2 * 2 / Math.sqrt(4 + 1e-5) + 0.5, 3 * 1 / Math.sqrt(0.25 + 1e-5)]]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
  });

  it("trackRunningStats false: no buffers, batch statistics in eval too", () => {
    const bn = new nn.BatchNorm1d(3, { trackRunningStats: false });
    expect(bn.buffers()).toEqual([]);
    expect(Object.keys(bn.stateDict())).toEqual(["weight", "bias"]);
    const x = st.randn([5, 3]).mul(4);
    expectClose(bn.eval().call(x), bn.train().call(x), { rtol: 0, atol: 0 });
  });

  it("keeps float32 precision for large offsets (1e4 + N(0, 1)) and gives 0, not NaN, for a constant channel", () => {
    const x = st.randn([64, 2], { generator: new st.Generator(23) }).add(1e4);
    for (let i = 0; i < 64; i++) x._data[i * 2 + 1] = 7; // channel 1 constant
    const y = new nn.BatchNorm1d(2).call(x);
    const ref = new nn.BatchNorm1d(2).double().call(x.double());
    // The only error left is the float32 rounding of the mean (≤ ulp(1e4)/2 ≈ 4.9e-4, over σ ≈ 1);
    // a one-pass E[x²] − E[x]² would have an error of ulp(1e8) ≈ 8 in the variance.
    expectClose(y, ref.float(), { rtol: 0, atol: 1e-3 });
    expect(Array.from(y.index(null, 1).dataSync()).every((v) => v === 0)).toBe(true);
  });

  it("a batch of one in training mode is a ValueError naming BatchNorm1d and the shape", () => {
    const bn = new nn.BatchNorm1d(5);
    expectError(() => bn.call(st.randn([1, 5])), st.ValueError, "BatchNorm1d", "more than 1 value per channel", "[1, 5]");
    expect(bn.numBatchesTracked!.item()).toBe(0); // nothing was updated
    expect(new nn.BatchNorm1d(3).call(st.randn([1, 3, 4])).shape).toEqual([1, 3, 4]); // N·L > 1 is fine
    expectError(() => F.batchNorm(st.randn([1, 5]), null, null, { training: true }), st.ValueError, "batchNorm", "[1, 5]");
  });

  it("wrong channel counts or ranks are ShapeErrors naming the layer", () => {
    const bn = new nn.BatchNorm1d(4);
    expectError(() => bn.call(st.randn([3, 5])), st.ShapeError, "BatchNorm1d(4)", "num_features=4", "[3, 5]");
    expectError(() => bn.call(st.randn([2, 4, 3, 3])), st.ShapeError, "BatchNorm1d(4)", "[2, 4, 3, 3]");
    expectError(() => new nn.BatchNorm1d(4, { momentum: 2 }), st.ValueError, "momentum", "2");
    expectError(() => F.batchNorm(st.randn([3, 4]), null, null), st.ValueError, "batchNorm", "running statistics");
  });
});

describe("LayerNorm", () => {
  it("matches the float64 formula, with large offsets and constant rows", () => {
    const x = st.randn([6, 8], { generator: new st.Generator(24) }).add(1e4);
    const xd = x._data;
    for (let j = 0; j < 8; j++) xd[j] = 3; // row 0 constant
    const ln = new nn.LayerNorm(8, { eps: 1e-5 });
    randomizeParams(ln, 25);
    const y = ln.call(x);
    const w = ln.weight!.dataSync();
    const b = ln.bias!.dataSync();
    const ref: number[][] = [];
    for (let i = 0; i < 6; i++) {
      const row = Array.from(xd.slice(i * 8, i * 8 + 8));
      const m = row.reduce((a, v) => a + v, 0) / 8;
      const v = row.reduce((a, u) => a + (u - m) ** 2, 0) / 8;
      ref.push(row.map((u, j) => ((u - m) / Math.sqrt(v + 1e-5)) * w[j]! + b[j]!));
    }
    // error: the float32 rounding of each row's mean (≤ 4.9e-4) over σ ≈ 1, times |γ| ≤ 1.5
    expectClose(y, ref, { rtol: 0, atol: 1e-3 });
    expect(Array.from(y.index(0).dataSync())).toEqual(Array.from(b));
  });

  it("normalizes each sample over the trailing dims only", () => {
    const x = st.randn([2, 3, 4], f64);
    const y = new nn.LayerNorm([3, 4], { elementwiseAffine: false }).call(x);
    for (let i = 0; i < 2; i++) {
      const row = Array.from(y.index(i).dataSync());
      expect(Math.abs(row.reduce((a, v) => a + v, 0))).toBeLessThan(1e-12);
    }
    expect(new nn.LayerNorm(4, { elementwiseAffine: false }).parameters()).toEqual([]);
  });

  it("wrong trailing dims are a ShapeError naming LayerNorm and both shapes", () => {
    expectError(() => new nn.LayerNorm([3, 5]).call(st.zeros([4, 5, 3])), st.ShapeError, "LayerNorm((3, 5))", "[3, 5]", "[4, 5, 3]");
    expectError(() => F.layerNorm(st.zeros([2, 4]), 4, st.ones([5])), st.ShapeError, "layerNorm", "weight", "[4]", "[5]");
    expectError(() => new nn.LayerNorm([]), st.ValueError, "LayerNorm", "normalizedShape");
  });
});

describe("Embedding", () => {
  it("looks rows up for ids of any shape", () => {
    const emb = new nn.Embedding(4, 2);
    st.noGrad(() => emb.weight.copy_(st.tensor([[0, 1], [2, 3], [4, 5], [6, 7]], { dtype: "float32" })));
    expect(emb.call(st.tensor([[3, 0], [1, 1]])).toArray()).toEqual([[[6, 7], [0, 1]], [[2, 3], [2, 3]]]);
    expect(emb.call(st.tensor(2)).toArray()).toEqual([4, 5]);
  });

  it("starts N(0, 1) with the padding row zeroed; the padding row gets no gradient", () => {
    const emb = new nn.Embedding(2000, 100, { paddingIdx: 3, generator: new st.Generator(26) });
    const w = emb.weight.dataSync();
    let s = 0;
    let q = 0;
    let n = 0;
    for (let i = 0; i < w.length; i++) {
      if (Math.floor(i / 100) === 3) { expect(w[i]).toBe(0); continue; }
      s += w[i]!;
      q += w[i]! * w[i]!;
      n++;
    }
    const mean = s / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(q / n - mean * mean - 1)).toBeLessThan(5 * Math.sqrt(2 / n));

    const small = new nn.Embedding(5, 2, { paddingIdx: -1 });
    expect(small.paddingIdx).toBe(4);
    st.noGrad(() => small.weight.fill_(1)); // a padding row that is not zero still passes through
    const y = small.call(st.tensor([4, 1, 4, 2]));
    expect(y.toArray()).toEqual([[1, 1], [1, 1], [1, 1], [1, 1]]);
    y.mul(st.tensor([[1, 2], [3, 4], [5, 6], [7, 8]], { dtype: "float32" })).sum().backward();
    expect(small.weight.grad!.toArray()).toEqual([[0, 0], [3, 4], [7, 8], [0, 0], [0, 0]]);
  });

  it("an id out of range is an IndexError naming Embedding and the id; float ids are a DTypeError", () => {
    const emb = new nn.Embedding(10, 4);
    expectError(() => emb.call(st.tensor([1, 12])), st.IndexError, "Embedding(10, 4)", "12", "0 <= index < 10");
    expectError(() => emb.call(st.tensor([-1])), st.IndexError, "Embedding", "-1");
    expectError(() => emb.call(st.tensor([1.5])), st.DTypeError, "Embedding", "int32", "float32");
    expectError(() => new nn.Embedding(10, 4, { paddingIdx: 10 }), st.ValueError, "paddingIdx", "10");
  });

  it("fromPretrained copies the table and freezes it by default", () => {
    const table = st.tensor([[1, 2], [3, 4]], { dtype: "float32" });
    const e = nn.Embedding.fromPretrained(table);
    expect(e.weight.requiresGrad).toBe(false);
    expect(e.call(st.tensor([1])).toArray()).toEqual([[3, 4]]);
    expect(nn.Embedding.fromPretrained(table, { freeze: false }).weight.requiresGrad).toBe(true);
  });
});

describe("Dropout", () => {
  it("is reproducible with a seeded generator and the identity in eval mode", () => {
    const x = st.ones([50, 40]);
    const a = new nn.Dropout(0.3, { generator: new st.Generator(1) }).call(x);
    const b = new nn.Dropout(0.3, { generator: new st.Generator(1) }).call(x);
    const c = new nn.Dropout(0.3, { generator: new st.Generator(2) }).call(x);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    expect(new nn.Dropout(0.3).eval().call(x)).toBe(x);
    expect(new nn.Dropout(0).call(x)).toBe(x);
  });

  it("drops a fraction p, scales survivors by 1/(1 − p), and preserves the mean", () => {
    const p = 0.3;
    const n = 200_000;
    const y = F.dropout(st.ones([n]), p, true, new st.Generator(27));
    const d = y.dataSync();
    let zeros = 0;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      if (d[i] === 0) zeros++;
      else if (d[i] !== Math.fround(1 / (1 - p))) wrong++;
    }
    expect(wrong, "survivors not scaled by exactly 1/(1 − p)").toBe(0);
    expect(Math.abs(zeros / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    const mean = y.mean().item();
    // Var(y) = p/(1 − p) for unit inputs
    expect(Math.abs(mean - 1)).toBeLessThan(5 * Math.sqrt(p / (1 - p) / n));
  });

  it("p = 1 gives zeros; the gradient is the scaled mask; a bad p is a ValueError", () => {
    const x = st.randn([4, 4], { requiresGrad: true });
    const y = F.dropout(x, 1);
    expect(Array.from(y.dataSync()).every((v) => v === 0)).toBe(true);
    const z = F.dropout(x, 0.5, true, new st.Generator(4));
    z.sum().backward();
    const g = x.grad!.dataSync();
    const zd = z.dataSync();
    const xd = x.dataSync();
    for (let i = 0; i < 16; i++) expect(g[i]).toBe(zd[i] === 0 && xd[i] !== 0 ? 0 : 2);
    expectError(() => new nn.Dropout(1.5), st.ValueError, "Dropout", "1.5");
    expectError(() => F.dropout(x, -0.1), st.ValueError, "dropout", "-0.1");
  });
});

describe("activations: stability at extreme inputs and PyTorch's gradients at 0", () => {
  // the values (not just finiteness) at ±1e4, ±100, ±30 and 0, forward and gradient, against
  // PyTorch on every backend: tests/activations-extreme.test.ts

  it("give the right limits at ±1e4", () => {
    const x = st.tensor([-1e4, 1e4], f64);
    expectClose(F.softplus(x), [0, 1e4]);
    expectClose(F.softplus(x, 1, Infinity), [0, 1e4]);
    expectClose(F.elu(x, 0.5), [-0.5, 1e4]);
    expectClose(F.selu(x), [-nn.functional.SELU_ALPHA * nn.functional.SELU_SCALE, 1e4 * nn.functional.SELU_SCALE]);
    expectClose(F.gelu(x), [0, 1e4]);
    expectClose(F.gelu(x, "tanh"), [0, 1e4]);
    expectClose(F.sigmoid(x), [0, 1]);
  });

  it("keep precision for tiny negative inputs (expm1, log1p forms)", () => {
    const x = st.tensor([-1e-10, -1e-300], f64);
    expectClose(F.elu(x), [-1e-10 + 5e-21, -1e-300], { rtol: 1e-15, atol: 0 });
    expectClose(F.softplus(st.tensor([-40], f64)), [Math.exp(-40)], { rtol: 1e-12, atol: 0 });
  });

  it("use PyTorch's subgradient at exactly 0", () => {
    const at0 = (f: (x: Tensor) => Tensor): number => {
      const x = st.tensor([0], { ...f64, requiresGrad: true });
      f(x).sum().backward();
      return x.grad!.item();
    };
    expect(at0(F.relu)).toBe(0);
    expect(at0((x) => F.leakyRelu(x, 0.2))).toBeCloseTo(0.2, 15);
    expect(at0((x) => F.prelu(x, st.tensor([0.3], f64)))).toBeCloseTo(0.3, 15);
    expect(at0((x) => F.elu(x, 0.5))).toBeCloseTo(0.5, 15);
    expect(at0(F.selu)).toBeCloseTo(1.6732632423543772 * 1.0507009873554805, 14);
    expect(at0((x) => F.gelu(x))).toBeCloseTo(0.5, 15);
    expect(at0((x) => F.gelu(x, "tanh"))).toBeCloseTo(0.5, 15);
    expect(at0((x) => F.softplus(x))).toBeCloseTo(0.5, 15);
  });

  it("SELU uses the exact constants; GELU-tanh approximates GELU", () => {
    expect(F.SELU_ALPHA).toBe(1.6732632423543772);
    expect(F.SELU_SCALE).toBe(1.0507009873554805);
    const x = st.linspace(-5, 5, 101, f64);
    expectClose(F.gelu(x, "tanh"), F.gelu(x), { rtol: 0, atol: 1e-3 });
    expectError(() => F.gelu(x, "fast" as never), st.ValueError, "gelu", "fast");
    expectError(() => new nn.GELU({ approximate: "fast" as never }), st.ValueError, "GELU", "fast");
  });

  it("PReLU learns one slope per channel on dim 1", () => {
    const pr = new nn.PReLU(3, 0.1).double();
    const x = st.tensor([[[-1, 2], [-3, -4], [5, -6]]], { ...f64, requiresGrad: true });
    const y = pr.call(x);
    expectClose(y, [[[-0.1, 2], [-0.3, -0.4], [5, -0.6]]]);
    y.sum().backward();
    // d/da_c Σ y = Σ of the channel's negative inputs
    expectClose(pr.weight.grad!, [-1, -7, -6]);
    expectError(() => pr.call(st.zeros([2, 4], f64)), st.ShapeError, "prelu", "[3]", "[2, 4]", "4 channels");
  });

  it("Softmax and LogSoftmax default to the last dim; functional F is the same namespace", () => {
    const x = st.randn([2, 3]);
    expectClose(new nn.Softmax().call(x).sum(-1), [1, 1]);
    expectClose(new nn.LogSoftmax().call(x).exp().sum(-1), [1, 1]);
    expect(nn.F.relu).toBe(nn.functional.relu);
  });
});

describe("Identity and Flatten", () => {
  it("Identity returns its input; Flatten folds dims without copying", () => {
    const x = st.randn([2, 3, 4]);
    expect(new nn.Identity(1, "ignored").call(x)).toBe(x);
    const f = new nn.Flatten().call(x);
    expect(f.shape).toEqual([2, 12]);
    expect(f._s).toBe(x._s);
    expect(new nn.Flatten(0, 1).call(x).shape).toEqual([6, 4]);
  });
});
