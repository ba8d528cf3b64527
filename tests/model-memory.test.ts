// Memory: fit over 20 epochs of digits keeps RSS flat — nothing per batch (graphs, outputs, logs)
// outlives its batch. Measured after epoch 1 against the end, after a full GC each time (without
// it, RSS follows V8's collection schedule), with generous bounds.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";

// a gc() for this test without --expose-gc on the whole run
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("fit memory", () => {
  it("after 20 epochs, RSS is within 64 MiB and JS heap + array buffers within 16 MiB of epoch 1", async () => {
    st.manualSeed(0);
    const { x, y } = st.datasets.loadDigits();
    // 256 hidden units: a graph or activation kept per batch would add ~0.1 MiB × 900 batches
    const model = st.sequential([
      st.layers.dense({ units: 256, activation: "relu", inputShape: [64] }),
      st.layers.dense({ units: 10, activation: "softmax" }),
    ]);
    model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const rss: number[] = [];
    const js: number[] = [];
    const probe = new st.callbacks.LambdaCallback({
      onEpochEnd: () => {
        gc();
        const m = process.memoryUsage();
        rss.push(m.rss);
        js.push(m.heapUsed + m.arrayBuffers);
      },
    });
    const h = await model.fit(x, y, { epochs: 20, batchSize: 32, validationSplit: 0.2, callbacks: [probe], verbose: 0 });
    expect(h.epoch).toHaveLength(20);
    expect(h.history.val_accuracy!.at(-1)!).toBeGreaterThan(0.9);
    expect((rss.at(-1)! - rss[0]!) / 2 ** 20).toBeLessThan(64);
    expect((js.at(-1)! - js[0]!) / 2 ** 20).toBeLessThan(16);
  }, 120_000);
});
