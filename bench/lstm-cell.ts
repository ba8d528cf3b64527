// `npm run bench:lstm`: one LSTM (and one GRU) layer's training step (forward + backward over T
// steps) with the composite cell (fusedCell: false) and the fused cell primitive (the default), on each backend,
// at two sizes. The two variants alternate (5 rounds × 40 runs each) and the minimum is reported,
// the estimate least disturbed by a shared machine. This measurement decided the default: see
// README, "LSTM cell: fused or composite".
// Usage: npx tsx bench/lstm-cell.ts [--rounds 5] [--runs 40]

import { parseArgs } from "node:util";
import * as st from "../src/node.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" }, runs: { type: "string", default: "40" } } });
const ROUNDS = Number(values.rounds), RUNS = Number(values.runs);

function step(m: st.nn.LSTM | st.nn.GRU, x: st.Tensor): void {
  m.zeroGrad();
  const [out] = m.call(x) as [st.Tensor, unknown];
  out.sum().backward();
}

function minMs(f: () => void): number {
  for (let i = 0; i < 3; i++) f();
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const sizes = [{ B: 50, T: 20, I: 2, H: 32 }, { B: 64, T: 20, I: 16, H: 128 }];
for (const backend of st.listBackends()) {
  st.setBackend(backend);
  for (const [kind, { B, T, I, H }] of [...sizes.map((s) => ["LSTM", s] as const), ["GRU", sizes[1]!] as const]) {
    st.manualSeed(0);
    const Ctor = kind === "LSTM" ? st.nn.LSTM : st.nn.GRU;
    const composite = new Ctor(I, H, { batchFirst: true, fusedCell: false });
    const fused = new Ctor(I, H, { batchFirst: true });
    fused.loadStateDict(composite.stateDict());
    const x = st.randn([B, T, I]);
    let c = Infinity, f = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      c = Math.min(c, minMs(() => step(composite, x)));
      f = Math.min(f, minMs(() => step(fused, x)));
    }
    console.log(`${backend.padEnd(6)} ${kind.padEnd(4)} B=${B} T=${T} I=${I} H=${H}: composite ${c.toFixed(2)} ms, fused ${f.toFixed(2)} ms — fused is ${(c / f).toFixed(2)}× the composite's speed`);
  }
}
