// Milliseconds of the tensor toolbox's kernels (issue 15) on the js and native backends: the
// transcendental maps (tan, asin, erfinv) over 2²⁰ float32 values, a stable sort of 1024 rows of
// 1024, cumsum, and einsum's overhead over the matmul it routes to; also erf and the exact GELU's
// forward+backward (erf, expm1, log1p, sin, cos have native kernels since they showed up in GELU
// profiles). Best of 5 (this machine may be shared). Run: npx tsx bench/toolbox-native.ts
import * as st from "../src/node.js";

const best = (f: () => unknown, reps = 5) => {
  f();
  let b = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
};

const x = st.rand([1 << 20]).mul(1.8).sub(0.9);
const rows = st.randn([1024, 1024]);
const a = st.randn([256, 256]), b = st.randn([256, 256]);
const h = st.randn([256, 512], { requiresGrad: true });
const gelu = new st.nn.GELU();
const cases: [string, () => unknown][] = [
  ["tan 2²⁰ f32", () => x.tan()],
  ["asin 2²⁰ f32", () => x.asin()],
  ["erfinv 2²⁰ f32", () => x.erfinv()],
  ["erf 2²⁰ f32", () => x.erf()],
  ["GELU fwd+bwd [256, 512] f32", () => { gelu.call(h).sum().backward(); h.grad = null; }],
  ["sort 1024×1024 f32 (dim −1)", () => rows.sort()],
  ["cumsum 1024×1024 f32 (dim 1)", () => rows.cumsum(1)],
  ["matmul 256²", () => a.matmul(b)],
  ["einsum ij,jk->ik 256²", () => st.einsum("ij,jk->ik", a, b)],
];
const backends = st.listBackends();
console.log(["op", ...backends.map((n) => `${n} ms`)].join(" | "));
for (const [label, f] of cases) {
  const times = backends.map((n) => {
    st.setBackend(n);
    return best(f).toFixed(2);
  });
  console.log([label, ...times].join(" | "));
}
