// steadytensor in the bench: one Lib per backend — `js` always, `native` when the addon loads —
// with the matmul and add workloads here and the models in steady-models.ts.

import * as st from "../../src/index.js";
import { nativeInfo } from "../../src/backend/native/index.js";
import { ADD_LEN, ADD_OPS, detUniform } from "../data.js";
import type { Case } from "../harness.js";
import { type LoadResult, type Workloads, capMatmul } from "../lib.js";
import { steadyMlp, steadyTransformer } from "./steady-models.js";
import { steadyLenet } from "./steady-lenet.js";

/** Pure-TS matmul reaches ~0.5 GFLOP/s here: 1024³ takes seconds, 2048³ half a minute a run. */
const JS_MAX_MATMUL = 1024;

function matmulCase(n: number): Case {
  const a = st.tensor(detUniform(n * n, 4, 1), { shape: [n, n] });
  const b = st.tensor(detUniform(n * n, 5, 1), { shape: [n, n] });
  return { run: () => st.matmul(a, b)._data[0] };
}

function addCase(recordGrad: boolean): Case {
  const a = st.tensor(detUniform(ADD_LEN, 6, 1), { requiresGrad: recordGrad });
  const b = st.tensor(detUniform(ADD_LEN, 7, 1), { requiresGrad: recordGrad });
  const loop = () => {
    let c: st.Tensor = a;
    for (let i = 0; i < ADD_OPS; i++) c = st.add(a, b);
    return c._data[0];
  };
  // with requiresGrad inputs every add records a graph node; noGrad skips the recording
  return { run: recordGrad ? loop : () => st.noGrad(loop) };
}

function workloads(maxMatmul: number, id: string): Workloads {
  return {
    matmul: (n) => capMatmul(n, maxMatmul, id) ?? matmulCase(n),
    mlp: () => steadyMlp(),
    mlpMonitored: (every) => steadyMlp({ monitorEvery: every }),
    transformer: () => steadyTransformer(),
    add: (recordGrad) => addCase(recordGrad),
    lenet: () => steadyLenet(),
  };
}

function packageVersion(): string {
  return "steadytensor (this checkout)";
}

/**
 * steadytensor set up exactly as `import "steadytensor"` sets it up on Node (src/node.ts: the native
 * backend and its fused kernels when the addon loads, uninitialised kernel outputs, the malloc
 * settings); each library runs in its own bench worker, so this happens once per process.
 */
async function nodeEntry(): Promise<typeof st> {
  return (await import("../../src/node.js")) as typeof st;
}

/** The pure-TypeScript reference backend (as with STEADY_BACKEND=js). */
export async function loadSteadyJs(): Promise<LoadResult> {
  const s = await nodeEntry();
  return {
    id: "steady-js",
    version: `${packageVersion()}, js backend`,
    threads: "1 (JavaScript)",
    ours: true,
    activate: async () => {
      s.setBackend("js"); // every kernel in TypeScript, the fused ones included
    },
    workloads: workloads(JS_MAX_MATMUL, "steady-js"),
  };
}

/** The native C++ backend, when the Node entry loaded its addon (else why not). */
export async function loadSteadyNative(): Promise<LoadResult> {
  const s = await nodeEntry();
  const info = s.backendInfo().native;
  if (!info.loaded) return { id: "steady-native", reason: info.reason };
  const gemm = nativeInfo()?.gemmF32;
  return {
    id: "steady-native",
    version: `${packageVersion()}, native backend${gemm ? ` (gemm ${gemm}${info.isa ? `, ${info.isa}` : ""})` : ""}`,
    threads: info.threads !== undefined ? `${info.threads} (thread pool)` : "thread pool (count unknown)",
    ours: true,
    activate: async () => {
      s.setBackend("native");
    },
    workloads: workloads(Infinity, "steady-native"),
    notes: info.malloc ? [`steady-native: malloc ${info.malloc}`] : [],
  };
}

export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 200);
}
