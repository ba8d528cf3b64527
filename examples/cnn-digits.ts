// A small CNN on the 8×8 UCI digits, written the way a PyTorch user would: two conv + max-pool
// blocks (1→16→32 channels, 3×3 convolutions with padding 1, BatchNorm2d, ReLU, 2×2 pooling:
// 8×8 → 4×4 → 2×2), a linear classifier, cross-entropy, Adam (lr 3e-3, batch 32) with the lr
// annealed to 0 along a cosine over the 20 epochs, on the fixed-seed 80/20 split.
// Run: npm run example:cnn-digits (prints the held-out accuracy and the training time).
// Measured (seed 0, native backend, 2 shared cores): 98.89 % held-out accuracy in about 13 s.
import * as st from "../src/node.js";

export interface CnnDigitsResult {
  testAccuracy: number;
  finalTrainLoss: number;
  seconds: number;
}

/** The network: [N, 1, 8, 8] → logits [N, 10]. */
export function digitsCnn(): st.nn.Sequential {
  return new st.nn.Sequential(
    new st.nn.Conv2d(1, 16, 3, { padding: 1 }), new st.nn.BatchNorm2d(16), new st.nn.ReLU(), new st.nn.MaxPool2d(2),
    new st.nn.Conv2d(16, 32, 3, { padding: 1 }), new st.nn.BatchNorm2d(32), new st.nn.ReLU(), new st.nn.MaxPool2d(2),
    new st.nn.Flatten(), new st.nn.Linear(32 * 2 * 2, 10),
  );
}

export function trainDigitsCnn(opts: { seed?: number; epochs?: number; log?: (line: string) => void } = {}): CnnDigitsResult {
  const seed = opts.seed ?? 0;
  const epochs = opts.epochs ?? 20;
  const batchSize = 32;
  const t0 = performance.now();
  st.manualSeed(seed);

  const { x, y } = st.datasets.loadDigits(); // [1797, 64], pixels already divided by 16
  const images = x.reshape([-1, 1, 8, 8]);
  const { xTrain, yTrain, xTest, yTest } = st.data.trainTestSplit(images, y, { testSize: 0.2, seed });

  const model = digitsCnn();
  const optimizer = new st.optim.Adam(model.parameters(), { lr: 3e-3 });
  const shuffler = new st.Generator(seed + 1);
  const n = xTrain.shape[0]!;
  // stepped once per batch: the lr falls from 3e-3 to 0 over the whole run
  const schedule = new st.optim.lrScheduler.CosineAnnealingLR(optimizer, { tMax: epochs * Math.ceil(n / batchSize) });
  let lastLoss = NaN;
  for (let epoch = 0; epoch < epochs; epoch++) {
    model.train();
    const order = st.tensor(shuffler.randperm(n));
    let total = 0;
    for (let start = 0; start < n; start += batchSize) {
      const idx = order.slice([start, start + batchSize]);
      optimizer.zeroGrad();
      const loss = st.nn.functional.crossEntropy(model.call(xTrain.indexSelect(0, idx)), yTrain.indexSelect(0, idx));
      loss.backward();
      optimizer.step();
      schedule.step();
      total += loss.item() * idx.shape[0]!;
    }
    lastLoss = total / n;
    opts.log?.(`epoch ${String(epoch + 1).padStart(2)}  train loss ${lastLoss.toFixed(4)}`);
  }
  model.eval();
  const predicted = st.noGrad(() => model.call(xTest).argmax(1));
  const testAccuracy = predicted.eq(yTest).float().mean().item();
  return { testAccuracy, finalTrainLoss: lastLoss, seconds: (performance.now() - t0) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = trainDigitsCnn({ log: console.log });
  console.log(`held-out accuracy: ${(100 * r.testAccuracy).toFixed(2)}%  (${r.seconds.toFixed(1)} s on backend ${st.getBackend()})`);
}
