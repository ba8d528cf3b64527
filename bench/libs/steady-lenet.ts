// steadytensor's side of workload 5 (LeNet-style CNN step): st.nn.Sequential of st.nn.Conv2d,
// ReLU, MaxPool2d, Flatten and Linear holding the bench's deterministic weights (loaded under
// PyTorch's state-dict keys), st.nn.functional.crossEntropy and st.optim.SGD.

import * as st from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { LENET, lenetData } from "../data.js";
import type { Case } from "../harness.js";

export function steadyLenet(): Case | string {
  const nn = st.nn as unknown as Partial<typeof st.nn>;
  if (!nn.Conv2d || !nn.MaxPool2d) return "st.nn.Conv2d / MaxPool2d missing in this checkout";
  const d = lenetData();
  const net = new st.nn.Sequential(
    new st.nn.Conv2d(1, 6, 5), new st.nn.ReLU(), new st.nn.MaxPool2d(2),
    new st.nn.Conv2d(6, 16, 5), new st.nn.ReLU(), new st.nn.MaxPool2d(2),
    new st.nn.Flatten(),
    new st.nn.Linear(256, 120), new st.nn.ReLU(), new st.nn.Linear(120, 84), new st.nn.ReLU(), new st.nn.Linear(84, 10),
  );
  const t = (a: Float32Array, shape: number[]) => st.tensor(a, { shape });
  const sd: Record<string, Tensor> = {};
  d.convs.forEach((c, i) => {
    sd[`${3 * i}.weight`] = t(c.w, [c.outC, c.inC, 5, 5]);
    sd[`${3 * i}.bias`] = t(c.b, [c.outC]);
  });
  d.fcs.forEach((f, i) => {
    sd[`${7 + 2 * i}.weight`] = t(f.w, [f.outF, f.inF]);
    sd[`${7 + 2 * i}.bias`] = t(f.b, [f.outF]);
  });
  net.loadStateDict(sd);
  const opt = new st.optim.SGD(net.parameters(), { lr: LENET.lr });
  const x = t(d.x, [LENET.batch, 1, LENET.side, LENET.side]);
  const labels = st.tensor(d.labels, { shape: [LENET.batch] });
  return {
    impl: "st.nn.Sequential(Conv2d, ReLU, MaxPool2d, …, Linear) + st.nn.functional.crossEntropy + st.optim.SGD",
    run() {
      opt.zeroGrad();
      const loss = st.nn.functional.crossEntropy(net.call(x) as Tensor, labels);
      loss.backward();
      opt.step();
      return loss.item();
    },
  };
}
