// fit keeps a browser page live: in a window (document + window present) the fit loop hands the
// event loop a macrotask turn every ~25 ms, so timers (and, in a page, repaints and input) run
// during training; under Node it never yields, so a timer set before fit cannot fire until it ends.

import { afterEach, describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { inBrowserWindow, YIELD_INTERVAL_MS } from "../src/train/yield.js";

const g = globalThis as { document?: unknown; window?: unknown };

/** Fits a small model for ~0.3 s or more while a 1 ms interval counts ticks; returns the ticks and the time. */
async function fitCountingTicks(): Promise<{ ticks: number; ms: number; maxGap: number }> {
  st.manualSeed(0);
  const x = st.randn([2048, 32]);
  const y = st.randint(0, 4, [2048]);
  const model = st.sequential([st.layers.dense({ units: 64, activation: "relu", inputShape: [32] }), st.layers.dense({ units: 4, activation: "softmax" })]);
  model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy" });
  let ticks = 0;
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => { const t = performance.now(); maxGap = Math.max(maxGap, t - last); last = t; ticks++; }, 1);
  const t0 = performance.now();
  last = t0;
  await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, validationSplit: 0.25 });
  const ms = performance.now() - t0;
  const ticksDuring = ticks;
  clearInterval(timer);
  return { ticks: ticksDuring, ms, maxGap };
}

describe("fit yields to the event loop in a browser window", () => {
  afterEach(() => { delete g.document; delete g.window; });

  it("under Node (no document): no timer runs during fit", async () => {
    expect(inBrowserWindow()).toBe(false);
    const r = await fitCountingTicks();
    expect(r.ms).toBeGreaterThan(4 * YIELD_INTERVAL_MS);
    expect(r.ticks).toBe(0);
  });

  it("in a window: timers run during fit, at least once per ~25 ms of training", async () => {
    g.document = {};
    g.window = globalThis;
    expect(inBrowserWindow()).toBe(true);
    const r = await fitCountingTicks();
    // one turn per YIELD_INTERVAL_MS of work at least (slack for the slow first batches and timer jitter)
    expect(r.ticks).toBeGreaterThanOrEqual(Math.floor(r.ms / YIELD_INTERVAL_MS / 3));
    expect(r.ticks).toBeGreaterThan(3);
  });
});
