// What a model shows: summary() (layers, output shapes, counts, the fused-loss note), fit's
// verbose output (the installed progress factory, else one line per epoch), and the compiled
// learning-rate schedule stepping per epoch or per batch.
import { afterEach, describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { Callback, getProgressFactory, setProgressFactory } from "../src/train/callback.js";

const installed = getProgressFactory();
afterEach(() => setProgressFactory(installed));

describe("summary", () => {
  it("lists layers with output shapes and counts; BatchNorm statistics are non-trainable, as Keras's", () => {
    const m = st.sequential([
      st.layers.dense({ units: 8, activation: "relu", inputShape: [5] }),
      st.layers.batchNormalization(),
      st.layers.dense({ units: 1, activation: "sigmoid" }),
    ]);
    m.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
    const text = m.summary({ print: false });
    expect(text).toMatch(/0: dense \(Dense\)\s+\[null, 8\]\s+48/);
    expect(text).toMatch(/1: batchNormalization \(BatchNormalization\)\s+\[null, 8\]\s+32/);
    expect(text).toMatch(/2: dense_1 \(Dense\)\s+\[null, 1\]\s+9/);
    expect(text).toContain("Total params: 89");
    expect(text).toContain("Trainable params: 73");
    expect(text).toContain("Non-trainable params: 16");
    expect(text).toContain("fused BCE with logits");
  });

  it("an embedding model shows its shapes (built from int32 ids)", () => {
    const m = st.sequential([st.layers.embedding({ inputDim: 20, outputDim: 4, inputShape: [6] }), st.layers.flatten(), st.layers.dense({ units: 2 })]);
    const text = m.summary({ print: false });
    expect(text).toMatch(/0: embedding \(EmbeddingLayer\)\s+\[null, 6, 4\]\s+80/);
    expect(text).toMatch(/2: dense \(Dense\)\s+\[null, 2\]\s+50/);
  });

  it("says when layers are not built yet, and has no fused note for a loss on any values", () => {
    const m = st.sequential([st.layers.dense({ units: 2 })]);
    m.compile({ optimizer: "sgd", loss: "mse" });
    const text = m.summary({ print: false });
    expect(text).toContain("(not built)");
    expect(text).toContain("not built yet");
    expect(text).not.toContain("fused");
  });
});

describe("verbose", () => {
  const tiny = () => {
    const m = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
    m.compile({ optimizer: "sgd", loss: "mse" });
    return m;
  };

  it("verbose 1 and 2 ask the installed progress factory for their callback; 0 does not", async () => {
    const asked: number[] = [];
    let epochsSeen = 0;
    setProgressFactory((v) => {
      asked.push(v);
      return new (class extends Callback { override onEpochEnd() { epochsSeen++; } })();
    });
    const x = st.randn([8, 2]), y = st.randn([8, 1]);
    await tiny().fit(x, y, { epochs: 2, verbose: 1 });
    await tiny().fit(x, y, { epochs: 1, verbose: 2 });
    await tiny().fit(x, y, { epochs: 1, verbose: 0 });
    expect(asked).toEqual([1, 2]);
    expect(epochsSeen).toBe(3);
  });

  it("without a factory (the browser), one Keras-style line per epoch", async () => {
    setProgressFactory(null);
    const lines: string[] = [];
    const log = console.log;
    console.log = (l: string) => { lines.push(l); };
    try {
      await tiny().fit(st.randn([8, 2]), st.randn([8, 1]), { epochs: 3, verbose: 1 });
    } finally {
      console.log = log;
    }
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^Epoch 3\/3 - \d+\.\ds - loss: \d+\.\d{4} - lr: 0\.0100$/);
  });
});

describe("compile({ lrSchedule })", () => {
  it("steps the schedule after each epoch (default) or each batch", async () => {
    const run = async (interval: "epoch" | "batch") => {
      const m = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
      m.compile({
        optimizer: { name: "sgd", learningRate: 0.1 }, loss: "mse",
        lrSchedule: (opt) => new st.optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 }), lrScheduleInterval: interval,
      });
      const h = await m.fit(st.randn([16, 2]), st.randn([16, 1]), { epochs: 3, batchSize: 8, verbose: 0 });
      return h.history.lr;
    };
    expect(await run("epoch")).toEqual([0.1, 0.05, 0.025]);
    // two batches per epoch: the lr logged at each epoch's end has halved twice more
    expect(await run("batch")).toEqual([0.025, 0.00625, 0.0015625]);
  });
});
