// PyTorch in the bench: runs bench/torch_bench.py with the system Python when `import torch`
// works there, with the same thread count as ours, and turns its JSON into the bench's rows.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ADD_LEN, ADD_OPS } from "../data.js";
import type { Plan, Timing } from "../harness.js";
import { cpuFlags, hasOpenblasOpenmp } from "../machine.js";

/** The system Python (Debian's python3-torch lives there); BENCH_PYTHON picks another, e.g. a venv's. */
const PYTHON = process.env.BENCH_PYTHON || "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("../torch_bench.py", import.meta.url));
export const INSTALL_HINT = "apt-get install -y python3-torch libopenblas0-openmp";

export interface TorchConfig {
  threads: number;
  only: string[];
  matmulSizes: number[];
  plans: Record<string, Plan>;
}

export interface TorchRow {
  workload: string;
  case: string;
  timing?: Timing;
  error?: string;
}

export interface TorchRun {
  version: string;
  threads: string;
  blas: string;
  rows: TorchRow[];
  /** Lines for the report's notes (missing OpenBLAS, core type set). */
  notes: string[];
}

/** Whether the system Python can import torch (and if not, why), without running anything else. */
export function torchAvailable(): { ok: boolean; reason: string } {
  const r = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8", timeout: 60_000 });
  if (r.error) return { ok: false, reason: `${PYTHON} not runnable (${r.error.message})` };
  if (r.status !== 0) return { ok: false, reason: `${PYTHON} cannot import torch` };
  return { ok: true, reason: "" };
}

interface TorchJson {
  torch: string;
  threads: number;
  blas: string;
  openblasCoretype: string | null;
  results: ({ workload: string; case: string; error?: string } & Partial<Timing>)[];
}

/** Runs the PyTorch side of the bench; returns its rows, or a reason when it could not run. */
export function runTorch(cfg: TorchConfig): TorchRun | string {
  const avx512 = cpuFlags().includes("avx512f");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: String(cfg.threads),
    OPENBLAS_NUM_THREADS: String(cfg.threads),
  };
  // OpenBLAS's runtime detection picks a slower Haswell kernel on some AVX-512 parts unless told
  if (avx512) env.OPENBLAS_CORETYPE = "SkylakeX";
  const arg = JSON.stringify({ ...cfg, addOps: ADD_OPS, addLen: ADD_LEN });
  const r = spawnSync(PYTHON, [SCRIPT, arg], { encoding: "utf8", env, timeout: 900_000, maxBuffer: 64 << 20 });
  if (r.error) return `torch_bench.py failed to run: ${r.error.message}`;
  if (r.status !== 0) {
    const tail = (r.stderr || "").trim().split("\n").slice(-3).join(" | ");
    return `torch_bench.py exited with ${r.status}: ${tail}`;
  }
  let out: TorchJson;
  try {
    const last = r.stdout.trim().split("\n").pop() ?? "";
    out = JSON.parse(last) as TorchJson;
  } catch {
    return `torch_bench.py printed no JSON: ${r.stdout.slice(0, 200)}`;
  }
  const notes: string[] = [];
  if (!hasOpenblasOpenmp()) {
    notes.push(
      `libopenblas0-openmp is not installed: PyTorch's matmul runs on ${out.blas.includes("openblas") ? "an OpenBLAS without OpenMP" : "Debian's reference BLAS"} ` +
        `(${out.blas}) and is far below its real speed. Install it with \`${INSTALL_HINT}\`.`,
    );
  }
  if (out.openblasCoretype) notes.push(`PyTorch ran with OPENBLAS_CORETYPE=${out.openblasCoretype} (the CPU has avx512f).`);
  return {
    version: `torch ${out.torch}`,
    threads: `${out.threads} (torch.set_num_threads)`,
    blas: out.blas,
    rows: out.results.map((x) =>
      x.error !== undefined
        ? { workload: x.workload, case: x.case, error: x.error }
        : {
          workload: x.workload,
          case: x.case,
          timing: { runsMs: x.runsMs!, minMs: x.minMs!, medianMs: x.medianMs!, check: x.check ?? null },
        }),
    notes,
  };
}
