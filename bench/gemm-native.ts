// GFLOP/s of the native GEMM (float32 and float64) on squares n = 128..2048 and on MLP training
// shapes, with 1 thread and with the whole pool. Run: npx tsx bench/gemm-native.ts [--quick]
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

type Shape = { label: string; m: number; n: number; k: number; transA?: boolean; transB?: boolean };
const shapes: Shape[] = [];
for (const n of [128, 256, 512, 1024, 2048]) shapes.push({ label: `${n}²`, m: n, n, k: n });
shapes.push(
  { label: "128×784·784×256", m: 128, n: 256, k: 784 },
  { label: "128×256·256×10", m: 128, n: 10, k: 256 },
  { label: "1024×64·64×1024", m: 1024, n: 1024, k: 64 },
  { label: "x·Wᵀ 128×784·(256×784)ᵀ", m: 128, n: 256, k: 784, transB: true },
  { label: "Xᵀ·dY (784×128)ᵀ·128×256", m: 784, n: 256, k: 128, transA: true },
);

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
  for (const C of [Float32Array, Float64Array]) {
    const a = new C(s.m * s.k).map(() => Math.random() - 0.5);
    const b = new C(s.k * s.n).map(() => Math.random() - 0.5);
    const out = new C(s.m * s.n);
    const p: MatmulParams = { batch: 1, m: s.m, n: s.n, k: s.k, strideA: 0, strideB: 0, transA: !!s.transA, transB: !!s.transB };
    const flop = 2 * s.m * s.n * s.k;
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
