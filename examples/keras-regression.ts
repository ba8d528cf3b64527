// The source material's Keras regression example: Dense(10, relu) → Dense(1) trained with MSE
// and Adam (lr 1e-3) on a linear target y = 3x₁ − 2x₂ + 1 (+ a little noise).
// Run: npx tsx examples/keras-regression.ts
import * as st from "../src/node.js";

export async function kerasRegression(opts: { seed?: number; epochs?: number; verbose?: 0 | 1 | 2 } = {}): Promise<{ history: st.History; testMse: number; baselineMse: number }> {
  st.manualSeed(opts.seed ?? 0);
  const { x, y } = st.data.makeRegression({ nSamples: 600, nFeatures: 2, weights: [3, -2], bias: 1, noise: 0.05, seed: opts.seed ?? 0 });
  const { xTrain, yTrain, xTest, yTest } = st.data.trainTestSplit(x, y, { testSize: 0.2, seed: opts.seed ?? 0 });

  const model = st.sequential([
    st.layers.dense({ units: 10, activation: "relu" }), // input size taken from the first batch
    st.layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: { name: "adam", learningRate: 1e-3 }, loss: "mse" });

  const history = await model.fit(xTrain, yTrain, { epochs: opts.epochs ?? 100, batchSize: 32, verbose: opts.verbose ?? 1 });
  const { loss: testMse } = await model.evaluate(xTest, yTest);
  // predicting the mean: the MSE a model that learned nothing would get
  const baselineMse = yTest.sub(yTrain.mean()).square().mean().item();
  if (opts.verbose !== 0) console.log(`held-out MSE ${testMse!.toFixed(4)} (predicting the mean: ${baselineMse.toFixed(4)})`);
  return { history, testMse: testMse!, baselineMse };
}

if (import.meta.url === `file://${process.argv[1]}`) await kerasRegression();
