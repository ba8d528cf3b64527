// The addon under concurrent use: Node worker threads load it in their own environments and call
// GEMM at the same time as the main thread (the shared pool must then run callers serially
// rather than mixing their jobs). Results must be bitwise equal to a call made alone.
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";

import { loadAddon } from "../src/backend/native/addon.js";
import { setNativeSmallSizeFallback } from "../src/backend/native/index.js";
import { requireNative } from "./helpers/require-native.js";

const { addon, path, reason } = loadAddon();
if (!addon) requireNative("native-workers", false, reason);

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const addon = require(workerData.path);
const { m, n, k, a, b, reps } = workerData;
const out = new Float32Array(m * n);
let first = null, same = true;
for (let r = 0; r < reps; r++) {
  out.fill(NaN);
  addon.matmul(a, b, out, 1, m, n, k, 0, 0, false, false);
  if (first === null) first = out.slice(); else if (!out.every((v, i) => Object.is(v, first[i]))) same = false;
}
parentPort.postMessage({ out: first, same });
`;

/** Number of positions where the arrays differ bitwise (a plain loop: deep equality is slow here). */
function mismatches(x: Float32Array, y: Float32Array): number {
  let bad = x.length === y.length ? 0 : 1;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) bad++;
  return bad;
}

describe.skipIf(!addon)("native addon in worker threads", () => {
  it("concurrent GEMMs from two workers and the main thread agree bitwise with a lone call", async () => {
    setNativeSmallSizeFallback(true);
    const [m, n, k] = [150, 170, 190];
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
    const ref = new Float32Array(m * n);
    addon!.matmul(a, b, ref, 1, m, n, k, 0, 0, false, false);
    const workers = [0, 1].map(() => new Worker(WORKER, { eval: true, workerData: { path, m, n, k, a, b, reps: 30 } }));
    const done = workers.map((w) => new Promise<{ out: Float32Array; same: boolean }>((res, rej) => {
      w.once("message", res);
      w.once("error", rej);
    }));
    const out = new Float32Array(m * n);
    for (let r = 0; r < 30; r++) {
      addon!.matmul(a, b, out, 1, m, n, k, 0, 0, false, false);
      expect(mismatches(out, ref)).toBe(0);
    }
    const results = await Promise.all(done);
    await Promise.all(workers.map((w) => w.terminate()));
    for (const r of results) {
      expect(r.same).toBe(true);
      expect(mismatches(r.out, ref)).toBe(0);
    }
  });
});
