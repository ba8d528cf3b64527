// steadytensor in the bench: one Lib per backend — `js` always, `native` when the addon loads —
// with the matmul and add workloads here and the models in steady-models.ts.

import * as st from "../../src/index.js";
import type { Backend } from "../../src/index.js";
import { nodeRawAllocator } from "../../src/backend/native/raw-allocator.js";
import { setRawAllocator } from "../../src/core/dtype.js";
import { ADD_LEN, ADD_OPS, detUniform } from "../data.js";
import type { Case } from "../harness.js";
import { type LoadResult, type Workloads, capMatmul } from "../lib.js";
import { steadyMlp, steadyTransformer } from "./steady-models.js";

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
    transformer: () => steadyTransformer(),
    add: (recordGrad) => addCase(recordGrad),
  };
}

function packageVersion(): string {
  return "steadytensor (this checkout)";
}

/** The pure-TypeScript reference backend. */
export function loadSteadyJs(): LoadResult {
  return {
    id: "steady-js",
    version: `${packageVersion()}, js backend`,
    threads: "1 (JavaScript)",
    ours: true,
    activate: async () => {
      // as `import "steadytensor"` with STEADY_BACKEND=js: js kernels (and no fused ones)
      st.setBackend("js");
      setRawAllocator(nodeRawAllocator);
    },
    workloads: workloads(JS_MAX_MATMUL, "steady-js"),
  };
}

interface NativeModule {
  loadNativeBackend(): { backend: Backend | null; reason: string };
}

interface AddonInfo {
  isa?: string;
  threads?: number;
  gemmF32?: string;
}

/**
 * The native C++ backend, when src/backend/native/index.ts exists and its addon loads. The module
 * path is computed so this file compiles and runs before the native backend is written.
 */
export async function loadSteadyNative(): Promise<LoadResult> {
  const spec = new URL("../../src/backend/native/index.js", import.meta.url).href;
  let mod: NativeModule;
  try {
    mod = (await import(spec)) as NativeModule;
  } catch (e) {
    return { id: "steady-native", reason: `src/backend/native/index.ts is not loadable (${firstLine(e)})` };
  }
  if (typeof mod.loadNativeBackend !== "function") {
    return { id: "steady-native", reason: "src/backend/native/index.ts exports no loadNativeBackend()" };
  }
  let loaded: { backend: Backend | null; reason: string };
  try {
    loaded = mod.loadNativeBackend();
  } catch (e) {
    return { id: "steady-native", reason: `loadNativeBackend() threw: ${firstLine(e)}` };
  }
  const backend = loaded.backend;
  if (!backend) return { id: "steady-native", reason: loaded.reason };
  if (!st.listBackends().includes(backend.name)) st.registerBackend(backend);
  const info = await addonInfo();
  const threads = info?.threads ?? (Number(process.env.STEADY_NUM_THREADS) || undefined);
  return {
    id: "steady-native",
    version: `${packageVersion()}, native backend${info?.gemmF32 ? ` (gemm ${info.gemmF32}${info.isa ? `, ${info.isa}` : ""})` : ""}`,
    threads: threads !== undefined ? `${threads} (thread pool)` : "thread pool (count unknown)",
    ours: true,
    activate: async () => {
      // as `import "steadytensor"` on Node (src/node.ts): native kernels, with their fused kernels
      st.setBackend(backend.name);
      setRawAllocator(nodeRawAllocator);
    },
    workloads: workloads(Infinity, "steady-native"),
  };
}

/** The addon's self-description (ISA, threads, GEMM micro-kernel), when it offers one. */
async function addonInfo(): Promise<AddonInfo | null> {
  try {
    const spec = new URL("../../src/backend/native/addon.js", import.meta.url).href;
    const m = (await import(spec)) as { loadAddon?: () => { addon: { info?: () => AddonInfo } | null } };
    return m.loadAddon?.().addon?.info?.() ?? null;
  } catch {
    return null;
  }
}

export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 200);
}
