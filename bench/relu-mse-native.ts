// The fused reluBackward / mseLoss kernels against the composite ops they replaced, on the native
// backend, in one process with the calls alternating (native/README.md: separate runs differ by
// ±10 % on this shared machine): (1) at bench workload 3's shapes — ReLU's backward on
// [16, 64, 512] (reluBackward vs gt + where) and the loss on [16, 64, 128] (mseLoss forward +
// backward vs sub, square, mean and their backward); (2) workload 3's whole encoder-layer step,
// as the bench runs it and with the composite rules and loss in their place.
// Usage: npx tsx bench/relu-mse-native.ts [runs]      (STEADY_NUM_THREADS=n for the pool size)
import * as st from "../src/node.js";
import type { Tensor } from "../src/node.js";
import { loadNativeBackend } from "../src/backend/native/index.js";
import { GRADIENTS } from "../src/ops/gradients.js";
import { alternate, median } from "./alternate.js";
import { steadyTransformer } from "./libs/steady-models.js";

const runs = Number(process.argv[2]) || 100;
if (!loadNativeBackend().backend) throw new Error(`native backend not loaded: ${loadNativeBackend().reason}`);
st.setBackend("native");

/** Times fs alternately and returns each one's [median, min] in ms. */
const alternateStats = (fs: (() => void)[], n: number): [number, number][] =>
  alternate(fs, n, 5).map((t) => [median(t), Math.min(...t)]);

const fmt = ([med, min]: [number, number]) => `median ${med.toFixed(3)} ms (min ${min.toFixed(3)})`;
const F = st.nn.functional;

// (1) the kernels at workload 3's shapes
const y = st.relu(st.randn([16, 64, 512])), g = st.randn([16, 64, 512]);
const reluRule = GRADIENTS.relu.rule;
const [fusedRelu, compRelu] = alternateStats([
  () => st.noGrad(() => reluRule(g, [y], null, undefined as never, [true])),
  () => st.noGrad(() => st.where(st.gt(y, 0), g, 0)),
], runs * 4);
console.log(`ReLU backward [16, 64, 512]: reluBackward ${fmt(fusedRelu)}; gt + where ${fmt(compRelu)}`);

const x = st.randn([16, 64, 128]).requiresGrad_(true), t = st.randn([16, 64, 128]);
const [fusedMse, compMse] = alternateStats([
  () => st.autograd.grad(F.mseLoss(x, t), [x]),
  () => st.autograd.grad(st.mean(st.square(st.sub(x, t))), [x]),
], runs * 4);
console.log(`MSE loss forward + backward [16, 64, 128]: mseLoss ${fmt(fusedMse)}; sub/square/mean ${fmt(compMse)}`);

// (2) the step: the bench's (fused) against the composite loss with the composite ReLU rule
const fused = steadyTransformer();
const composite = steadyTransformer(undefined, undefined, (o: Tensor, tg: Tensor) => st.mean(st.square(st.sub(o, tg))));
const compositeRelu: typeof reluRule = (gr, [yy]) => [st.where(st.gt(yy!, 0), gr, 0)];
const [fusedStep, compStep] = alternateStats([
  () => fused.run(),
  () => {
    GRADIENTS.relu.rule = compositeRelu;
    try {
      composite.run();
    } finally {
      GRADIENTS.relu.rule = reluRule;
    }
  },
], runs);
console.log(`encoder-layer step (workload 3): fused ${fmt(fusedStep)}; composite ${fmt(compStep)}`);
