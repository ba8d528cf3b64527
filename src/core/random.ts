// Seeded randomness: a small, fast, checkpointable generator (xoshiro128**) behind a
// torch.Generator-like API, plus the module-level default generator that `manualSeed` seeds.

import { DTypeError, ValueError } from "./errors.js";

/** Arrays a sampler can fill. */
export type SampleArray = Float32Array | Float64Array | Int32Array | Uint8Array;
/** Arrays that hold real-valued samples (uniform, normal). */
export type FloatSampleArray = Float32Array | Float64Array;

/** PyTorch's default seed (`torch.initial_seed()` in a fresh process); ours starts there too. */
export const DEFAULT_SEED = 67280421310721;

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
const TWO_M53 = 1 / TWO_53;
const MASK64 = (1n << 64n) - 1n;
const STATE_VERSION = 1;
const STATE_LENGTH = 10;

// Reinterprets a float64 as two uint32 words (and back) so the cached normal fits in getState().
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/**
 * splitmix64 step: x ← x + 0x9E3779B97F4A7C15, then a bijective mix of x. Used only to expand a
 * seed into the 128-bit xoshiro state, so BigInt's slowness is irrelevant. The mix is why nearby
 * seeds (0, 1, 2, …) give unrelated streams: xoshiro itself would need many steps to decorrelate
 * states that differ in one bit.
 */
function splitmix64(x: bigint): [next: bigint, out: bigint] {
  const next = (x + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

/** Maps a seed to uint64 the way PyTorch does: negatives wrap (−1 → 2⁶⁴−1). */
function toSeed64(seed: number | bigint, where: string): bigint {
  if (typeof seed === "number") {
    if (!Number.isSafeInteger(seed)) {
      throw new ValueError(`${where}: seed must be a safe integer or a bigint, got ${seed}`);
    }
    seed = BigInt(seed);
  } else if (typeof seed !== "bigint") {
    const got = typeof seed === "string" ? `the string ${JSON.stringify(seed)}` : seed === null ? "null" : typeof seed;
    throw new ValueError(`${where}: seed must be a safe integer or a bigint (got ${got})`);
  }
  if (seed < -(1n << 63n) || seed > MASK64) {
    throw new ValueError(`${where}: seed must lie in [-2^63, 2^64), got ${seed}`);
  }
  return BigInt.asUintN(64, seed);
}

/** A fresh, non-reproducible safe-integer seed from Math.random and the clock. */
function entropySeed(): number {
  const hi = Math.floor(Math.random() * 2 ** 21) ^ (Math.floor(Date.now() / TWO_32) & 0x1fffff);
  const lo = (Math.floor(Math.random() * TWO_32) ^ Date.now()) >>> 0;
  return (hi >>> 0) * TWO_32 + lo;
}

function isFloatArray(out: SampleArray): out is FloatSampleArray {
  return out instanceof Float32Array || out instanceof Float64Array;
}

/**
 * A seeded pseudo-random stream, the analogue of `torch.Generator`.
 *
 * Core: xoshiro128** (Blackman & Vigna) — 128 bits of state, period 2¹²⁸−1, passes BigCrush, and
 * needs only 32-bit integer ops (`Math.imul`), so it is fast in JS without BigInt. The seed is
 * expanded through splitmix64. Same seed ⇒ same samples on every platform; the streams are not
 * bit-identical to PyTorch's mt19937.
 * @example
 * const g = new st.Generator(123);
 * st.randn([2], { generator: g }); // the same values for every Generator(123)
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private seed64 = 0n;
  // Marsaglia's polar method yields normals in pairs; the second waits here.
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** Reseeds the stream (PyTorch's `manual_seed`); returns `this` for chaining. */
  manualSeed(seed: number | bigint): this {
    const s = toSeed64(seed, "Generator.manualSeed");
    let x = s;
    let a: bigint;
    let b: bigint;
    [x, a] = splitmix64(x);
    [x, b] = splitmix64(x);
    this.s0 = Number(a & 0xffffffffn) >>> 0;
    this.s1 = Number(a >> 32n) >>> 0;
    this.s2 = Number(b & 0xffffffffn) >>> 0;
    this.s3 = Number(b >> 32n) >>> 0;
    // xoshiro's one forbidden state; splitmix64 practically never yields it, but never is better.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.seed64 = s;
    this.hasSpare = false;
    this.spare = 0;
    return this;
  }

  /** Reseeds from Math.random and the clock; returns the seed used (feed it to manualSeed to replay). */
  seed(): number {
    const s = entropySeed();
    this.manualSeed(s);
    return s;
  }

  /** The seed last given to manualSeed, as uint64 (negative seeds come back wrapped, as in PyTorch). */
  initialSeed(): bigint {
    return this.seed64;
  }

  /**
   * A copy of the full state: [version, s0..s3, hasSpare, spare (2 words), seed (2 words)].
   * Includes the cached normal, so setState(getState()) replays the stream exactly.
   */
  getState(): Uint32Array {
    f64[0] = this.spare;
    return Uint32Array.from([
      STATE_VERSION,
      this.s0,
      this.s1,
      this.s2,
      this.s3,
      this.hasSpare ? 1 : 0,
      u32[0]!,
      u32[1]!,
      Number(this.seed64 & 0xffffffffn),
      Number(this.seed64 >> 32n),
    ]);
  }

  /** Restores a state returned by getState (the array is copied, not kept). */
  setState(state: Uint32Array): this {
    if (!(state instanceof Uint32Array) || state.length !== STATE_LENGTH || state[0] !== STATE_VERSION) {
      throw new ValueError(
        `Generator.setState: expected a Uint32Array of length ${STATE_LENGTH} from getState() ` +
          `(version ${STATE_VERSION}), got ${state?.constructor?.name} of length ${state?.length}`,
      );
    }
    if ((state[1]! | state[2]! | state[3]! | state[4]!) === 0) {
      throw new ValueError("Generator.setState: the all-zero xoshiro state is invalid");
    }
    this.s0 = state[1]!;
    this.s1 = state[2]!;
    this.s2 = state[3]!;
    this.s3 = state[4]!;
    this.hasSpare = state[5] !== 0;
    u32[0] = state[6]!;
    u32[1] = state[7]!;
    this.spare = f64[0]!;
    this.seed64 = (BigInt(state[9]!) << 32n) | BigInt(state[8]!);
    return this;
  }

  /** One uniform 32-bit unsigned integer (xoshiro128** output). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = (s1 ^ n2) >>> 0;
    this.s0 = (s0 ^ n3) >>> 0;
    this.s2 = (n2 ^ t) >>> 0;
    this.s3 = rotl(n3, 11) >>> 0;
    return r;
  }

  /** One uniform float64 in [0, 1): 53 random bits × 2⁻⁵³, so every value is exact and < 1. */
  nextFloat64(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_M53;
  }

  /** One standard normal N(0, 1), Marsaglia's polar method in float64 (pairs; the second is cached). */
  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.nextFloat64() - 1;
      v = 2 * this.nextFloat64() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /**
   * Fills `out` with U[low, high): x = low + (high − low)·u, u ∈ [0, 1), computed in float64 and
   * rounded to `out`'s dtype. Rounding can land exactly on `high` (u near 1, or a range only a few
   * float32 ulps wide); such draws are rejected and redrawn, so every value is < high. The bounds
   * are taken in `out`'s dtype (float32 output uses fround(low), fround(high)).
   */
  uniform<T extends FloatSampleArray>(out: T, low = 0, high = 1): T {
    if (!isFloatArray(out)) {
      throw new DTypeError(`Generator.uniform: out must be a Float32Array or Float64Array, got ${nameOf(out)}`);
    }
    const f32 = out instanceof Float32Array;
    const lo = f32 ? Math.fround(low) : low;
    const hi = f32 ? Math.fround(high) : high;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      throw new ValueError(
        `Generator.uniform: expected finite low < high in ${f32 ? "float32" : "float64"}, got low=${low}, high=${high}`,
      );
    }
    const width = hi - lo;
    if (!Number.isFinite(width)) {
      throw new ValueError(`Generator.uniform: high − low overflows (low=${low}, high=${high})`);
    }
    if (f32 && lo === 0 && hi === 1) {
      // Fast path: 24 random bits × 2⁻²⁴ is exactly representable in float32, so never rounds to 1.
      for (let i = 0; i < out.length; i++) out[i] = (this.nextUint32() >>> 8) * 5.9604644775390625e-8;
      return out;
    }
    for (let i = 0; i < out.length; i++) {
      let x: number;
      do {
        x = lo + width * this.nextFloat64();
        if (f32) x = Math.fround(x);
      } while (x >= hi);
      out[i] = x;
    }
    return out;
  }

  /**
   * Fills `out` with N(mean, std²): mean + std·z, z from nextNormal (float64, rounded to `out`'s dtype).
   */
  normal<T extends FloatSampleArray>(out: T, mean = 0, std = 1): T {
    if (!isFloatArray(out)) {
      throw new DTypeError(`Generator.normal: out must be a Float32Array or Float64Array, got ${nameOf(out)}`);
    }
    if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0) {
      throw new ValueError(`Generator.normal: expected finite mean and std ≥ 0, got mean=${mean}, std=${std}`);
    }
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.nextNormal();
    return out;
  }

  /**
   * Fills `out` with integers uniform on [low, high) (high exclusive, as in torch.randint).
   * Unbiased: a raw draw r is rejected when r ≥ limit = R − (R mod n), R = 2³² (or 2⁵³ for ranges
   * wider than 2³²), so each residue r mod n is equally likely. Plain `r % n` would favour small
   * values whenever n does not divide R — by up to 2× for n ≈ 0.75·2³².
   */
  randint<T extends SampleArray>(out: T, low: number, high: number): T {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || !(low < high)) {
      throw new ValueError(`Generator.randint: expected integers low < high, got low=${low}, high=${high}`);
    }
    const [min, max, dtype] = intRange(out);
    if (low < min || high - 1 > max) {
      throw new ValueError(
        `Generator.randint: [${low}, ${high}) does not fit ${dtype} (representable integers [${min}, ${max}])`,
      );
    }
    const n = high - low;
    if (n > TWO_53) throw new ValueError(`Generator.randint: range ${n} exceeds 2^53`);
    for (let i = 0; i < out.length; i++) out[i] = low + this.below(n);
    return out;
  }

  /**
   * Fills `out` with Bernoulli(p) draws (1 with probability p, else 0): 1 iff u < p, u ∈ [0, 1) in
   * float64, so p = 0 never and p = 1 always gives 1. `p` is one probability or one per element.
   */
  bernoulli<T extends SampleArray>(out: T, p: number | Float32Array | Float64Array): T {
    if (typeof p === "number") {
      if (!(p >= 0 && p <= 1)) throw new ValueError(`Generator.bernoulli: p must lie in [0, 1], got ${p}`);
      for (let i = 0; i < out.length; i++) out[i] = this.nextFloat64() < p ? 1 : 0;
      return out;
    }
    if (p.length !== out.length) {
      throw new ValueError(`Generator.bernoulli: p has length ${p.length} but out has length ${out.length}`);
    }
    // Validate first so a bad probability leaves `out` and the stream untouched.
    for (let i = 0; i < p.length; i++) {
      const pi = p[i]!;
      if (!(pi >= 0 && pi <= 1)) throw new ValueError(`Generator.bernoulli: p[${i}] must lie in [0, 1], got ${pi}`);
    }
    for (let i = 0; i < out.length; i++) out[i] = this.nextFloat64() < p[i]! ? 1 : 0;
    return out;
  }

  /**
   * A uniformly random permutation of 0..n−1 (Fisher–Yates: for i = n−1 … 1 swap i with j ~ U{0..i}).
   */
  randperm(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
      throw new ValueError(`Generator.randperm: n must be an integer in [0, 2^31), got ${n}`);
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }

  /** Unbiased integer in [0, n) for 1 ≤ n ≤ 2⁵³, by rejection (see randint). */
  private below(n: number): number {
    if (n <= TWO_32) {
      const limit = TWO_32 - (TWO_32 % n);
      let r: number;
      do r = this.nextUint32();
      while (r >= limit);
      return r % n;
    }
    const limit = TWO_53 - (TWO_53 % n);
    let r: number;
    do r = (this.nextUint32() >>> 11) * TWO_32 + this.nextUint32();
    while (r >= limit);
    return r % n;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function nameOf(x: unknown): string {
  return (x as { constructor?: { name?: string } })?.constructor?.name ?? typeof x;
}

/** The integers `out` can hold exactly: [min, max] and a dtype name for messages. */
function intRange(out: SampleArray): [number, number, string] {
  if (out instanceof Int32Array) return [-2147483648, 2147483647, "int32"];
  if (out instanceof Uint8Array) return [0, 255, "uint8"];
  if (out instanceof Float32Array) return [-16777216, 16777216, "float32"];
  if (out instanceof Float64Array) return [-TWO_53, TWO_53, "float64"];
  throw new DTypeError(`Generator.randint: unsupported out array ${nameOf(out)}`);
}

/** The generator every sampling function uses when none is passed (torch's default CPU generator). */
export const defaultGenerator = new Generator(DEFAULT_SEED);

/**
 * Seeds the default generator (torch.manual_seed); returns it. Same seed ⇒ same samples.
 * @example
 * st.manualSeed(0);
 * const a = st.randn([2]);
 * st.manualSeed(0);
 * const b = st.randn([2]); // the same values as a
 */
export function manualSeed(seed: number | bigint): Generator {
  toSeed64(seed, "manualSeed"); // names the public function in the error
  return defaultGenerator.manualSeed(seed);
}

/**
 * Seeds the default generator non-deterministically (torch.seed); returns the seed used.
 * @example const s = st.seed(); // a fresh non-deterministic seed, returned so a run can be repeated with st.manualSeed(s)
 */
export function seed(): number {
  return defaultGenerator.seed();
}

/**
 * The default generator's seed as uint64 (torch.initial_seed).
 * @example
 * st.manualSeed(42);
 * st.initialSeed(); // 42n (a bigint: seeds are uint64)
 */
export function initialSeed(): bigint {
  return defaultGenerator.initialSeed();
}
