// Shared by the native kernel tests: the float array types, a seeded generator, and running a
// check with a given thread count (the pool is restored afterwards).

import { nativeInfo, setNumThreads } from "../../src/backend/native/index.js";

export type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;
export const FLOAT_DTYPES: [string, FloatCtor][] = [["float32", Float32Array], ["float64", Float64Array]];

/** A seeded uniform generator on [0, 1) (mulberry32): the same inputs on every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs f with the native pool at `threads`, then restores the pool's size. */
export function withThreads<T>(threads: number, f: () => T): T {
  const pool = nativeInfo()!.threads;
  setNumThreads(threads);
  try {
    return f();
  } finally {
    setNumThreads(pool);
  }
}
