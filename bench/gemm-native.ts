// GFLOP/s of the native GEMM (float32 and float64) on squares n = 128..2048 and on MLP training
// shapes, with 1 thread and with the whole pool. Run: npx tsx bench/gemm-native.ts [--quick]
// [--training] (only the MLP / transformer training shapes) [--f32] (float32 only)
// Reports the best of several timed repetitions (this machine may be shared).
import { loadNativeBackend, nativeInfo, setNumThreads } from "../src/backend/native/index.js";
import type { MatmulParams } from "../src/backend/backend.js";

const { backend, reason } = loadNativeBackend();
if (!backend) {
  console.log(`native addon not available: ${reason}`);
  process.exit(0);
}
const matmul = backend.kernels.matmul!;
const quick = process.argv.includes("--quick");
const info = nativeInfo()!;
const poolThreads = info.threads;
console.log(`steady_native: isa=${info.isa} kernels=${info.gemmF32}/${info.gemmF64} threads=${poolThreads}`);

type Shape = { label: string; m: number; n: number; k: number; transA?: boolean; transB?: boolean; batch?: number };
const shapes: Shape[] = [];
for (const n of [128, 256, 512, 1024, 2048]) shapes.push({ label: `${n}²`, m: n, n, k: n });
shapes.push(
  { label: "128×784·784×256", m: 128, n: 256, k: 784 },
  { label: "128×256·256×10", m: 128, n: 10, k: 256 },
  { label: "1024×64·64×1024", m: 1024, n: 1024, k: 64 },
  { label: "x·Wᵀ 128×784·(256×784)ᵀ", m: 128, n: 256, k: 784, transB: true },
  { label: "Xᵀ·dY (784×128)ᵀ·128×256", m: 784, n: 256, k: 128, transA: true },
);
// The 8 matmuls of one MLP 784-256-256-10 training step at batch 128 (forward x·Wᵀ, backward
// dX = g·W and dW = gᵀ·x), and the transformer encoder layer's (B·S = 1024 tokens, d 128, 4 heads
// of 32, FF 512; attention as batched [B·H] products), so the bench shows GFLOP/s on the shapes
// training actually runs.
const training: Shape[] = [
  { label: "mlp fwd x·W1ᵀ 128×784·(256×784)ᵀ", m: 128, n: 256, k: 784, transB: true },
  { label: "mlp fwd h·W2ᵀ 128×256·(256×256)ᵀ", m: 128, n: 256, k: 256, transB: true },
  { label: "mlp fwd h·W3ᵀ 128×256·(10×256)ᵀ", m: 128, n: 10, k: 256, transB: true },
  { label: "mlp bwd g3·W3 128×10·10×256", m: 128, n: 256, k: 10 },
  { label: "mlp bwd g2·W2 128×256·256×256", m: 128, n: 256, k: 256 },
  { label: "mlp bwd g3ᵀ·h2 (128×10)ᵀ·128×256", m: 10, n: 256, k: 128, transA: true },
  { label: "mlp bwd g2ᵀ·h1 (128×256)ᵀ·128×256", m: 256, n: 256, k: 128, transA: true },
  { label: "mlp bwd g1ᵀ·x (128×256)ᵀ·128×784", m: 256, n: 784, k: 128, transA: true },
  { label: "tf x·Winᵀ 1024×128·(384×128)ᵀ", m: 1024, n: 384, k: 128, transB: true },
  { label: "tf x·W1ᵀ 1024×128·(512×128)ᵀ", m: 1024, n: 512, k: 128, transB: true },
  { label: "tf h·W2ᵀ 1024×512·(128×512)ᵀ", m: 1024, n: 128, k: 512, transB: true },
  { label: "tf gᵀ·h (1024×512)ᵀ·1024×128", m: 512, n: 128, k: 1024, transA: true },
  { label: "tf q·kᵀ 64×[64×32·(64×32)ᵀ]", m: 64, n: 64, k: 32, transB: true, batch: 64 },
  { label: "tf p·v 64×[64×64·64×32]", m: 64, n: 32, k: 64, batch: 64 },
  { label: "tf pᵀ·g 64×[(64×64)ᵀ·64×32]", m: 64, n: 32, k: 64, transA: true, batch: 64 },
];
if (process.argv.includes("--training")) shapes.splice(0, shapes.length, ...training);
else shapes.push(...training);

function time(f: () => void, flop: number): number {
  f();
  const target = quick ? 0.05 : 0.25; // seconds per repetition batch
  let iters = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) f();
    const dt = (performance.now() - t0) / 1e3;
    if (dt > target / 4 || iters > 1e6) break;
    iters *= 4;
  }
  let best = Infinity;
  for (let r = 0; r < (quick ? 3 : 7); r++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) f();
    best = Math.min(best, (performance.now() - t0) / 1e3 / iters);
  }
  return flop / best / 1e9;
}

const rows: string[][] = [["shape", "dtype", "1 thread", `${poolThreads} threads`]];
for (const s of shapes) {
  if (quick && s.m * s.n * s.k > 512 ** 3) continue;
  for (const C of process.argv.includes("--f32") ? [Float32Array] : [Float32Array, Float64Array]) {
    const nb = s.batch ?? 1;
    const a = new C(nb * s.m * s.k).map(() => Math.random() - 0.5);
    const b = new C(nb * s.k * s.n).map(() => Math.random() - 0.5);
    const out = new C(nb * s.m * s.n);
    const p: MatmulParams = {
      batch: nb, m: s.m, n: s.n, k: s.k, strideA: nb > 1 ? s.m * s.k : 0, strideB: nb > 1 ? s.k * s.n : 0,
      transA: !!s.transA, transB: !!s.transB,
    };
    const flop = 2 * nb * s.m * s.n * s.k;
    const res: string[] = [];
    for (const t of [1, poolThreads]) {
      setNumThreads(t);
      res.push(time(() => matmul(a, b, out, p), flop).toFixed(1));
    }
    setNumThreads(poolThreads);
    rows.push([s.label, C === Float32Array ? "f32" : "f64", ...res]);
  }
}
const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join("  "));
console.log("(GFLOP/s, best of repeated runs)");
