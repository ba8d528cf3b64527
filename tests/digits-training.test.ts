// End-to-end training on the bundled digits: the classic recipe reaches ≥ 96% held-out
// accuracy, and a replay of a recorded PyTorch run (same init, split and batch order) matches it.
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { trainDigitsMlp } from "../examples/digits-mlp.js";
import { fixtureTensor, type FixtureTensor } from "./helpers/fixtures.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface TrainingCase {
  name: string;
  initialState: Record<string, FixtureTensor>;
  testIndices: number[];
  epochOrders: number[][];
  batchSize: number;
  lr: number;
  epochLosses: number[];
  testAccuracy: number;
}

describe("digits MLP (examples/digits-mlp.ts)", () => {
  it("reaches at least 96% held-out accuracy with the issue's recipe (seed 0)", () => {
    const r = trainDigitsMlp({ seed: 0 });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.96);
    expect(r.finalTrainLoss).toBeLessThan(0.05);
  });

  it("replays a recorded PyTorch run: identical per-epoch losses and held-out accuracy", () => {
    const file = JSON.parse(readFileSync(join(__dirname, "fixtures", "training.json"), "utf8")) as { cases: TrainingCase[] };
    const c = file.cases[0]!;
    const { x, y } = st.datasets.loadDigits();
    const model = new st.nn.Sequential(new st.nn.Linear(64, 32), new st.nn.ReLU(), new st.nn.Linear(32, 10));
    const sd: Record<string, st.Tensor> = {};
    for (const [k, v] of Object.entries(c.initialState)) sd[k] = fixtureTensor(v);
    model.loadStateDict(sd);
    const opt = new st.optim.Adam(model.parameters(), { lr: c.lr });
    c.epochOrders.forEach((order, epoch) => {
      const p = st.tensor(order, { dtype: "int32" });
      let total = 0;
      for (let s = 0; s < p.size; s += c.batchSize) {
        const idx = p.slice([s, s + c.batchSize]);
        opt.zeroGrad();
        const loss = st.nn.functional.crossEntropy(model.call(x.indexSelect(0, idx)), y.indexSelect(0, idx));
        loss.backward();
        opt.step();
        total += loss.item() * idx.size;
      }
      // float32 training over ~45 Adam steps per epoch: agreement to ~1e-5 relative shows the same run
      expect(total / p.size).toBeCloseTo(c.epochLosses[epoch]!, 4);
      expect(Math.abs(total / p.size - c.epochLosses[epoch]!) / c.epochLosses[epoch]!).toBeLessThan(1e-4);
    });
    const te = st.tensor(c.testIndices, { dtype: "int32" });
    const acc = st.noGrad(() => model.call(x.indexSelect(0, te)).argmax(1).eq(y.indexSelect(0, te)).float().mean().item());
    expect(acc).toBeCloseTo(c.testAccuracy, 6);
  });
});
