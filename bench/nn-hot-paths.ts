// Micro-bench of the nn hot paths that stopped touching raw arrays (issue 10, item 4): dropout,
// BatchNorm running statistics, Module.call's argument check, cross-entropy, embedding, init and
// clipping, on the js backend. Compare two source trees on the same machine, alternating:
//   git archive <old-commit> src | tar -x -C /tmp/old
//   npx tsx bench/nn-hot-paths.ts /tmp/old; npx tsx bench/nn-hot-paths.ts .   (repeat, take the min)
// Prints the best per-call time of 5 timed batches per case.

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(process.argv[2] ?? ".");
const st = await import(pathToFileURL(`${root}/src/index.ts`).href);
const { nn } = st;
function time(name: string, reps: number, f: () => void) {
  for (let i = 0; i < 3; i++) f();
  const best: number[] = [];
  for (let r = 0; r < 5; r++) { const t0 = performance.now(); for (let i = 0; i < reps; i++) f(); best.push((performance.now() - t0) / reps); }
  best.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} ${(best[0]! * 1000).toFixed(1)} us`);
}
const x = st.randn([256, 1024]);
const g = new st.Generator(0);
time("dropout [256,1024] p=0.1", 50, () => nn.functional.dropout(x, 0.1, true, g));
const bn = new nn.BatchNorm1d(512); const xb = st.randn([256, 512]);
time("BatchNorm1d train fwd [256,512]", 50, () => bn.call(xb));
const lin = new nn.Linear(16, 16); const xs = st.randn([4, 16]);
time("Linear(16,16).call [4,16]", 2000, () => lin.call(xs));
const logits = st.randn([256, 1000]); const tgt = st.randint(0, 1000, [256]);
time("crossEntropy [256,1000]", 50, () => nn.functional.crossEntropy(logits, tgt));
const emb = new nn.Embedding(1000, 64); const ids = st.randint(0, 1000, [64, 32]);
time("Embedding(1000,64) [64,32]", 200, () => emb.call(ids));
const w = st.zeros([512, 512]);
time("init.kaimingUniform_ [512,512]", 20, () => nn.init.kaimingUniform_(w));
time("init.normal_ [512,512]", 20, () => nn.init.normal_(w));
const ps = [st.randn([512, 512], { requiresGrad: true }), st.randn([512], { requiresGrad: true })];
ps.forEach((p) => (p.grad = st.randn(p.shape)));
time("clipGradNorm 2 params 262k", 20, () => nn.utils.clipGradNorm(ps, 1e9));
