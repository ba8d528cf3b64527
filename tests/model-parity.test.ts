// Parity of model.fit with PyTorch: the same small models, data, initial weights and batch order
// trained by the plain PyTorch loop of scripts/gen-fit-fixture.py (Keras's semantics on PyTorch's
// optimizers) give the same loss per epoch to 1e-5 — fused softmax + Adam, MSE + SGD momentum +
// clipnorm, fused sigmoid + RMSprop + sample weights.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { type FixtureTensor, fixtureTensor } from "./helpers/fixtures.js";

interface ParityCase {
  name: string;
  x: FixtureTensor;
  y: FixtureTensor;
  sampleWeight?: FixtureTensor;
  initialState: Record<string, FixtureTensor>;
  units: number[];
  activations: string[];
  loss: string;
  optimizer: st.NamedOptimizer;
  clipnorm?: number;
  epochs: number;
  batchSize: number;
  epochLosses: number[];
}

const file = JSON.parse(readFileSync(join(__dirname, "fixtures", "fit-parity.json"), "utf8")) as { cases: ParityCase[] };

describe("model.fit agrees with PyTorch (tests/fixtures/fit-parity.json)", () => {
  for (const c of file.cases) {
    it(`${c.name}: loss per epoch to 1e-5`, async () => {
      const x = fixtureTensor(c.x);
      const model = st.sequential(c.units.map((units, i) =>
        st.layers.dense({ units, activation: c.activations[i] as st.layers.ActivationName, ...(i === 0 ? { inputShape: [x.shape[1]!] } : {}) })));
      const init: Record<string, st.Tensor> = {};
      for (const [k, v] of Object.entries(c.initialState)) init[k] = fixtureTensor(v);
      model.setWeights(init);
      model.compile({ optimizer: c.optimizer, loss: c.loss, clipnorm: c.clipnorm });
      const h = await model.fit(x, fixtureTensor(c.y), {
        epochs: c.epochs, batchSize: c.batchSize, shuffle: false, verbose: 0,
        sampleWeight: c.sampleWeight ? fixtureTensor(c.sampleWeight) : undefined,
      });
      expect(h.history.loss).toHaveLength(c.epochs);
      h.history.loss!.forEach((v, i) => expect(Math.abs(v - c.epochLosses[i]!)).toBeLessThan(1e-5));
    });
  }
});
