// The steadytensor side of the PyTorch round trip: a Keras-style MLP trained here on the wine data
// (seeded, on the deterministic pure-TypeScript backend) and saved with `model.save` into
// tests/fixtures/roundtrip/st-wine-mlp/ (config.json, weights.safetensors, optimizer.*), plus
// st-wine-mlp-inputs.json: a batch of standardized inputs and our predictions for them.
// scripts/gen-roundtrip-fixtures.py loads the saved model into PyTorch and records PyTorch's
// outputs (st-wine-mlp-torch.json); tests/pytorch-roundtrip.test.ts checks they agree, and that
// rerunning makeRoundtripModel today writes byte-identical files (the format cannot drift).
//
// Run: npx tsx scripts/make-roundtrip-model.ts   (then npm run fixtures:roundtrip)

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as st from "../src/node.js";

export const ROUNDTRIP_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "tests", "fixtures", "roundtrip");

/** What the committed inputs file holds. */
export interface RoundtripInputs {
  /** Standardized wine rows, float32 [n, 13] (numbers exact as float32). */
  inputs: number[][];
  /** steadytensor's predictions for them (class probabilities, float32 [n, 3]). */
  predictions: number[][];
  /** Held-out accuracy of the trained model (for the record). */
  testAccuracy: number;
}

/**
 * Trains the wine MLP (13 → 16 relu → 3 softmax, Adam 0.01, 40 epochs, batch 16, seed 0) on the
 * js backend and saves it into `dir`; returns the inputs file's content. The active backend is
 * restored afterwards.
 */
export async function makeRoundtripModel(dir: string): Promise<RoundtripInputs> {
  const previous = st.getBackend();
  st.setBackend("js"); // the reference backend: the same bytes on every machine, addon or not
  try {
    st.manualSeed(0);
    const { x, y } = st.datasets.loadWine();
    const { xTrain, yTrain, xTest, yTest } = st.data.trainTestSplit(x, y, { testSize: 0.25, seed: 0 });
    const scaler = new st.data.StandardScaler();
    const xTr = scaler.fitTransform(xTrain);
    const xTe = scaler.transform(xTest);
    const model = st.sequential([
      st.layers.dense({ units: 16, activation: "relu", inputShape: [13] }),
      st.layers.dense({ units: 3, activation: "softmax" }),
    ]);
    model.compile({ optimizer: { name: "adam", learningRate: 0.01 }, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
    await model.fit(xTr, yTrain, { epochs: 40, batchSize: 16, verbose: 0 });
    const { accuracy } = await model.evaluate(xTe, yTest);
    await model.save(dir);
    const inputs = xTe.slice([0, 12]);
    const predictions = model.predict(inputs) as st.Tensor;
    return { inputs: inputs.toArray() as number[][], predictions: predictions.toArray() as number[][], testAccuracy: accuracy! };
  } finally {
    st.setBackend(previous);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(ROUNDTRIP_DIR, { recursive: true });
  const out = await makeRoundtripModel(join(ROUNDTRIP_DIR, "st-wine-mlp"));
  writeFileSync(join(ROUNDTRIP_DIR, "st-wine-mlp-inputs.json"), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`wrote tests/fixtures/roundtrip/st-wine-mlp/ and st-wine-mlp-inputs.json (held-out accuracy ${(100 * out.testAccuracy).toFixed(1)} %)`);
}
