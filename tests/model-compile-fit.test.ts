// compile (Keras names and defaults, the fused logit form, clipping, errors) and fit/evaluate/
// predict over tensors, DataLoaders and async iterables, with sample and class weights.
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { expectError } from "./helpers/expect-error.js";

function classifier(out = 3, activation: "softmax" | "linear" = "softmax"): st.Model {
  st.manualSeed(7);
  return st.sequential([st.layers.dense({ units: 8, activation: "relu", inputShape: [4] }), st.layers.dense({ units: out, activation })]);
}

const data = (n = 40) => {
  st.manualSeed(11);
  const x = st.randn([n, 4]);
  return { x, y: x.narrow(1, 0, 1).squeeze(1).gt(0).int().add(x.narrow(1, 1, 1).squeeze(1).gt(0).int()) };
};

describe("compile", () => {
  it("named optimizers get Keras's documented defaults", () => {
    const group = (spec: st.OptimizerSpec) => {
      const m = classifier();
      m.compile({ optimizer: spec, loss: "sparseCategoricalCrossentropy" });
      return m.optimizer!.paramGroups[0]! as Record<string, unknown>;
    };
    expect(group("adam")).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-7 });
    expect(group("sgd")).toMatchObject({ lr: 0.01, momentum: 0 });
    expect(group("rmsprop")).toMatchObject({ lr: 1e-3, alpha: 0.9, eps: 1e-7 });
    expect(group("adamw")).toMatchObject({ lr: 1e-3, weightDecay: 0.004, eps: 1e-7 });
    expect(group("adagrad")).toMatchObject({ lr: 1e-3, initialAccumulatorValue: 0.1, eps: 1e-7 });
    expect(group({ name: "adam", learningRate: 0.01, beta1: 0.8 })).toMatchObject({ lr: 0.01, betas: [0.8, 0.999] });
    expect(group({ name: "rmsprop", rho: 0.5 })).toMatchObject({ alpha: 0.5 });
    expect(group((p) => new st.optim.SGD(p, { lr: 0.3 }))).toMatchObject({ lr: 0.3 });
    expect(m0DefaultIsRmsprop()).toBe("RMSprop");
  });

  function m0DefaultIsRmsprop(): string {
    const m = classifier();
    m.compile({ loss: "mse" });
    return m.optimizer!.name;
  }

  it("rejects unknown names, two clipping modes and a foreign optimizer", () => {
    const m = classifier();
    expectError(() => m.compile({ optimizer: "adamm", loss: "mse" }), st.ValueError, "unknown optimizer", "adamm", "adam, ");
    expectError(() => m.compile({ optimizer: "adam", loss: "msee" }), st.ValueError, "unknown loss", "msee");
    expectError(() => m.compile({ optimizer: "adam", loss: "mse", clipnorm: 1, clipvalue: 1 }), st.ValueError, "only one of", "clipnorm and clipvalue");
    expectError(() => m.compile({ optimizer: "adam", loss: "mse", clipnorm: -1 }), st.ValueError, "clipnorm", "> 0");
    const other = new st.optim.SGD([st.zeros([2]).requiresGrad_()], { lr: 1 });
    expectError(() => m.compile({ optimizer: other, loss: "mse" }), st.ValueError, "not exactly this model's");
  });

  it("fit before compile rejects with a ValueError that says to compile", async () => {
    await expect(classifier().fit(st.zeros([2, 4]), st.zeros([2]))).rejects.toThrow(/compile\(/);
  });

  it("fused logit form: a softmax model trains on logits of ±1e4 with a finite loss equal to crossEntropy(logits)", () => {
    const m = classifier();
    m.compile({ optimizer: "sgd", loss: "sparseCategoricalCrossentropy" });
    const w = m.getWeights();
    w["1.weight"] = w["1.weight"]!.mul(1e4);
    m.setWeights(w);
    const { x, y } = data(8);
    const logits = st.noGrad(() => (m.module as st.nn.Sequential).at<st.layers.Dense>(1).logits((m.module as st.nn.Sequential).at(0).call(x)));
    expect(logits.abs().max().item()).toBeGreaterThan(1e3);
    const expected = st.nn.functional.crossEntropy(logits, y).item();
    // the naive path, −log(softmax) of these logits, is infinite
    expect(Number.isFinite(logits.softmax(-1).clamp(0, 1).log().neg().max().item())).toBe(false);
    expect(m.testOnBatch(x, y).loss).toBeCloseTo(expected, 3);
    const probs = m.predict(x);
    expect(probs.min().item()).toBeGreaterThanOrEqual(0);
    expect(probs.sum(1).sub(1).abs().max().item()).toBeLessThan(1e-6);
    expect(m.summary({ print: false })).toContain("Loss computed from the logits of layer 1 (Dense, activation softmax)");
  });

  it("an nn.Softmax / nn.Sigmoid module at the end is fused too; a loss on any values is not", () => {
    const soft = st.sequential([st.layers.dense({ units: 3, inputShape: [4] }), new st.nn.Softmax()]);
    soft.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
    expect(soft.compiled!.fused?.where).toBe("layer 1 (Softmax)");
    const sig = st.sequential([st.layers.dense({ units: 1, inputShape: [4] }), st.layers.activation("sigmoid")]);
    sig.compile({ optimizer: "sgd", loss: "binaryCrossentropy" });
    expect(sig.compiled!.fused?.kind).toBe("sigmoid");
    sig.compile({ optimizer: "sgd", loss: "mse" });
    expect(sig.compiled!.fused).toBeNull();
    // the logit form gives the same loss as the probabilities would, at moderate logits
    const x = st.randn([6, 4]);
    const y = st.tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const p = soft.predict(x);
    expect(soft.testOnBatch(x, y).loss).toBeCloseTo(y.mul(p.log()).sum(1).neg().mean().item(), 5);
  });

  it("a probability loss on outputs that are not probabilities is a clear error", async () => {
    const m = classifier(3, "linear");
    m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy" });
    const w = m.getWeights();
    w["1.bias"] = st.tensor([5, -5, 0]);
    m.setWeights(w);
    const { x, y } = data(8);
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/takes probabilities.*outside \[0, 1\].*softmax/);
  });

  it("clipnorm clips each variable, globalClipnorm all of them together", () => {
    const step = (clip: Partial<st.CompileOptions>) => {
      const m = classifier(2, "linear");
      m.compile({ optimizer: { name: "sgd", learningRate: 1 }, loss: "mse", ...clip });
      const before = m.getWeights();
      m.trainOnBatch(st.randn([16, 4]).mul(50), st.randn([16, 2]).mul(50));
      const after = m.getWeights();
      return Object.keys(before).map((k) => after[k]!.sub(before[k]!).square().sum().sqrt().item());
    };
    for (const d of step({ clipnorm: 0.1 })) expect(d).toBeCloseTo(0.1, 4);
    const g = step({ globalClipnorm: 0.1 });
    expect(Math.hypot(...g)).toBeCloseTo(0.1, 4);
    expect(Math.min(...g)).toBeLessThan(0.09);
    for (const d of step({ clipvalue: 1e-3 })) expect(d).toBeGreaterThan(0);
  });
});

describe("fit / evaluate / predict", () => {
  it("logs loss, metrics and val_* per epoch; evaluate matches a hand count", async () => {
    const m = classifier();
    m.compile({ optimizer: { name: "adam", learningRate: 0.05 }, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const { x, y } = data(60);
    const h = await m.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0 });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(Object.keys(h.history)).toEqual(expect.arrayContaining(["loss", "accuracy", "val_loss", "val_accuracy"]));
    // validation is the last 25%, before shuffling, with the epoch's final weights
    const xv = x.narrow(0, 45, 15), yv = y.narrow(0, 45, 15);
    const ev = await m.evaluate(xv, yv);
    expect(h.history.val_loss!.at(-1)).toBeCloseTo(ev.loss!, 6);
    const byHand = m.predict(xv).argmax(1).eq(yv).float().mean().item();
    expect(ev.accuracy).toBeCloseTo(byHand, 6);
    expect(h.history.val_accuracy!.at(-1)).toBeCloseTo(byHand, 6);
  });

  it("sampleWeight: loss = Σ wᵢ·ℓᵢ / N; classWeight weights each class", () => {
    const m = classifier();
    m.compile({ optimizer: "sgd", loss: "sparseCategoricalCrossentropy" });
    const { x, y } = data(10);
    const w = st.linspace(0, 2, 10);
    const per = st.nn.functional.crossEntropy(st.noGrad(() => m.predict(x)).log(), y, { reduction: "none" });
    expect(m.testOnBatch(x, y, { sampleWeight: w }).loss).toBeCloseTo(per.mul(w).sum().item() / 10, 5);
    const cw = { 0: 0.5, 1: 1, 2: 3 };
    const asSample = st.tensor((y.toArray() as number[]).map((c) => cw[c as 0 | 1 | 2]));
    const a = classifier(); a.compile({ optimizer: "sgd", loss: "sparseCategoricalCrossentropy" });
    const b = classifier(); b.compile({ optimizer: "sgd", loss: "sparseCategoricalCrossentropy" });
    expect(a.trainOnBatch(x, y, { classWeight: cw }).loss).toBeCloseTo(b.trainOnBatch(x, y, { sampleWeight: asSample }).loss!, 6);
  });

  it("a DataLoader and an async iterable train exactly like the same tensors unshuffled", async () => {
    const { x, y } = data(50);
    const run = async (fit: (m: st.Model) => Promise<st.History>) => {
      const m = classifier();
      m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
      return (await fit(m)).history;
    };
    const ref = await run((m) => m.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 }));
    const loader = new st.data.DataLoader(new st.data.TensorDataset(x, y), { batchSize: 16 });
    expect(await run((m) => m.fit(loader, undefined, { epochs: 2, verbose: 0 }))).toEqual(ref);
    async function* batches() { for (let s = 0; s < 50; s += 16) yield [x.narrow(0, s, Math.min(16, 50 - s)), y.narrow(0, s, Math.min(16, 50 - s))]; }
    expect(await run((m) => m.fit({ [Symbol.asyncIterator]: batches }, undefined, { epochs: 2, verbose: 0 }))).toEqual(ref);
  });

  it("validationData may be a DataLoader", async () => {
    const m = classifier();
    m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const { x, y } = data(40);
    const val = new st.data.DataLoader(new st.data.TensorDataset(x, y), { batchSize: 7 });
    const h = await m.fit(x, y, { epochs: 1, validationData: val, verbose: 0 });
    const ev = await m.evaluate(x, y);
    expect(h.history.val_loss![0]).toBeCloseTo(ev.loss!, 6);
    expect(h.history.val_accuracy![0]).toBeCloseTo(ev.accuracy!, 6);
  });

  it("stepsPerEpoch and initialEpoch bound the batches and epochs", async () => {
    const m = classifier();
    m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy" });
    const { x, y } = data(64);
    let batches = 0;
    const count = new st.callbacks.LambdaCallback({ onBatchEnd: () => { batches++; } });
    const h = await m.fit(x, y, { epochs: 4, initialEpoch: 1, batchSize: 8, stepsPerEpoch: 2, callbacks: [count], verbose: 0 });
    expect(h.epoch).toEqual([1, 2, 3]);
    expect(batches).toBe(6);
  });

  it("trainOnBatch updates the weights, testOnBatch and predict do not; predict batches agree with one pass", () => {
    const m = classifier();
    m.compile({ optimizer: "sgd", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    const { x, y } = data(20);
    const w0 = m.getWeights()["0.weight"]!;
    const t = m.testOnBatch(x, y);
    expect(m.getWeights()["0.weight"]!.sub(w0).abs().max().item()).toBe(0);
    const tr = m.trainOnBatch(x, y);
    expect(tr.loss).toBeCloseTo(t.loss!, 6);
    expect(m.getWeights()["0.weight"]!.sub(w0).abs().max().item()).toBeGreaterThan(0);
    expect(m.predict(x, { batchSize: 3 }).sub(m.predict(x, { batchSize: 100 })).abs().max().item()).toBeLessThan(1e-6);
  });

  it("bad fit arguments are clear errors", async () => {
    const m = classifier();
    m.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy" });
    const { x, y } = data(10);
    await expect(m.fit(x, y.narrow(0, 0, 9), { verbose: 0 })).rejects.toThrow(st.ShapeError);
    await expect(m.fit(x, y.narrow(0, 0, 9), { verbose: 0 })).rejects.toThrow(/x has 10 samples but y has shape \[9\]/);
    const loader = new st.data.DataLoader(new st.data.TensorDataset(x, y), { batchSize: 4 });
    await expect(m.fit(loader, y, { verbose: 0 })).rejects.toThrow(/pass y as undefined/);
    await expect(m.fit(loader, undefined, { validationSplit: 0.2, verbose: 0 })).rejects.toThrow(/validationSplit needs tensor inputs/);
    await expect(m.fit(x, y, { classWeight: { 0: 1 }, verbose: 0 })).rejects.toThrow(/classWeight has no entry for class [12]/);
    await expect(m.fit(x, y, { validationSplit: 1.5, verbose: 0 })).rejects.toThrow(/validationSplit must lie in \(0, 1\)/);
    await expect(m.fit(x, y, { epochs: 1.5, verbose: 0 })).rejects.toThrow(/epochs must be an integer/);
    const mod = classifier(3, "linear");
    mod.compile({ optimizer: "adam", loss: new st.nn.CrossEntropyLoss() });
    await expect(mod.fit(x, y, { sampleWeight: st.ones([10]), verbose: 0 })).rejects.toThrow(/one number per batch, so sampleWeight\/classWeight cannot apply/);
  });

  it("st.model wraps any module; a CrossEntropyLoss module gets its logits", async () => {
    class Net extends st.nn.Module {
      fc = new st.nn.Linear(4, 3);
      forward(x: st.Tensor) { return this.fc.call(x); }
    }
    st.manualSeed(2);
    const m = st.model(new Net());
    m.compile({ optimizer: { name: "adam", learningRate: 0.05 }, loss: new st.nn.CrossEntropyLoss(), metrics: ["accuracy"] });
    const { x, y } = data(80);
    const h = await m.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
    expect(h.history.loss!.at(-1)!).toBeLessThan(h.history.loss![0]! * 0.7);
    // class 1 (one positive feature of two) is not linearly separable: well above the 0.5 of always "1"
    expect(h.history.accuracy!.at(-1)!).toBeGreaterThan(0.7);
  });
});
