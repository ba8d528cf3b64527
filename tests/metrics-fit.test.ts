// Metrics through compile/evaluate: the names resolve for the compiled loss (fused sigmoid and
// softmax outputs included), and evaluate's streamed values (over batches of 7) equal each metric
// computed at once on predict's outputs.

import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";

describe("metrics in compile/evaluate (a freshly compiled model)", () => {
  it("binary classification (sigmoid output): accuracy, precision, recall, f1, auc match a direct computation", async () => {
    st.manualSeed(5);
    const x = st.randn([40, 3]);
    const y = x.matmul(st.tensor([[1], [-2], [0.5]])).add(st.randn([40, 1]).mul(0.8)).gt(0).double().float();
    const model = st.sequential([st.layers.dense({ units: 1, activation: "sigmoid", inputShape: [3] })]);
    model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", "precision", "recall", "f1", "auc"] });
    const logs = await model.evaluate(x, y, { batchSize: 7 });
    const p = model.predict(x);
    const direct = (m: st.metrics.Metric) => { m.update(p, y); return m.result(); };
    expect(logs.accuracy).toBeCloseTo(direct(new st.metrics.BinaryAccuracy()), 6);
    expect(logs.precision).toBeCloseTo(direct(new st.metrics.Precision()), 6);
    expect(logs.recall).toBeCloseTo(direct(new st.metrics.Recall()), 6);
    expect(logs.f1).toBeCloseTo(direct(new st.metrics.F1Score()), 6);
    expect(logs.auc).toBeCloseTo(direct(new st.metrics.AUC()), 6);
    expect(logs.auc! > 0 && logs.auc! < 1).toBe(true); // both classes present: defined
  });

  it("multi-class (softmax, sparse labels): \"accuracy\" is sparse categorical; top-k and the regression metrics", async () => {
    st.manualSeed(6);
    const x = st.randn([30, 4]);
    const labels = x.argmax(1); // class = the largest feature
    const model = st.sequential([st.layers.dense({ units: 4, activation: "softmax", inputShape: [4] })]);
    model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["acc", "sparseTopKCategoricalAccuracy"] });
    const logs = await model.evaluate(x, labels, { batchSize: 7 });
    const p = model.predict(x);
    const acc = new st.metrics.SparseCategoricalAccuracy();
    acc.update(p, labels);
    expect(logs.acc).toBeCloseTo(acc.result(), 6);
    expect(logs.sparseTopKCategoricalAccuracy).toBe(1); // k = 5 ≥ 4 classes

    const reg = st.sequential([st.layers.dense({ units: 1, inputShape: [4] })]);
    const t = x.sum(1, true);
    reg.compile({ optimizer: "adam", loss: "mse", metrics: ["mae", "mse", "r2"] });
    const rl = await reg.evaluate(x, t, { batchSize: 7 });
    const rp = reg.predict(x);
    for (const [k, m] of [["mae", new st.metrics.MeanAbsoluteError()], ["mse", new st.metrics.MeanSquaredError()], ["r2", new st.metrics.R2Score()]] as const) {
      m.update(rp, t);
      expect(rl[k], k).toBeCloseTo(m.result(), 5);
    }
  });
});
