// Memory: fit over 20 epochs of digits keeps RSS flat — nothing per batch (graphs, outputs, logs)
// outlives its batch. Measured after epoch 1 against the end, with a generous bound.
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";

describe("fit memory", () => {
  it("RSS after 20 epochs stays within 64 MiB of RSS after the first epoch", async () => {
    st.manualSeed(0);
    const { x, y } = st.datasets.loadDigits();
    // 256 hidden units: a graph or activation kept per batch would add ~0.1 MiB × 1140 batches
    const model = st.sequential([
      st.layers.dense({ units: 256, activation: "relu", inputShape: [64] }),
      st.layers.dense({ units: 10, activation: "softmax" }),
    ]);
    model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const rss: number[] = [];
    const probe = new st.callbacks.LambdaCallback({ onEpochEnd: () => { rss.push(process.memoryUsage().rss); } });
    const h = await model.fit(x, y, { epochs: 20, batchSize: 32, validationSplit: 0.2, callbacks: [probe], verbose: 0 });
    expect(h.epoch).toHaveLength(20);
    expect(h.history.val_accuracy!.at(-1)!).toBeGreaterThan(0.9);
    const growth = (rss.at(-1)! - rss[0]!) / 2 ** 20;
    expect(growth).toBeLessThan(64);
  }, 120_000);
});
