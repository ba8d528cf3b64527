// Our side of bench workloads 2 and 3 alone, set up as `import "steadytensor"` does on Node (native
// and fused kernels, uninitialised kernel outputs, malloc settings), timed many times; prints
// min / p25 / median / p90 of the later two thirds. For profiling:
//   node --cpu-prof --import tsx bench/profile-step.ts mlp
// Usage: npx tsx bench/profile-step.ts [mlp|tr] [fused|nofused] [uninit|zeroed]
// (STEADY_MALLOC=system for glibc's default malloc settings)
import "../src/node.js";
import { registerBackend, setBackend } from "../src/backend/registry.js";
import { loadNativeBackend } from "../src/backend/native/index.js";
import { setRawAllocator } from "../src/core/dtype.js";
import { steadyMlp, steadyTransformer } from "./libs/steady-models.js";
const which = process.argv[2] ?? "mlp";
const useFused = process.argv[3] !== "nofused";
if (!useFused) {
  // the native backend without its fused entries: the js kernels of the same table run them
  const nb = loadNativeBackend().backend;
  if (nb) {
    const { biasAct, layerNormForward, layerNormBackward, adamStep, sgdStep, rmspropStep, ...rest } = nb.kernels;
    void [biasAct, layerNormForward, layerNormBackward, adamStep, sgdStep, rmspropStep];
    registerBackend({ name: "native-nofused", kernels: rest });
    setBackend("native-nofused");
  }
}
if (process.argv[4] === "zeroed") setRawAllocator(() => null);
const c = which === "mlp" ? steadyMlp() : steadyTransformer();
const n = Number(process.env.PROFILE_RUNS) || (which === "mlp" ? 300 : 60);
const ts: number[] = [];
const faults0 = process.resourceUsage().minorPageFault;
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  c.run();
  ts.push(performance.now() - t0);
}
const w = ts.slice(n / 3).sort((a, b) => a - b);
const faults = process.resourceUsage().minorPageFault - faults0;
console.log(which, useFused ? "fused" : "nofused", "min", w[0]!.toFixed(2), "p25", w[w.length >> 2]!.toFixed(2), "median", w[w.length >> 1]!.toFixed(2), "p90", w[Math.floor(w.length * 0.9)]!.toFixed(2), "ms;", (faults / n).toFixed(0), "minor page faults per run");
