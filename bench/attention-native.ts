// The native attention kernels against the js ones, in one process with the calls alternating
// (native/README.md: separate runs differ by ±10 % on this shared machine): (1) the kernels alone
// at bench workload 3's shape (batch 16, 4 heads, seq 64, head dim 32, heads read in place from
// [B, L, H·D]) and at seq 1024; (2) workload 3's whole encoder-layer step (forward + backward)
// with the native backend, once with the native attention kernels and once with the js ones.
// Usage: npx tsx bench/attention-native.ts [runs]      (STEADY_NUM_THREADS=n for the pool size)
import "../src/node.js";
import type { AttentionParams, Backend } from "../src/backend/backend.js";
import { jsBackend } from "../src/backend/js/index.js";
import { loadNativeBackend } from "../src/backend/native/index.js";
import { registerBackend, setBackend } from "../src/backend/registry.js";
import { alternate, median } from "./alternate.js";
import { steadyTransformer } from "./libs/steady-models.js";

const runs = Number(process.argv[2]) || 30;
const nb = loadNativeBackend().backend;
if (!nb) throw new Error(`native backend not loaded: ${loadNativeBackend().reason}`);

const flush = new Float32Array(8 << 20);

function kernels(B: number, H: number, L: number, D: number, causal: boolean): void {
  const n = B * L * H * D;
  const rnd = () => Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
  const q = rnd(), k = rnd(), v = rnd(), dOut = rnd();
  const lay = { offset: 0, batch: L * H * D, head: D, row: H * D };
  const p: AttentionParams = {
    batch: B, heads: H, lq: L, lk: L, dk: D, dv: D, q: lay, k: lay, v: lay, out: lay, scale: 1 / Math.sqrt(D), causal, mask: null,
  };
  const out = new Float32Array(n), lse = new Float32Array(B * H * L), dq = new Float32Array(n), dk = new Float32Array(n), dv = new Float32Array(n);
  const step = (kt: Backend["kernels"]) => () => {
    kt.attentionForward!(q, k, v, null, out, lse, p);
    kt.attentionBackward!(q, k, v, out, dOut, lse, null, dq, dk, dv, p);
  };
  const [tn, tj] = alternate([step(nb!.kernels), step(jsBackend.kernels)], L > 256 ? 3 : runs).map(median);
  // as in a training step, where q, k, v and dOut were written long before: the caches flushed
  // (32 MiB overwritten, untimed) before each timed call
  const native = step(nb!.kernels);
  const cold: number[] = [];
  for (let r = 0; r < (L > 256 ? 3 : runs); r++) {
    flush.fill(r);
    const t0 = performance.now();
    native();
    cold.push(performance.now() - t0);
  }
  console.log(`attention kernels fwd+bwd B=${B} H=${H} L=${L} D=${D}${causal ? " causal" : ""}: native ${tn!.toFixed(2)} ms (caches flushed first: ${median(cold).toFixed(2)} ms), js ${tj!.toFixed(2)} ms (${(tj! / tn!).toFixed(1)}x)`);
}

kernels(16, 4, 64, 32, false);
kernels(16, 4, 64, 32, true);
kernels(1, 4, 1024, 32, false);

// The encoder-layer step on the native backend, with and without the native attention entries.
const { attentionForward, attentionBackward, ...rest } = nb.kernels;
void [attentionForward, attentionBackward];
registerBackend({ name: "native-js-attention", kernels: rest });
const step = steadyTransformer();
const on = (name: string) => () => {
  setBackend(name);
  step.run();
};
const [tNative, tJs] = alternate([on("native"), on("native-js-attention")], runs).map(median);
setBackend("native");
console.log(`encoder layer step (workload 3, ${step.impl}): native attention ${tNative!.toFixed(2)} ms, js attention ${tJs!.toFixed(2)} ms`);
