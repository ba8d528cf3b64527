// jax-js's side of workload 5 (LeNet-style CNN step), the JAX way: a pure loss of a parameter
// tree with lax.convGeneralDilated (NCHW, PyTorch's [O, C, kh, kw] kernels), 2×2 max pooling as a
// reshape + max, jit(valueAndGrad) and the SGD update inside the jitted step.

import { LENET, lenetData, oneHotRows } from "../data.js";
import type { Case } from "../harness.js";

type Jax = typeof import("@jax-js/jax");
type Arr = import("@jax-js/jax").numpy.Array;
type P = { w: Arr; b: Arr };

export function jaxLenet(jx: Jax): Case {
  const { numpy: np, nn, lax, jit, valueAndGrad, tree } = jx;
  const d = lenetData();
  const { batch: B, side: S, lr } = LENET;
  const x = np.array(d.x, { shape: [B, 1, S, S] });
  const y = np.array(oneHotRows(d.labels, 10), { shape: [B, 10] });
  let params: { convs: P[]; fcs: P[] } = {
    convs: d.convs.map((c) => ({ w: np.array(c.w, { shape: [c.outC, c.inC, 5, 5] }), b: np.array(c.b, { shape: [c.outC] }) })),
    fcs: d.fcs.map((f) => ({ w: np.array(f.w, { shape: [f.outF, f.inF] }), b: np.array(f.b, { shape: [f.outF] }) })),
  };
  const pool2 = (h: Arr): Arr => {
    const [n, c, hh, ww] = h.shape as [number, number, number, number];
    return h.reshape([n, c, hh / 2, 2, ww / 2, 2]).max([3, 5]);
  };
  const lossFn = (ps: { convs: P[]; fcs: P[] }, xb: Arr, yb: Arr): Arr => {
    let h = xb;
    for (const c of ps.convs) {
      const z = lax.convGeneralDilated(h, c.w, [1, 1], "VALID").add(c.b.reshape([1, -1, 1, 1]));
      h = pool2(nn.relu(z));
    }
    let z = h.reshape([B, -1]);
    ps.fcs.forEach((f, i) => {
      z = np.matmul(z, f.w.transpose()).add(f.b);
      if (i + 1 < ps.fcs.length) z = nn.relu(z);
    });
    return nn.logSoftmax(z, -1).mul(yb).sum(-1).mean().neg();
  };
  const step = jit((ps: { convs: P[]; fcs: P[] }, xb: Arr, yb: Arr) => {
    const [loss, g] = valueAndGrad(lossFn)(tree.ref(ps), xb, yb) as [Arr, { convs: P[]; fcs: P[] }];
    const upd = (p: P, gp: P): P => ({ w: p.w.sub(gp.w.mul(lr)), b: p.b.sub(gp.b.mul(lr)) });
    return { loss, ps: { convs: ps.convs.map((p, i) => upd(p, g.convs[i]!)), fcs: ps.fcs.map((p, i) => upd(p, g.fcs[i]!)) } };
  });
  return {
    async run() {
      const r = step(params, x.ref, y.ref);
      params = r.ps;
      await jx.blockUntilReady(params);
      return r.loss.dataSync()[0];
    },
    dispose: () => {
      tree.dispose([params, x, y]);
      step.dispose();
    },
  };
}
