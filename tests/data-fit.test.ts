// st.data feeding Model.fit: a seeded DataLoader over a TensorDataset is a batch iterable for fit,
// and mini-batch SGD on y = 2x + 1 + noise (linearData) recovers w ≈ 2, b ≈ 1.
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";

describe("DataLoader → Model.fit", () => {
  it("fits y = 2x + 1 + noise from a shuffled DataLoader to w ≈ 2, b ≈ 1, reproducibly", async () => {
    const train = async () => {
      st.manualSeed(0);
      const { x, y } = st.data.linearData({ n: 256, noise: 0.1, seed: 0 });
      const loader = new st.data.DataLoader(new st.data.TensorDataset(x, y), { batchSize: 16, shuffle: true, seed: 1 });
      expect(loader.length).toBe(16);
      const model = st.sequential([st.layers.dense({ units: 1, inputShape: [1] })]);
      model.compile({ optimizer: { name: "sgd", learningRate: 0.1 }, loss: "mse" });
      const h = await model.fit(loader, undefined, { epochs: 20, verbose: 0 });
      const w = model.getWeights();
      return { loss: h.history.loss!, w: w["0.weight"]!.item() as number, b: w["0.bias"]!.item() as number };
    };
    const a = await train();
    expect(a.w).toBeCloseTo(2, 1);
    expect(a.b).toBeCloseTo(1, 1);
    expect(a.loss.at(-1)!).toBeLessThan(0.02); // noise variance 0.01
    expect((await train()).loss).toEqual(a.loss);
  });
});
