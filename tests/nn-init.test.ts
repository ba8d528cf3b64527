// st.nn.init: large samples (fixed seeds) match each initializer's distribution — mean,
// variance and bounds within 5 standard errors — orthogonal_ gives WᵀW = I, truncNormal_ is the
// truncated normal even far in a tail, calculateGain matches PyTorch, and bad input raises.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";

const { init } = st.nn;
const gen = (seed: number) => ({ generator: new st.Generator(seed) });

interface Stats { n: number; mean: number; variance: number; m4: number; min: number; max: number }

/** Sample moments in float64 (central 4th moment too, for the standard error of the variance). */
function stats(t: Tensor): Stats {
  const d = t._data;
  const n = d.length;
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    s += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = s / n;
  let q = 0;
  let q4 = 0;
  for (let i = 0; i < n; i++) {
    const c = d[i]! - mean;
    q += c * c;
    q4 += c * c * c * c;
  }
  return { n, mean, variance: q / n, m4: q4 / n, min, max };
}

/**
 * Asserts that the sample mean and variance match the distribution's within 5 standard errors:
 * SE(mean) = σ/√n, SE(s²) = √((μ₄ − σ⁴)/n) with μ₄ estimated from the sample.
 */
function expectMoments(s: Stats, mean: number, variance: number, what: string): void {
  const seMean = Math.sqrt(variance / s.n);
  const seVar = Math.sqrt(Math.max(s.m4 - s.variance * s.variance, 0) / s.n);
  expect(Math.abs(s.mean - mean), `${what}: mean ${s.mean} vs ${mean} (SE ${seMean})`).toBeLessThan(5 * seMean);
  expect(Math.abs(s.variance - variance), `${what}: variance ${s.variance} vs ${variance} (SE ${seVar})`).toBeLessThan(5 * seVar);
}

/** Mean and variance of N(0, 1) restricted to [a, b], by Simpson's rule on the density (float64). */
function truncatedMoments(a: number, b: number): { mean: number; variance: number } {
  const lo = Math.max(a, -40);
  const hi = Math.min(b, 40);
  const k = 20000;
  const h = (hi - lo) / k;
  // densities relative to the largest one in the interval, so far tails do not underflow
  const peak = lo > 0 ? lo : hi < 0 ? hi : 0;
  const f = (x: number) => Math.exp(-0.5 * (x * x - peak * peak));
  let z = 0;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i <= k; i++) {
    const x = lo + i * h;
    const w = i === 0 || i === k ? 1 : i % 2 === 1 ? 4 : 2;
    z += w * f(x);
    m1 += w * x * f(x);
    m2 += w * x * x * f(x);
  }
  const mean = m1 / z;
  return { mean, variance: m2 / z - mean * mean };
}

describe("uniform_, normal_, constant_ and friends", () => {
  it("uniform_ fills [a, b) with mean (a + b)/2 and variance (b − a)²/12", () => {
    const t = init.uniform_(st.zeros([1000, 1000]), -2, 3, gen(1));
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(3);
    expect(s.min).toBeLessThan(-2 + 1e-3); // the range is actually used
    expect(s.max).toBeGreaterThan(3 - 1e-3);
    expectMoments(s, 0.5, 25 / 12, "uniform_");
  });

  it("normal_ gives mean and std as asked, in float32 and float64", () => {
    expectMoments(stats(init.normal_(st.zeros([1000, 1000]), 1.5, 0.5, gen(2))), 1.5, 0.25, "normal_ float32");
    expectMoments(stats(init.normal_(st.zeros([500, 400], { dtype: "float64" }), -3, 2, gen(3))), -3, 4, "normal_ float64");
  });

  it("is reproducible, bumps the version, and writes into parameters that require grad", () => {
    const p = new st.nn.Parameter(st.zeros([50]));
    const v = p.version;
    init.normal_(p, 0, 1, gen(4));
    expect(p.version).toBe(v + 1);
    expect(p.requiresGrad).toBe(true);
    expect(Array.from(p.dataSync())).toEqual(Array.from(init.normal_(st.zeros([50]), 0, 1, gen(4)).dataSync()));
    expect(Array.from(p.dataSync())).not.toEqual(Array.from(init.normal_(st.zeros([50]), 0, 1, gen(5)).dataSync()));
  });

  it("constant_, zeros_, ones_, eye_", () => {
    expect(init.constant_(st.zeros([2, 2]), 0.5).toArray()).toEqual([[0.5, 0.5], [0.5, 0.5]]);
    expect(init.ones_(st.zeros([3], { dtype: "int32" })).toArray()).toEqual([1, 1, 1]);
    expect(init.zeros_(st.ones([2])).toArray()).toEqual([0, 0]);
    expect(init.eye_(st.ones([2, 3])).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it("bad input raises typed errors naming the initializer", () => {
    expectError(() => init.uniform_(st.zeros([2]), 1, 0), st.ValueError, "uniform_", "a=1", "b=0");
    expectError(() => init.normal_(st.zeros([2]), 0, -1), st.ValueError, "normal_", "std=-1");
    expectError(() => init.normal_(st.zeros([2], { dtype: "int32" })), st.DTypeError, "normal_", "int32");
    expectError(() => init.constant_(st.zeros([2], { dtype: "int32" }), 1.5), st.DTypeError, "constant_");
    expectError(() => init.eye_(st.zeros([2, 2, 2])), st.ShapeError, "eye_", "[2, 2, 2]");
    expectError(() => init.xavierUniform_(st.zeros([5])), st.ShapeError, "calculateFanInAndFanOut", "[5]");
    expectError(() => init.kaimingUniform_(st.zeros([2, 2]), { mode: "fanAvg" as never }), st.ValueError, "kaimingUniform_", "fanAvg");
  });
});

describe("fans and gains", () => {
  it("calculateFanInAndFanOut uses PyTorch's layout [out, in, ...kernel]", () => {
    expect(init.calculateFanInAndFanOut(st.zeros([8, 6]))).toEqual([6, 8]);
    expect(init.calculateFanInAndFanOut(st.zeros([16, 3, 5, 5]))).toEqual([75, 400]);
  });

  it("calculateGain gives PyTorch's values", () => {
    expect(init.calculateGain("linear")).toBe(1);
    expect(init.calculateGain("conv2d")).toBe(1);
    expect(init.calculateGain("convTranspose1d")).toBe(1);
    expect(init.calculateGain("sigmoid")).toBe(1);
    expect(init.calculateGain("tanh")).toBe(5 / 3);
    expect(init.calculateGain("relu")).toBe(Math.sqrt(2));
    expect(init.calculateGain("selu")).toBe(0.75);
    expect(init.calculateGain("leaky_relu")).toBe(Math.sqrt(2 / (1 + 0.01 ** 2)));
    expect(init.calculateGain("leakyRelu", 0.2)).toBe(Math.sqrt(2 / 1.04));
    expect(init.calculateGain("leakyRelu", 0)).toBe(Math.sqrt(2));
    expectError(() => init.calculateGain("swish" as never), st.ValueError, "calculateGain", "swish");
  });
});

describe("variance-scaling initializers on a 1000×1000 (or conv-shaped) weight", () => {
  it("xavierUniform_: U(±gain·√(6/(fanIn + fanOut)))", () => {
    const gain = init.calculateGain("tanh");
    const w = init.xavierUniform_(st.zeros([800, 1200]), gain, gen(6));
    const bound = gain * Math.sqrt(6 / 2000);
    const s = stats(w);
    expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(bound);
    expect(s.max).toBeGreaterThan(bound * 0.999);
    expectMoments(s, 0, bound * bound / 3, "xavierUniform_");
  });

  it("xavierNormal_: std gain·√(2/(fanIn + fanOut))", () => {
    const w = init.xavierNormal_(st.zeros([1000, 1000]), 2, gen(7));
    expectMoments(stats(w), 0, 4 * 2 / 2000, "xavierNormal_");
  });

  it("kaimingUniform_: bound √3·gain/√fan, for fanIn and fanOut, relu and leaky relu", () => {
    const w = init.kaimingUniform_(st.zeros([500, 2000]), gen(8)); // leaky_relu, a = 0 → gain √2
    const bound = Math.sqrt(6 / 2000);
    const s = stats(w);
    expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(bound);
    expectMoments(s, 0, bound * bound / 3, "kaimingUniform_ fanIn");
    const w2 = init.kaimingUniform_(st.zeros([500, 2000]), { mode: "fanOut", nonlinearity: "relu", ...gen(9) });
    expectMoments(stats(w2), 0, 2 / 500, "kaimingUniform_ fanOut");
    // Linear's default: a = √5 gives U(±1/√fanIn)
    const w3 = init.kaimingUniform_(st.zeros([1000, 1000]), { a: Math.sqrt(5), ...gen(10) });
    expect(Math.max(-stats(w3).min, stats(w3).max)).toBeLessThanOrEqual(1 / Math.sqrt(1000));
    expectMoments(stats(w3), 0, 1 / 3000, "kaimingUniform_ a=√5");
  });

  it("kaimingNormal_: std gain/√fan, conv-shaped fans included", () => {
    const w = init.kaimingNormal_(st.zeros([64, 32, 5, 5]), { nonlinearity: "relu", ...gen(11) }); // fanIn 800
    expectMoments(stats(w), 0, 2 / 800, "kaimingNormal_ conv");
    const w2 = init.kaimingNormal_(st.zeros([1000, 1000]), { a: 0.2, mode: "fan_out", ...gen(12) });
    expectMoments(stats(w2), 0, 2 / 1.04 / 1000, "kaimingNormal_ leaky 0.2");
  });

  it("Keras's names follow Keras: uniform limits and ±2σ′-truncated normals with the stated std", () => {
    const fi = 1000;
    const fo = 500;
    const shape = [fo, fi];
    const gu = stats(init.glorotUniform_(st.zeros(shape), gen(13)));
    expect(Math.max(-gu.min, gu.max)).toBeLessThanOrEqual(Math.sqrt(6 / (fi + fo)));
    expectMoments(gu, 0, 2 / (fi + fo), "glorotUniform_");
    const hu = stats(init.heUniform_(st.zeros(shape), gen(14)));
    expect(Math.max(-hu.min, hu.max)).toBeLessThanOrEqual(Math.sqrt(6 / fi));
    expectMoments(hu, 0, 2 / fi, "heUniform_");
    const lu = stats(init.lecunUniform_(st.zeros(shape), gen(15)));
    expect(Math.max(-lu.min, lu.max)).toBeLessThanOrEqual(Math.sqrt(3 / fi));
    expectMoments(lu, 0, 1 / fi, "lecunUniform_");
    const cases: [string, (t: Tensor) => Tensor, number][] = [
      ["glorotNormal_", (t) => init.glorotNormal_(t, gen(16)), 2 / (fi + fo)],
      ["heNormal_", (t) => init.heNormal_(t, gen(17)), 2 / fi],
      ["lecunNormal_", (t) => init.lecunNormal_(t, gen(18)), 1 / fi],
    ];
    for (const [name, f, variance] of cases) {
      const s = stats(f(st.zeros(shape)));
      const cut = (2 * Math.sqrt(variance)) / 0.87962566103423978;
      expect(Math.max(-s.min, s.max), `${name} bound`).toBeLessThanOrEqual(cut);
      expect(s.max, `${name} reaches near its bound`).toBeGreaterThan(cut * 0.99);
      expectMoments(s, 0, variance, name);
    }
  });
});

describe("truncNormal_", () => {
  it("respects [a, b] and has the truncated normal's mean and variance", () => {
    const t = init.truncNormal_(st.zeros([1000, 1000]), 0, 1, -2, 2, gen(19));
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThanOrEqual(2);
    const ref = truncatedMoments(-2, 2);
    expect(ref.variance).toBeCloseTo(0.87962566103423978 ** 2, 6); // the integrator agrees with the closed form
    expectMoments(s, 0, ref.variance, "truncNormal_ [-2, 2]");
  });

  it("works for shifted, one-sided, and far-tail intervals (where inverse-CDF sampling breaks down)", () => {
    const cases: [number, number, number, number][] = [
      // mean, std, a, b
      [1, 2, -1, 7], // standardized [-1, 3]
      [0, 1, 0, Infinity], // half-normal
      [0, 1, 3, 4], // right tail
      [0, 1, -9, -8], // far left tail: Φ(−8) ≈ 6e−16
      [0, 1, 8, 30], // far right tail, one-sided in practice
      [5, 0.1, 5.05, 5.06], // narrow interval
    ];
    cases.forEach(([mean, std, a, b], k) => {
      const t = init.truncNormal_(st.zeros([200_000], { dtype: "float64" }), mean, std, a, b, gen(20 + k));
      const s = stats(t);
      expect(s.min, `case ${k} lower bound`).toBeGreaterThanOrEqual(a);
      expect(s.max, `case ${k} upper bound`).toBeLessThanOrEqual(b);
      const ref = truncatedMoments((a - mean) / std, (b - mean) / std);
      expectMoments(s, mean + std * ref.mean, std * std * ref.variance, `truncNormal_ case ${k} [${a}, ${b}]`);
    });
  });

  it("keeps float32 values inside bounds that float32 cannot represent", () => {
    const t = init.truncNormal_(st.zeros([100_000]), 0, 1, 0.1, 0.3, gen(30));
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(0.1);
    expect(s.max).toBeLessThanOrEqual(0.3);
  });

  it("rejects an empty interval or a non-positive std", () => {
    expectError(() => init.truncNormal_(st.zeros([2]), 0, 1, 2, -2), st.ValueError, "truncNormal_", "a=2", "b=-2");
    expectError(() => init.truncNormal_(st.zeros([2]), 0, 0), st.ValueError, "truncNormal_", "std=0");
  });
});

describe("orthogonal_", () => {
  const gram = (w: Tensor, rowsOrthonormal: boolean) => {
    const m = w.reshape(w.shape[0]!, -1).double();
    return rowsOrthonormal ? m.matmul(m.T) : m.T.matmul(m);
  };

  it("square, tall and wide matrices have orthonormal columns or rows (WᵀW = I or WWᵀ = I)", () => {
    for (const [r, c] of [[64, 64], [120, 40], [30, 90]] as const) {
      const w = init.orthogonal_(st.zeros([r, c]), 1, gen(40 + r));
      expectClose(gram(w, r < c), st.eye(Math.min(r, c), Math.min(r, c), { dtype: "float64" }), { rtol: 0, atol: 1e-5 });
      const wd = init.orthogonal_(st.zeros([r, c], { dtype: "float64" }), 1, gen(50 + r));
      expectClose(gram(wd, r < c), st.eye(Math.min(r, c), Math.min(r, c), { dtype: "float64" }), { rtol: 0, atol: 1e-12 });
    }
  });

  it("scales by gain, flattens trailing dims, and is reproducible but seed-dependent", () => {
    const w = init.orthogonal_(st.zeros([8, 4, 3, 3], { dtype: "float64" }), 2, gen(60)); // 8×36: orthonormal rows
    expectClose(gram(w, true), st.eye(8, 8, { dtype: "float64" }).mul(4), { rtol: 0, atol: 1e-12 });
    const a = init.orthogonal_(st.zeros([5, 5]), 1, gen(61)).dataSync();
    const b = init.orthogonal_(st.zeros([5, 5]), 1, gen(61)).dataSync();
    const c = init.orthogonal_(st.zeros([5, 5]), 1, gen(62)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it("is Haar-distributed (diag(R) > 0 sign fix): the trace has mean 0 and variance 1", () => {
    // Without the sign fix, Householder QR makes every diagonal entry lean negative, and
    // E[tr W] ≈ −√(2n/π) ≈ −11 for n = 200; Haar matrices have tr W with mean 0, variance 1.
    for (const seed of [63, 64, 65]) {
      const w = init.orthogonal_(st.zeros([200, 200], { dtype: "float64" }), 1, gen(seed));
      let tr = 0;
      for (let i = 0; i < 200; i++) tr += w._data[i * 201]!;
      expect(Math.abs(tr), `trace with seed ${seed}`).toBeLessThan(5);
    }
  });

  it("needs at least 2 dims", () => {
    expectError(() => init.orthogonal_(st.zeros([4])), st.ShapeError, "orthogonal_", "[4]");
  });
});
