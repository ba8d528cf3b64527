// Mini-batch SGD linear regression, the Keras way: one dense unit fit to y = 2x + 1 + noise
// recovers w ≈ 2 and b ≈ 1. Run: npx tsx examples/keras-linear-sgd.ts
import * as st from "../src/node.js";

export async function kerasLinearSgd(opts: { seed?: number; epochs?: number; verbose?: 0 | 1 | 2 } = {}): Promise<{ w: number; b: number; history: st.History }> {
  st.manualSeed(opts.seed ?? 0);
  const { x, y } = st.data.linearData({ n: 200, weight: 2, bias: 1, noise: 0.1, seed: opts.seed ?? 0 });

  const model = st.sequential([st.layers.dense({ units: 1, inputShape: [1] })]);
  model.compile({ optimizer: { name: "sgd", learningRate: 0.1 }, loss: "mse" });
  const history = await model.fit(x, y, { epochs: opts.epochs ?? 50, batchSize: 16, verbose: opts.verbose ?? 1 });

  const weights = model.getWeights();
  const w = weights["0.weight"]!.item();
  const b = weights["0.bias"]!.item();
  if (opts.verbose !== 0) console.log(`learned y = ${w.toFixed(3)}·x + ${b.toFixed(3)} (true: 2x + 1)`);
  return { w, b, history };
}

if (import.meta.url === `file://${process.argv[1]}`) await kerasLinearSgd();
