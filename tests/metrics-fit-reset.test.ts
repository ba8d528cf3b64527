// Metrics are reset before each evaluation: val_* metrics in fit and evaluate() after fit count
// only their own batches, not the training epoch's (the training and validation passes share the
// compiled metric objects, so a missing reset would mix them).

import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";

describe("metrics reset before each evaluation", () => {
  function setup() {
    st.manualSeed(5);
    const x = st.randn([40, 3]);
    const y = x.matmul(st.tensor([[1], [-2], [0.5]])).add(st.randn([40, 1]).mul(0.8)).gt(0).double().float();
    const model = st.sequential([st.layers.dense({ units: 1, activation: "sigmoid", inputShape: [3] })]);
    model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", "auc"] });
    return { x, y, model };
  }

  it("evaluate after fit equals the metrics computed at once on predict's outputs", async () => {
    const { x, y, model } = setup();
    await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    const logs = await model.evaluate(x, y, { batchSize: 7 });
    const p = model.predict(x);
    const acc = new st.metrics.BinaryAccuracy();
    acc.update(p, y);
    const auc = new st.metrics.AUC();
    auc.update(p, y);
    expect(logs.accuracy).toBeCloseTo(acc.result(), 6);
    expect(logs.auc).toBeCloseTo(auc.result(), 6);
  });

  it("the last epoch's val_* equal evaluate on the validation data after fit", async () => {
    const { x, y, model } = setup();
    const [xv, yv] = [x.slice([30, 40]), y.slice([30, 40])];
    const h = await model.fit(x.slice([0, 30]), y.slice([0, 30]), { epochs: 2, batchSize: 8, verbose: 0, validationData: [xv, yv] });
    const logs = await model.evaluate(xv, yv, { batchSize: 8 });
    expect(h.history.val_accuracy!.at(-1)).toBeCloseTo(logs.accuracy!, 6);
    expect(h.history.val_auc!.at(-1)).toBeCloseTo(logs.auc!, 6);
  });
});
