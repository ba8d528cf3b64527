// The source material's Keras example, as written: Dense(10, relu, inputShape [64]) →
// Dense(10, softmax), compiled with adam, sparseCategoricalCrossentropy and accuracy, fit with
// batch size 32 on the UCI digits, accuracy on a held-out 20%. Run: npx tsx examples/keras-digits.ts
import * as st from "../src/node.js";

export async function kerasDigits(opts: { seed?: number; epochs?: number; verbose?: 0 | 1 | 2 } = {}): Promise<{ testAccuracy: number; history: st.History; summary: string }> {
  const seed = opts.seed ?? 0;
  st.manualSeed(seed);
  const { x, y } = st.datasets.loadDigits(); // pixels / 16
  const { xTrain, yTrain, xTest, yTest } = st.data.trainTestSplit(x, y, { testSize: 0.2, seed });

  const model = st.sequential([
    st.layers.dense({ units: 10, activation: "relu", inputShape: [64] }),
    st.layers.dense({ units: 10, activation: "softmax" }),
  ]);
  model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
  const summary = model.summary({ print: opts.verbose !== 0 });

  const history = await model.fit(xTrain, yTrain, { epochs: opts.epochs ?? 150, batchSize: 32, verbose: opts.verbose ?? 1 });
  const { accuracy } = await model.evaluate(xTest, yTest);
  if (opts.verbose !== 0) console.log(`held-out accuracy: ${(100 * accuracy!).toFixed(2)}%`);
  return { testAccuracy: accuracy!, history, summary };
}

if (import.meta.url === `file://${process.argv[1]}`) await kerasDigits();
