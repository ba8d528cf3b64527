// TensorFlow.js's side of workload 5 (LeNet-style CNN step), written the idiomatic tfjs way:
// NHWC images, tf.conv2d with [kh, kw, in, out] filters (the bench's PyTorch-layout weights
// transposed once), tf.maxPool, tf.train.sgd(...).minimize. The pooled activations are moved to
// NCHW before flattening so the first linear layer sees PyTorch's feature order (same loss).

import { LENET, lenetData, oneHotRows } from "../data.js";
import type { Case } from "../harness.js";
import { denseChain, minimizeCase } from "./tfjs-train.js";

type Tf = typeof import("@tensorflow/tfjs");
type T = import("@tensorflow/tfjs-core").Tensor;
type T4 = import("@tensorflow/tfjs-core").Tensor4D;

export function tfjsLenet(tf: Tf): Case {
  const d = lenetData();
  const { batch: B, side: S } = LENET;
  const x = tf.tidy(() => tf.transpose(tf.tensor4d(d.x, [B, 1, S, S]), [0, 2, 3, 1])) as T4;
  const y = tf.tensor2d(oneHotRows(d.labels, 10), [B, 10]);
  const convs = tf.tidy(() => d.convs.map((c) => ({
    w: tf.variable(tf.transpose(tf.tensor4d(c.w, [c.outC, c.inC, 5, 5]), [2, 3, 1, 0])),
    b: tf.variable(tf.tensor1d(c.b)),
  })));
  const fcs = tf.tidy(() => d.fcs.map((f) => ({ w: tf.variable(tf.tensor2d(f.w, [f.outF, f.inF])), b: tf.variable(tf.tensor1d(f.b)) })));
  const varList = [...convs, ...fcs].flatMap((v) => [v.w, v.b]);
  const opt = tf.train.sgd(LENET.lr);
  const loss = () => {
    let h: T4 = x;
    for (const c of convs) {
      h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, c.w as unknown as T4, 1, "valid"), c.b)) as T4, 2, 2, "valid");
    }
    const z: T = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [B, -1]);
    return tf.losses.softmaxCrossEntropy(y, denseChain(tf, z, fcs)) as import("@tensorflow/tfjs-core").Scalar;
  };
  return minimizeCase(opt, loss, varList, [x, y], tf);
}
