// The `steady` command's default job: train an MLP on the bundled UCI digits and report
// held-out accuracy. Configurable from the command line (sizes, epochs, lr, seed).

import * as st from "../node.js";

export interface DigitsJobOptions {
  hidden: number[];
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  log: (line: string) => void;
}

export interface DigitsJobResult {
  testAccuracy: number;
  trainLoss: number;
  seconds: number;
  parameters: number;
}

export function runDigitsJob(o: DigitsJobOptions): DigitsJobResult {
  const t0 = performance.now();
  st.manualSeed(o.seed);
  const { x, y, numClasses } = st.datasets.loadDigits();
  const { xTrain, yTrain, xTest, yTest } = st.data.trainTestSplit(x, y, { testSize: 0.2, seed: o.seed });
  const sizes = [x.shape[1]!, ...o.hidden, numClasses];
  const layers: st.nn.AnyModule[] = [];
  sizes.slice(1).forEach((out, i) => {
    const lin = new st.nn.Linear(sizes[i]!, out);
    st.nn.init.kaimingNormal_(lin.weight, { nonlinearity: "relu" });
    st.nn.init.zeros_(lin.bias!);
    layers.push(lin);
    if (i < sizes.length - 2) layers.push(new st.nn.ReLU());
  });
  const model = new st.nn.Sequential(layers);
  const opt = new st.optim.Adam(model.parameters(), { lr: o.lr });
  o.log(`model ${sizes.join("-")} (${model.parameters().reduce((s, p) => s + p.size, 0)} parameters), backend ${st.backendInfo().active}`);
  o.log(`data: ${xTrain.shape[0]} train / ${xTest.shape[0]} held-out digits, batch ${o.batchSize}, Adam lr ${o.lr}`);

  const gen = new st.Generator(o.seed + 1);
  const n = xTrain.shape[0]!;
  let trainLoss = NaN;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    model.train();
    const order = st.tensor(gen.randperm(n));
    let total = 0;
    for (let s = 0; s < n; s += o.batchSize) {
      const idx = order.slice([s, s + o.batchSize]);
      opt.zeroGrad();
      const loss = st.nn.functional.crossEntropy(model.call(xTrain.indexSelect(0, idx)), yTrain.indexSelect(0, idx));
      const v = loss.item();
      if (!Number.isFinite(v)) {
        throw new st.NonFiniteError(`steady: the training loss became ${v} at epoch ${epoch}; lower --lr (now ${o.lr})`);
      }
      loss.backward();
      opt.step();
      total += v * idx.shape[0]!;
    }
    trainLoss = total / n;
    model.eval();
    const acc = st.noGrad(() => model.call(xTest).argmax(1).eq(yTest).float().mean().item());
    o.log(`epoch ${String(epoch).padStart(String(o.epochs).length)}/${o.epochs}  loss ${trainLoss.toFixed(4)}  held-out accuracy ${(100 * acc).toFixed(2)}%`);
  }
  model.eval();
  const testAccuracy = st.noGrad(() => model.call(xTest).argmax(1).eq(yTest).float().mean().item());
  return {
    testAccuracy,
    trainLoss,
    seconds: (performance.now() - t0) / 1000,
    parameters: model.parameters().reduce((s, p) => s + p.size, 0),
  };
}
