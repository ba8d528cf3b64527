// TensorFlow.js in the bench: tfjs-core with the cpu backend (pure JS) and the wasm backend
// (XNNPACK, loaded from node_modules — never from the network), written the idiomatic tfjs way.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ADD_LEN, ADD_OPS, MLP, TRANSFORMER, detUniform, mlpData, oneHotRows, transformerData } from "../data.js";
import type { Case } from "../harness.js";
import { type LoadResult, type Workloads, capMatmul } from "../lib.js";
import { pkgVersion } from "../machine.js";
import { firstLine } from "./steady.js";
import { tfjsLenet } from "./tfjs-lenet.js";
import { denseChain, minimizeCase } from "./tfjs-train.js";

type Tf = typeof import("@tensorflow/tfjs");
type T = import("@tensorflow/tfjs-core").Tensor;
type Variable = import("@tensorflow/tfjs-core").Variable;

/** tfjs-backend-cpu's matmul is pure JS like ours (~0.4 GFLOP/s here): same cap. */
const CPU_MAX_MATMUL = 1024;

function workloads(tf: Tf, id: string, maxMatmul: number): Workloads {
  return {
    matmul(n) {
      const cap = capMatmul(n, maxMatmul, id);
      if (cap) return cap;
      const a = tf.tensor2d(detUniform(n * n, 4, 1), [n, n]);
      const b = tf.tensor2d(detUniform(n * n, 5, 1), [n, n]);
      // cpu and wasm kernels run synchronously inside the op call: no read-back needed
      return { run: () => tf.matMul(a, b).dispose(), dispose: () => tf.dispose([a, b]) };
    },
    mlp: () => mlpCase(tf),
    transformer: () => transformerCase(tf),
    lenet: () => (tf.getKernel("Conv2DBackpropFilter", tf.getBackend()) === undefined
      ? `${id}: tfjs registers no Conv2DBackpropFilter kernel on its ${tf.getBackend()} backend (no conv training there)`
      : tfjsLenet(tf)),
    add(recordGrad) {
      if (recordGrad) return "tfjs records no per-op tape outside tf.grad/variableGrads";
      const a = tf.tensor1d(detUniform(ADD_LEN, 6, 1));
      const b = tf.tensor1d(detUniform(ADD_LEN, 7, 1));
      return {
        run: () => {
          for (let i = 0; i < ADD_OPS; i++) tf.add(a, b).dispose();
        },
        dispose: () => tf.dispose([a, b]),
      };
    },
  };
}

/** Workload 2: tf.variable weights ([out, in] like ours, matMul with transposeB), tf.train.adam.minimize. */
function mlpCase(tf: Tf): Case {
  const d = mlpData();
  const x = tf.tensor2d(d.x, [MLP.batch, MLP.sizes[0]]);
  const y = tf.tensor2d(oneHotRows(d.labels, 10), [MLP.batch, 10]);
  // tidy frees the initial-value tensors; variables outlive it
  const vars = tf.tidy(() => d.layers.map((l) => ({ w: tf.variable(tf.tensor2d(l.w, [l.outF, l.inF])), b: tf.variable(tf.tensor1d(l.b)) })));
  const varList = vars.flatMap((v) => [v.w, v.b]);
  const opt = tf.train.adam(MLP.lr, 0.9, 0.999, 1e-8);
  const loss = () => tf.losses.softmaxCrossEntropy(y, denseChain(tf, x, vars)) as import("@tensorflow/tfjs-core").Scalar;
  return minimizeCase(opt, loss, varList, [x, y], tf);
}

/** Workload 3: the same post-norm encoder layer composition, gradients by tf.variableGrads. */
function transformerCase(tf: Tf): Case {
  const { batch: B, seq: S, dModel: D, heads: H, dFF: F, eps } = TRANSFORMER;
  const Dh = D / H;
  const d = transformerData();
  const x = tf.tensor3d(d.x, [B, S, D]);
  const target = tf.tensor3d(d.target, [B, S, D]);
  const v = (a: Float32Array, shape: number[]) => tf.tidy(() => tf.variable(tf.tensor(a, shape)));
  const p = {
    inW: v(d.p.inW, [3 * D, D]), inB: v(d.p.inB, [3 * D]), outW: v(d.p.outW, [D, D]), outB: v(d.p.outB, [D]),
    w1: v(d.p.w1, [F, D]), b1: v(d.p.b1, [F]), w2: v(d.p.w2, [D, F]), b2: v(d.p.b2, [D]),
    g1: v(d.p.g1, [D]), be1: v(d.p.be1, [D]), g2: v(d.p.g2, [D]), be2: v(d.p.be2, [D]),
  };
  const varList: Variable[] = Object.values(p);
  // tfjs matMul wants rank-matched operands: flatten tokens to [B·S, D] for the linear layers
  const linear = (t: T, w: Variable, b: Variable) => {
    const shape = t.shape;
    const y2 = tf.add(tf.matMul(tf.reshape(t, [-1, shape[shape.length - 1]!]), w, false, true), b);
    return tf.reshape(y2, [...shape.slice(0, -1), w.shape[0]!]);
  };
  const layerNorm = (t: T, g: Variable, b: Variable) => {
    const xc = tf.sub(t, tf.mean(t, -1, true));
    const varx = tf.mean(tf.square(xc), -1, true);
    return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(varx, eps))), g), b);
  };
  const heads = (t: T) => tf.transpose(tf.reshape(t, [B, S, H, Dh]), [0, 2, 1, 3]);
  const f = () => {
    const [q, k, vv] = tf.split(linear(x, p.inW, p.inB), 3, -1) as [T, T, T];
    // q scaled by 1/√Dh before the product, as PyTorch's multi-head attention does
    const scores = tf.matMul(heads(tf.mul(q, 1 / Math.sqrt(Dh))), heads(k), false, true);
    const ctx = tf.matMul(tf.softmax(scores, -1), heads(vv));
    const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [B, S, D]);
    const x1 = layerNorm(tf.add(x, linear(merged, p.outW, p.outB)), p.g1, p.be1);
    const ff = linear(tf.relu(linear(x1, p.w1, p.b1)), p.w2, p.b2);
    const out = layerNorm(tf.add(x1, ff), p.g2, p.be2);
    return tf.mean(tf.square(tf.sub(out, target))) as import("@tensorflow/tfjs-core").Scalar;
  };
  return {
    run() {
      const { value, grads } = tf.variableGrads(f, varList);
      const l = value.dataSync()[0];
      tf.dispose([value, ...Object.values(grads)]);
      return l;
    },
    dispose: () => tf.dispose([x, target, ...varList]),
  };
}

/** Imports tfjs once and returns its cpu and wasm backends as two libraries (or why not). */
export async function loadTfjs(): Promise<LoadResult[]> {
  let tf: Tf;
  try {
    // the union package, not tfjs-core alone: only its Node bundle registers the gradients
    // (tfjs-core's register_all_gradients is ESM that Node cannot resolve); it brings the cpu backend
    tf = await import("@tensorflow/tfjs");
  } catch (e) {
    return [{ id: "tfjs-cpu", reason: `@tensorflow/tfjs not installed (${firstLine(e)})` },
      { id: "tfjs-wasm", reason: "@tensorflow/tfjs not installed" }];
  }
  const core = `@tensorflow/tfjs ${pkgVersion("@tensorflow/tfjs")} (tfjs-core ${pkgVersion("@tensorflow/tfjs-core")})`;
  const out: LoadResult[] = [];
  const use = async (name: string) => {
    const warn = console.warn;
    // in Node tfjs prints an advert for tfjs-node on first use; it is not part of the report
    console.warn = (...a: unknown[]) => {
      if (!String(a[0]).includes("tfjs-node")) warn(...a);
    };
    try {
      if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend("${name}") returned false`);
      await tf.ready();
    } finally {
      console.warn = warn;
    }
  };
  try {
    await use("cpu");
    out.push({
      id: "tfjs-cpu", version: `${core}, tfjs-backend-cpu ${pkgVersion("@tensorflow/tfjs-backend-cpu")}`,
      threads: "1 (JavaScript)", ours: false, activate: () => use("cpu"), workloads: workloads(tf, "tfjs-cpu", CPU_MAX_MATMUL),
    });
  } catch (e) {
    out.push({ id: "tfjs-cpu", reason: firstLine(e) });
  }
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    const dist = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/";
    // a local path: the .wasm binaries ship inside the package, nothing is fetched
    wasm.setWasmPaths(dist);
    await use("wasm");
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const mt = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    out.push({
      id: "tfjs-wasm", version: `${core}, tfjs-backend-wasm ${pkgVersion("@tensorflow/tfjs-backend-wasm")} (simd ${simd ? "on" : "off"})`,
      threads: mt ? "wasm threads" : "1 (no wasm threads in Node)", ours: false, activate: () => use("wasm"),
      workloads: workloads(tf, "tfjs-wasm", Infinity),
    });
  } catch (e) {
    out.push({ id: "tfjs-wasm", reason: firstLine(e) });
  }
  return out;
}
