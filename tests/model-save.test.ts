// model.save / st.loadModel: config.json + weights.safetensors + optimizer state; training resumed
// from a save continues the exact loss trajectory, and a loaded model predicts the same.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/node.js";

const root = mkdtempSync(join(tmpdir(), "st-model-save-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function digitsModel(): st.Model {
  st.manualSeed(21);
  const m = st.sequential([
    st.layers.dense({ units: 16, activation: "relu", inputShape: [64], kernelRegularizer: { l2: 1e-4 } }),
    st.layers.batchNormalization(),
    st.layers.dropout({ rate: 0.1 }),
    st.layers.dense({ units: 10, activation: "softmax" }),
  ]);
  m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"], clipnorm: 5 });
  return m;
}

describe("save and load", () => {
  const { x, y } = st.datasets.loadDigits();
  const xs = x.narrow(0, 0, 400), ys = y.narrow(0, 0, 400);

  it("3 epochs + save + load + 2 epochs == 5 uninterrupted epochs, exactly (shuffled, with dropout)", async () => {
    const whole = digitsModel();
    st.manualSeed(99);
    const h5 = await whole.fit(xs, ys, { epochs: 5, batchSize: 32, verbose: 0 });

    const first = digitsModel();
    st.manualSeed(99);
    await first.fit(xs, ys, { epochs: 3, batchSize: 32, verbose: 0 });
    const dir = join(root, "resume");
    await first.save(dir);
    st.manualSeed(12345); // whatever happens in between
    // restoreRng: the global generator continues from the save, so shuffling and dropout match
    const loaded = await st.loadModel(dir, { restoreRng: true });
    const h2 = await loaded.fit(xs, ys, { epochs: 5, initialEpoch: 3, batchSize: 32, verbose: 0 });
    expect(h2.epoch).toEqual([3, 4]);
    expect(h2.history.loss).toEqual(h5.history.loss!.slice(3));
    expect(h2.history.accuracy).toEqual(h5.history.accuracy!.slice(3));
    expect(loaded.getWeights()["0.weight"]!.toArray()).toEqual(whole.getWeights()["0.weight"]!.toArray());
    // without it, the resumed run shuffles differently: the check above can fail
    const other = await st.loadModel(dir);
    const h3 = await other.fit(xs, ys, { epochs: 4, initialEpoch: 3, batchSize: 32, verbose: 0 });
    expect(h3.history.loss![0]).not.toBe(h5.history.loss![3]);
  });

  it("a loaded model predicts exactly the same, keeps its compile settings and optimizer state", async () => {
    const m = digitsModel();
    await m.fit(xs, ys, { epochs: 2, batchSize: 64, verbose: 0 });
    const dir = join(root, "predict");
    await m.save(dir);
    for (const f of ["config.json", "weights.safetensors", "optimizer.safetensors", "optimizer.json"]) expect(existsSync(join(dir, f))).toBe(true);
    const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as st.SavedModelConfig;
    expect(cfg.layers!.map((l) => l.className)).toEqual(["dense", "batchNormalization", "dropout", "dense"]);
    expect(cfg.compile).toMatchObject({ loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"], clipnorm: 5, optimizer: { name: "adam", lr: 1e-3, eps: 1e-7 } });
    // the weights file holds the PyTorch keys
    expect(Object.keys(st.load(join(dir, "weights.safetensors")))).toEqual(Object.keys(m.module.stateDict()));
    const back = await st.loadModel(dir);
    expect(back.predict(xs).toArray()).toEqual(m.predict(xs).toArray());
    expect(back.compiled!.fused).not.toBeNull();
    expect(back.optimizer!.stateDict().state[0]!.step).toBe(m.optimizer!.stateDict().state[0]!.step);
    expect((await back.evaluate(xs, ys)).accuracy).toBe((await m.evaluate(xs, ys)).accuracy);
  });

  it("a model built from its first batch (no inputShape) saves its input shape and loads", async () => {
    const m = st.sequential([st.layers.dense({ units: 3 })]);
    m.compile({ optimizer: "sgd", loss: "mse" });
    await m.fit(st.randn([8, 5]), st.randn([8, 3]), { verbose: 0 });
    const dir = join(root, "lazy");
    await m.save(dir);
    const back = await st.loadModel(dir);
    expect(back.inputShape).toEqual([5]);
    const probe = st.randn([2, 5]);
    expect(back.predict(probe).toArray()).toEqual(m.predict(probe).toArray());
  });

  it("st.model(module): weights only; loading needs the module, and says so", async () => {
    class Net extends st.nn.Module {
      fc = new st.nn.Linear(4, 2);
      forward(x: st.Tensor) { return this.fc.call(x); }
    }
    const m = st.model(new Net());
    m.compile({ optimizer: "adam", loss: "mse" });
    await m.fit(st.randn([8, 4]), st.randn([8, 2]), { verbose: 0 });
    const dir = join(root, "module");
    await m.save(dir);
    await expect(st.loadModel(dir)).rejects.toThrow(/Net wrapped with st\.model; pass the module/);
    const back = await st.loadModel(dir, { module: new Net() });
    const probe = st.randn([3, 4]);
    expect(back.predict(probe).toArray()).toEqual(m.predict(probe).toArray());
    expect(back.optimizer!.name).toBe("Adam");
  });

  it("bad directories and unsavable settings give clear errors", async () => {
    await expect(st.loadModel(join(root, "nothing-here"))).rejects.toThrow(/cannot read .*config\.json.*model\.save/);
    const bogus = join(root, "bogus");
    await digitsModel().save(bogus);
    writeFileSync(join(bogus, "config.json"), JSON.stringify({ format: "something-else" }));
    await expect(st.loadModel(bogus)).rejects.toThrow(/not a saved steadytensor model/);
    const custom = st.sequential([st.layers.dense({ units: 2, inputShape: [2], kernelRegularizer: (w: st.Tensor) => w.abs().sum() })]);
    await expect(custom.save(join(root, "custom"))).rejects.toThrow(/custom regularizer function cannot be saved/);
  });
});
