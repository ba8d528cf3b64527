// Seeded randomness: reference vectors, determinism, state round trips, and distribution checks
// whose tolerances are a few standard errors (seeds are fixed, so the checks are deterministic).

import { describe, expect, it } from "vitest";
import { DEFAULT_SEED, Generator, defaultGenerator, initialSeed, manualSeed, seed } from "../src/core/random.js";
import { DTypeError, ValueError } from "../src/core/errors.js";

const N = 1_000_000;

function moments(x: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i]! - mean) ** 2;
  return { mean, variance: v / (x.length - 1) };
}

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
}

describe("reference vectors", () => {
  it("seeds xoshiro through splitmix64 (seed 0 → 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4)", () => {
    const st = new Generator(0).getState();
    expect([...st.slice(1, 5)]).toEqual([0x7b1dcdaf, 0xe220a839, 0xa1b965f4, 0x6e789e6a]);
  });

  it("xoshiro128** from state {1, 2, 3, 4} matches the reference implementation", () => {
    const g = new Generator(0).setState(Uint32Array.from([1, 1, 2, 3, 4, 0, 0, 0, 0, 0]));
    const out = Array.from({ length: 5 }, () => g.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883]);
  });
});

describe("seeding and state", () => {
  it("same seed gives the same samples, for every sampler", () => {
    const draw = (g: Generator) => [
      ...g.uniform(new Float32Array(50)),
      ...g.normal(new Float64Array(51)),
      ...g.randint(new Int32Array(50), -7, 1000),
      ...g.bernoulli(new Uint8Array(50), 0.3),
      ...g.randperm(50),
      g.nextFloat64(),
      g.nextUint32(),
    ];
    expect(draw(new Generator(123))).toEqual(draw(new Generator(123)));
    expect(draw(new Generator(123n))).toEqual(draw(new Generator(123)));
  });

  it("different (even adjacent) seeds give unrelated streams", () => {
    const first = new Set<number>();
    for (let s = 0; s < 1000; s++) first.add(new Generator(s).nextUint32());
    expect(first.size).toBe(1000);
    // Correlation of two adjacent-seed streams stays within 5 standard errors (1/√n) of 0.
    const n = 100_000;
    const a = new Generator(1).normal(new Float64Array(n));
    const b = new Generator(2).normal(new Float64Array(n));
    let dot = 0;
    for (let i = 0; i < n; i++) dot += a[i]! * b[i]!;
    expect(Math.abs(dot / n)).toBeLessThan(5 / Math.sqrt(n));
  });

  it("module-level manualSeed seeds the default generator and returns it", () => {
    expect(manualSeed(42)).toBe(defaultGenerator);
    expect(initialSeed()).toBe(42n);
    const a = defaultGenerator.uniform(new Float64Array(10));
    const b = new Generator(42).uniform(new Float64Array(10));
    expect([...a]).toEqual([...b]);
  });

  it("default seed is PyTorch's, and seed() returns a replayable seed", () => {
    expect(new Generator().initialSeed()).toBe(BigInt(DEFAULT_SEED));
    const s = seed();
    expect(Number.isSafeInteger(s)).toBe(true);
    const a = defaultGenerator.normal(new Float64Array(5));
    expect([...new Generator(s).normal(new Float64Array(5))]).toEqual([...a]);
    manualSeed(DEFAULT_SEED);
  });

  it("negative seeds wrap to uint64 as in PyTorch", () => {
    const g = new Generator(-1);
    expect(g.initialSeed()).toBe((1n << 64n) - 1n);
    expect(g.nextUint32()).toBe(new Generator((1n << 64n) - 1n).nextUint32());
    expect(() => new Generator(1.5)).toThrow(ValueError);
    expect(() => new Generator(1n << 64n)).toThrow(ValueError);
  });

  it("getState/setState replays the stream, including a cached normal", () => {
    const g = new Generator(7);
    g.nextNormal(); // leaves the second value of the pair cached
    const st = g.getState();
    const a = [...g.normal(new Float64Array(11)), ...g.uniform(new Float32Array(5)), g.nextUint32()];
    g.manualSeed(99);
    g.setState(st);
    const b = [...g.normal(new Float64Array(11)), ...g.uniform(new Float32Array(5)), g.nextUint32()];
    expect(b).toEqual(a);
    expect(g.initialSeed()).toBe(7n);
    // A second generator restored from the same state agrees too.
    expect(new Generator().setState(st).nextNormal()).toBe(a[0]);
    st[0] = 99;
    expect(() => g.setState(st)).toThrow(ValueError);
    expect(() => g.setState(new Uint32Array(3))).toThrow(ValueError);
  });
});

describe("uniform", () => {
  it("float64 [0, 1): mean 1/2 and variance 1/12 within 5 standard errors", () => {
    const x = new Generator(1).uniform(new Float64Array(N));
    const { mean, variance } = moments(x);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    // Var(s²) ≈ (μ₄ − σ⁴)/n with μ₄ = 1/80 for U(0, 1).
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt((1 / 80 - 1 / 144) / N));
    expect(Math.min(...x.subarray(0, 1000))).toBeGreaterThanOrEqual(0);
  });

  it("float32 [-2, 5): moments, and bounds respected", () => {
    const x = new Generator(2).uniform(new Float32Array(N), -2, 5);
    const w = 7;
    const { mean, variance } = moments(x);
    expect(Math.abs(mean - 1.5)).toBeLessThan(5 * Math.sqrt((w * w) / 12 / N));
    expect(Math.abs(variance - (w * w) / 12)).toBeLessThan(5 * w * w * Math.sqrt((1 / 80 - 1 / 144) / N));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(-2);
    expect(hi).toBeLessThan(5);
  });

  it("float32 never returns high, even where rounding would land on it often", () => {
    // [1, 1 + 4ε): in float64, 1/8 of the draws round up to exactly `high` in float32.
    const eps = 2 ** -23;
    const high = 1 + 4 * eps;
    const x = new Generator(3).uniform(new Float32Array(200_000), 1, high);
    const counts = [0, 0, 0, 0];
    let bad = 0;
    for (const v of x) {
      if (v >= high) bad++;
      else counts[Math.round((v - 1) / eps)]!++;
    }
    expect(bad).toBe(0);
    // After rejecting the 1/8 that rounds to `high`, 1 keeps 1/7 of the mass and 1+ε, 1+2ε, 1+3ε 2/7 each.
    for (const c of counts) expect(c).toBeGreaterThan(200_000 / 10);
    const y = new Generator(4).uniform(new Float32Array(N));
    for (const v of y) if (v >= 1) throw new Error(`uniform returned ${v}`);
  });

  it("rejects bad bounds and integer outputs", () => {
    const g = new Generator(0);
    expect(() => g.uniform(new Float64Array(2), 1, 1)).toThrow(ValueError);
    expect(() => g.uniform(new Float64Array(2), 2, 1)).toThrow(ValueError);
    expect(() => g.uniform(new Float64Array(2), 0, Infinity)).toThrow(ValueError);
    expect(() => g.uniform(new Float64Array(2), -1e308, 1e308)).toThrow(ValueError);
    expect(() => g.uniform(new Int32Array(2) as unknown as Float32Array)).toThrow(DTypeError);
  });
});

describe("normal", () => {
  it("N(3, 2²): mean, variance, kurtosis and two-sided tail within 5 standard errors", () => {
    const x = new Generator(5).normal(new Float64Array(N), 3, 2);
    const { mean, variance } = moments(x);
    expect(Math.abs(mean - 3)).toBeLessThan((5 * 2) / Math.sqrt(N));
    expect(Math.abs(variance - 4)).toBeLessThan(5 * 4 * Math.sqrt(2 / N));
    let m4 = 0;
    let tail = 0;
    for (const v of x) {
      const z = (v - 3) / 2;
      m4 += z ** 4;
      if (Math.abs(z) > 2) tail++;
    }
    expect(Math.abs(m4 / N - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
    const p = 0.04550026389635842; // P(|Z| > 2)
    expect(Math.abs(tail / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
  });

  it("float32 output and std = 0", () => {
    const x = new Generator(6).normal(new Float32Array(N));
    const { mean, variance } = moments(x);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect([...new Generator(0).normal(new Float32Array(3), 1.5, 0)]).toEqual([1.5, 1.5, 1.5]);
    expect(() => new Generator(0).normal(new Float32Array(3), 0, -1)).toThrow(ValueError);
  });
});

describe("randint", () => {
  it("stays in [low, high) and is uniform by chi-square over 10 buckets", () => {
    const x = new Generator(8).randint(new Int32Array(N), -3, 7);
    const counts = new Array<number>(10).fill(0);
    for (const v of x) counts[v + 3]!++; // an out-of-range v would make a NaN bucket and fail below
    expect(counts.reduce((a, b) => a + b, 0)).toBe(N);
    // χ²(9): mean 9, sd √18 ≈ 4.2; 35 is p ≈ 2e-4.
    expect(chiSquare(counts, N / 10)).toBeLessThan(35);
  });

  it("is unbiased where modulo would double some values (n = 3·2³⁰)", () => {
    // r % n over 32-bit r would put half the mass in [0, 2³⁰) instead of a third.
    const n = 3 * 2 ** 30;
    const x = new Generator(9).randint(new Float64Array(300_000), 0, n);
    const counts = [0, 0, 0];
    for (const v of x) counts[Math.floor(v / 2 ** 30)]!++;
    expect(chiSquare(counts, 100_000)).toBeLessThan(25); // χ²(2): p ≈ 4e-6
  });

  it("covers the full int32 range, ranges wider than 2³², and checks dtype bounds", () => {
    const g = new Generator(10);
    const a = g.randint(new Int32Array(1000), -(2 ** 31), 2 ** 31);
    expect(a.some((v) => v < 0) && a.some((v) => v > 0)).toBe(true);
    const b = g.randint(new Float64Array(1000), -(2 ** 40), 2 ** 40);
    expect(b.every((v) => Number.isInteger(v) && v >= -(2 ** 40) && v < 2 ** 40)).toBe(true);
    expect(b.some((v) => Math.abs(v) > 2 ** 33)).toBe(true);
    expect([...g.randint(new Uint8Array(4), 5, 6)]).toEqual([5, 5, 5, 5]);
    expect(() => g.randint(new Uint8Array(4), 0, 257)).toThrow(ValueError);
    expect(() => g.randint(new Uint8Array(4), -1, 3)).toThrow(ValueError);
    expect(() => g.randint(new Int32Array(4), 0, 2 ** 31 + 1)).toThrow(ValueError);
    expect(() => g.randint(new Int32Array(4), 3, 3)).toThrow(ValueError);
    expect(() => g.randint(new Int32Array(4), 0.5, 3)).toThrow(ValueError);
  });
});

describe("bernoulli", () => {
  it("scalar p: rate within 5 standard errors, p = 0 and p = 1 exact", () => {
    const g = new Generator(11);
    const x = g.bernoulli(new Uint8Array(N), 0.3);
    const rate = x.reduce((a, b) => a + b, 0) / N;
    expect(Math.abs(rate - 0.3)).toBeLessThan(5 * Math.sqrt((0.3 * 0.7) / N));
    expect(g.bernoulli(new Float32Array(1000), 0).every((v) => v === 0)).toBe(true);
    expect(g.bernoulli(new Int32Array(1000), 1).every((v) => v === 1)).toBe(true);
    expect(() => g.bernoulli(new Uint8Array(3), 1.5)).toThrow(ValueError);
    expect(() => g.bernoulli(new Uint8Array(3), NaN)).toThrow(ValueError);
  });

  it("per-element p", () => {
    const n = 200_000;
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) p[i] = [0, 1, 0.25, 0.8][i % 4]!;
    const x = new Generator(12).bernoulli(new Float64Array(n), p);
    const sums = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) sums[i % 4]! += x[i]!;
    const m = n / 4;
    expect(sums[0]).toBe(0);
    expect(sums[1]).toBe(m);
    expect(Math.abs(sums[2]! / m - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / m));
    expect(Math.abs(sums[3]! / m - 0.8)).toBeLessThan(5 * Math.sqrt((0.8 * 0.2) / m));
    expect(() => new Generator(0).bernoulli(new Uint8Array(3), new Float32Array(2))).toThrow(ValueError);
    expect(() => new Generator(0).bernoulli(new Uint8Array(2), Float32Array.from([0.5, -0.1]))).toThrow(ValueError);
  });
});

describe("randperm", () => {
  it("returns a permutation of 0..n−1", () => {
    for (const n of [0, 1, 2, 17, 10_000]) {
      const p = new Generator(n).randperm(n);
      expect(p.length).toBe(n);
      expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    expect(() => new Generator(0).randperm(-1)).toThrow(ValueError);
  });

  it("all 3! orders are equally likely (chi-square)", () => {
    const g = new Generator(13);
    const counts = new Map<string, number>();
    const trials = 60_000;
    for (let t = 0; t < trials; t++) {
      const k = g.randperm(3).join("");
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    expect(chiSquare([...counts.values()], trials / 6)).toBeLessThan(30); // χ²(5): p ≈ 1.5e-5
  });
});

describe("scalar draws", () => {
  it("nextFloat64 ∈ [0, 1), nextUint32 is a uint32 with ~half its bits set", () => {
    const g = new Generator(14);
    let bits = 0;
    for (let i = 0; i < 10_000; i++) {
      const f = g.nextFloat64();
      expect(f >= 0 && f < 1).toBe(true);
      const u = g.nextUint32();
      expect(Number.isInteger(u) && u >= 0 && u < 2 ** 32).toBe(true);
      for (let b = 0; b < 32; b++) bits += (u >>> b) & 1;
    }
    // Binomial(320000, 1/2): sd ≈ 283.
    expect(Math.abs(bits - 160_000)).toBeLessThan(5 * 283);
  });
});
