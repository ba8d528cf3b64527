// jax-js in the bench (wasm device, `init("wasm")`), written the JAX way: pure functions of a
// parameter tree, jit(valueAndGrad(loss)) and a hand Adam inside the jitted step. jax-js owns
// arrays by reference count (`.ref` keeps an argument alive), and is lazy: work is forced by
// dataSync / blockUntilReady inside the timed run.

import { ADD_LEN, ADD_OPS, MLP, TRANSFORMER, detUniform, mlpData, oneHotRows, transformerData } from "../data.js";
import type { Case } from "../harness.js";
import type { LoadResult, Workloads } from "../lib.js";
import { pkgVersion } from "../machine.js";
import { firstLine } from "./steady.js";
import { jaxLenet } from "./jax-lenet.js";

type Jax = typeof import("@jax-js/jax");
type Arr = import("@jax-js/jax").numpy.Array;

function workloads(jx: Jax): Workloads {
  const { numpy: np } = jx;
  const arr = (a: Float32Array, shape: number[]) => np.array(a, { shape });
  return {
    matmul(n) {
      const a = arr(detUniform(n * n, 4, 1), [n, n]);
      const b = arr(detUniform(n * n, 5, 1), [n, n]);
      return {
        run: () => np.matmul(a.ref, b.ref).blockUntilReady().then((c) => c.dispose()),
        dispose: () => { a.dispose(); b.dispose(); },
      };
    },
    mlp: () => mlpCase(jx),
    transformer: () => transformerCase(jx),
    lenet: () => jaxLenet(jx),
    add(recordGrad) {
      if (recordGrad) return "jax-js records nothing outside grad/vjp tracing";
      const a = arr(detUniform(ADD_LEN, 6, 1), [ADD_LEN]);
      const b = arr(detUniform(ADD_LEN, 7, 1), [ADD_LEN]);
      return {
        run: () => {
          // dataSync forces the (otherwise lazy and, once disposed, never executed) kernel
          for (let i = 0; i < ADD_OPS; i++) np.add(a.ref, b.ref).dataSync();
        },
        dispose: () => { a.dispose(); b.dispose(); },
      };
    },
  };
}

type Layer = { w: Arr; b: Arr };

/** Workload 2: loss of a parameter tree, one jitted train step = valueAndGrad + Adam update. */
function mlpCase(jx: Jax): Case {
  const { numpy: np, nn, jit, valueAndGrad, tree } = jx;
  const d = mlpData();
  const x = np.array(d.x, { shape: [MLP.batch, MLP.sizes[0]] });
  const y = np.array(oneHotRows(d.labels, 10), { shape: [MLP.batch, 10] });
  let params: Layer[] = d.layers.map((l) => ({ w: np.array(l.w, { shape: [l.outF, l.inF] }), b: np.array(l.b, { shape: [l.outF] }) }));
  let m: Layer[] = d.layers.map((l) => ({ w: np.zeros([l.outF, l.inF]), b: np.zeros([l.outF]) }));
  let v: Layer[] = d.layers.map((l) => ({ w: np.zeros([l.outF, l.inF]), b: np.zeros([l.outF]) }));
  const lossFn = (ps: Layer[], xb: Arr, yb: Arr): Arr => {
    let h = xb;
    ps.forEach((p, i) => {
      h = np.matmul(h, p.w.transpose()).add(p.b);
      if (i + 1 < ps.length) h = nn.relu(h);
    });
    return nn.logSoftmax(h, -1).mul(yb).sum(-1).mean().neg();
  };
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  // bc = [1 − β₁ᵗ, 1 − β₂ᵗ] is an input, so the step is traced once, not once per t
  const step = jit((ps: Layer[], ms: Layer[], vs: Layer[], xb: Arr, yb: Arr, bc1: Arr, bc2: Arr) => {
    const [loss, g] = valueAndGrad(lossFn)(tree.ref(ps), xb, yb) as [Arr, Layer[]];
    const upd = (p: Arr, gi: Arr, mi: Arr, vi: Arr): [Arr, Arr, Arr] => {
      const m2 = mi.mul(b1).add(gi.ref.mul(1 - b1));
      const v2 = vi.mul(b2).add(np.square(gi).mul(1 - b2));
      const mhat = m2.ref.div(bc1.ref);
      const denom = np.sqrt(v2.ref.div(bc2.ref)).add(eps);
      return [p.sub(mhat.mul(MLP.lr).div(denom)), m2, v2];
    };
    const out = ps.map((p, i) => {
      const [w, mw, vw] = upd(p.w, g[i]!.w, ms[i]!.w, vs[i]!.w);
      const [b, mb, vb] = upd(p.b, g[i]!.b, ms[i]!.b, vs[i]!.b);
      return { p: { w, b }, m: { w: mw, b: mb }, v: { w: vw, b: vb } };
    });
    bc1.dispose();
    bc2.dispose();
    return { loss, ps: out.map((o) => o.p), ms: out.map((o) => o.m), vs: out.map((o) => o.v) };
  });
  let t = 0;
  return {
    async run() {
      t++;
      const r = step(params, m, v, x.ref, y.ref, np.array([1 - b1 ** t]), np.array([1 - b2 ** t]));
      params = r.ps;
      m = r.ms;
      v = r.vs;
      await jx.blockUntilReady([params, m, v]);
      return r.loss.dataSync()[0];
    },
    dispose: () => {
      tree.dispose([params, m, v, x, y]);
      step.dispose();
    },
  };
}

type TParams = Record<"inW" | "inB" | "outW" | "outB" | "w1" | "b1" | "w2" | "b2" | "g1" | "be1" | "g2" | "be2", Arr>;

/** Workload 3: the same encoder-layer composition; jit(valueAndGrad(loss)) over the parameters. */
function transformerCase(jx: Jax): Case {
  const { numpy: np, nn, jit, valueAndGrad, tree } = jx;
  const { batch: B, seq: S, dModel: D, heads: H, dFF: F, eps } = TRANSFORMER;
  const Dh = D / H;
  const d = transformerData();
  const x = np.array(d.x, { shape: [B, S, D] });
  const target = np.array(d.target, { shape: [B, S, D] });
  const a = (v: Float32Array, shape: number[]) => np.array(v, { shape });
  const params: TParams = {
    inW: a(d.p.inW, [3 * D, D]), inB: a(d.p.inB, [3 * D]), outW: a(d.p.outW, [D, D]), outB: a(d.p.outB, [D]),
    w1: a(d.p.w1, [F, D]), b1: a(d.p.b1, [F]), w2: a(d.p.w2, [D, F]), b2: a(d.p.b2, [D]),
    g1: a(d.p.g1, [D]), be1: a(d.p.be1, [D]), g2: a(d.p.g2, [D]), be2: a(d.p.be2, [D]),
  };
  const linear = (t: Arr, w: Arr, b: Arr) => np.matmul(t, w.transpose()).add(b);
  const layerNorm = (t: Arr, g: Arr, b: Arr) => {
    const xc = t.ref.sub(t.mean(-1, { keepdims: true }));
    const varx = np.square(xc.ref).mean(-1, { keepdims: true });
    return xc.div(np.sqrt(varx.add(eps))).mul(g).add(b);
  };
  const heads = (t: Arr) => t.reshape([B, S, H, Dh]).transpose([0, 2, 1, 3]);
  const loss = (p: TParams, xb: Arr, tb: Arr): Arr => {
    const [q, k, v] = np.split(linear(xb.ref, p.inW, p.inB), 3, -1) as [Arr, Arr, Arr];
    // q scaled by 1/√Dh before the product, as PyTorch's multi-head attention does
    const scores = np.matmul(heads(q.mul(1 / Math.sqrt(Dh))), heads(k).transpose([0, 1, 3, 2]));
    const ctx = np.matmul(nn.softmax(scores, -1), heads(v));
    const merged = ctx.transpose([0, 2, 1, 3]).reshape([B, S, D]);
    const x1 = layerNorm(xb.add(linear(merged, p.outW, p.outB)), p.g1, p.be1);
    const ff = linear(nn.relu(linear(x1.ref, p.w1, p.b1)), p.w2, p.b2);
    const out = layerNorm(x1.add(ff), p.g2, p.be2);
    return np.square(out.sub(tb)).mean();
  };
  const fwdBwd = jit(valueAndGrad(loss));
  return {
    async run() {
      const [l, g] = fwdBwd(tree.ref(params), x.ref, target.ref) as [Arr, TParams];
      await jx.blockUntilReady(g);
      tree.dispose(g);
      return l.dataSync()[0];
    },
    dispose: () => {
      tree.dispose([params, x, target]);
      fwdBwd.dispose();
    },
  };
}

/** Imports jax-js and starts its wasm device (single-threaded in Node: no global Worker there). */
export async function loadJax(): Promise<LoadResult> {
  let jx: Jax;
  try {
    jx = await import("@jax-js/jax");
  } catch (e) {
    return { id: "jax-js", reason: `@jax-js/jax not installed (${firstLine(e)})` };
  }
  try {
    const devices = await jx.init("wasm");
    if (!devices.includes("wasm")) return { id: "jax-js", reason: `init("wasm") gave devices [${devices.join(", ")}]` };
    jx.defaultDevice("wasm");
  } catch (e) {
    return { id: "jax-js", reason: `init("wasm") failed: ${firstLine(e)}` };
  }
  const threaded = typeof (globalThis as { Worker?: unknown }).Worker !== "undefined";
  return {
    id: "jax-js",
    version: `@jax-js/jax ${pkgVersion("@jax-js/jax")} (wasm device, jit)`,
    threads: threaded ? "wasm worker pool" : "1 (no Web Worker in Node)",
    ours: false,
    activate: async () => {
      jx.defaultDevice("wasm");
    },
    workloads: workloads(jx),
  };
}
