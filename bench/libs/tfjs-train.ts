// What the tfjs training-step workloads (the MLP in tfjs.ts, LeNet in tfjs-lenet.ts) share: the
// dense layers x·Wᵀ + b with ReLU between them, and a Case around optimizer.minimize.

import type { Case } from "../harness.js";

type Tf = typeof import("@tensorflow/tfjs");
type T = import("@tensorflow/tfjs-core").Tensor;
type Variable = import("@tensorflow/tfjs-core").Variable;
type Scalar = import("@tensorflow/tfjs-core").Scalar;

/** h ← h·Wᵀ + b for each layer (PyTorch's [out, in] weights), ReLU after all but the last. */
export function denseChain(tf: Tf, h: T, layers: readonly { w: T; b: T }[]): T {
  layers.forEach((l, i) => {
    h = tf.add(tf.matMul(h, l.w, false, true), l.b);
    if (i + 1 < layers.length) h = tf.relu(h);
  });
  return h;
}

/** One optimizer.minimize step per run (the loss read back), disposing `owned` and the optimizer at the end. */
export function minimizeCase(opt: import("@tensorflow/tfjs-core").Optimizer, loss: () => Scalar, varList: Variable[], owned: T[], tf: Tf): Case {
  return {
    run() {
      const cost = opt.minimize(loss, true, varList)!;
      const v = cost.dataSync()[0];
      cost.dispose();
      return v;
    },
    dispose: () => {
      tf.dispose([...owned, ...varList]);
      opt.dispose();
    },
  };
}
