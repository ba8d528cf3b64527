// PyTorch in the bench: bench/torch_bench.py as a bench worker under the system Python, when
// `import torch` works there, with the same thread count as ours.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ADD_LEN, ADD_OPS } from "../data.js";
import { cpuFlags, hasOpenblasOpenmp } from "../machine.js";
import { type LibWorker, startLineWorker } from "../workers.js";

/** The system Python (Debian's python3-torch lives there); BENCH_PYTHON picks another, e.g. a venv's. */
const PYTHON = process.env.BENCH_PYTHON || "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("../torch_bench.py", import.meta.url));
export const INSTALL_HINT = "apt-get install -y python3-torch libopenblas0-openmp";

/** Whether the system Python can import torch (and if not, why), without running anything else. */
export function torchAvailable(): { ok: boolean; reason: string } {
  const r = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8", timeout: 60_000 });
  if (r.error) return { ok: false, reason: `${PYTHON} not runnable (${r.error.message})` };
  if (r.status !== 0) return { ok: false, reason: `${PYTHON} cannot import torch` };
  return { ok: true, reason: "" };
}

/**
 * Starts bench/torch_bench.py as a bench worker with `threads` threads (set in the environment
 * before Python starts: OpenBLAS reads it when it loads). Its hello carries the BLAS library that
 * PyTorch actually mapped, and a note when that is not the OpenMP OpenBLAS.
 */
export async function startTorch(threads: number): Promise<LibWorker> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
  };
  // OpenBLAS's runtime detection picks a slower Haswell kernel on some AVX-512 parts unless told
  if (cpuFlags().includes("avx512f")) env.OPENBLAS_CORETYPE = "SkylakeX";
  const arg = JSON.stringify({ threads, addOps: ADD_OPS, addLen: ADD_LEN });
  const w = await startLineWorker("torch", PYTHON, [SCRIPT, arg], env);
  const h = w.hello;
  if (h.op === "loaded" && !hasOpenblasOpenmp()) {
    const blas = h.blas ?? "unknown";
    (h.notes ??= []).push(
      `libopenblas0-openmp is not installed: PyTorch's matmul runs on ${blas.includes("openblas") ? "an OpenBLAS without OpenMP" : "Debian's reference BLAS"} ` +
        `(${blas}) and is far below its real speed. Install it with \`${INSTALL_HINT}\`.`,
    );
  }
  return w;
}
