// The classic example: a 64-32-10 MLP with ReLU, He initialization, cross-entropy and Adam
// (lr 1e-2, batch 32, 30 epochs) on the UCI digits, pixels/16, fixed-seed 80/20 split.
// Written the way a PyTorch user would. Run: npm run example:digits
import * as st from "../src/node.js";

export interface DigitsResult {
  testAccuracy: number;
  finalTrainLoss: number;
}

export function trainDigitsMlp(opts: { seed?: number; epochs?: number; log?: (line: string) => void } = {}): DigitsResult {
  const seed = opts.seed ?? 0;
  const epochs = opts.epochs ?? 30;
  const batchSize = 32;
  st.manualSeed(seed);

  const { x, y } = st.datasets.loadDigits(); // pixels already divided by 16
  const { xTrain, yTrain, xTest, yTest } = st.data.trainTestSplit(x, y, { testSize: 0.2, seed });

  const model = new st.nn.Sequential(new st.nn.Linear(64, 32), new st.nn.ReLU(), new st.nn.Linear(32, 10));
  for (const [name, p] of model.namedParameters()) {
    if (name.endsWith("weight")) st.nn.init.kaimingNormal_(p, { nonlinearity: "relu" }); // He init
    else st.nn.init.zeros_(p);
  }
  const optimizer = new st.optim.Adam(model.parameters(), { lr: 1e-2 });
  const shuffler = new st.Generator(seed + 1);

  let lastLoss = NaN;
  const n = xTrain.shape[0]!;
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    const order = st.tensor(shuffler.randperm(n));
    let total = 0;
    for (let start = 0; start < n; start += batchSize) {
      const idx = order.slice([start, start + batchSize]);
      const xb = xTrain.indexSelect(0, idx);
      const yb = yTrain.indexSelect(0, idx);
      optimizer.zeroGrad();
      const loss = st.nn.functional.crossEntropy(model.call(xb), yb);
      loss.backward();
      optimizer.step();
      total += loss.item() * idx.shape[0]!;
    }
    lastLoss = total / n;
    opts.log?.(`epoch ${String(epoch + 1).padStart(2)}  train loss ${lastLoss.toFixed(4)}`);
  }

  model.eval();
  const predicted = st.noGrad(() => model.call(xTest).argmax(1));
  const testAccuracy = predicted.eq(yTest).float().mean().item();
  return { testAccuracy, finalTrainLoss: lastLoss };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = trainDigitsMlp({ log: console.log });
  console.log(`held-out accuracy: ${(100 * r.testAccuracy).toFixed(2)}%`);
}
