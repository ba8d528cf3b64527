// `npm run bench`: times steadytensor (js and, when built, native) against TensorFlow.js (cpu,
// wasm), jax-js and, when the system Python has it, PyTorch — same inputs, same timing rule, one
// run — and prints a table per workload with each peer's time relative to ours. See bench/README.md.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { MATMUL_SIZES, QUICK_MATMUL_SIZES } from "./data.js";
import { type Plan, measure } from "./harness.js";
import { type Lib, type LoadResult, type Missing, isLib } from "./lib.js";
import { loadJax } from "./libs/jax.js";
import { firstLine, loadSteadyJs, loadSteadyNative } from "./libs/steady.js";
import { loadTfjs } from "./libs/tfjs.js";
import { INSTALL_HINT, runTorch, torchAvailable } from "./libs/torch.js";
import { benchThreads, hasOpenblasOpenmp, machineInfo } from "./machine.js";
import { type Row, WORKLOAD_IDS, type WorkloadId, crossCheck, table } from "./report.js";

const USAGE = `usage: npm run bench -- [--quick] [--only matmul,mlp,transformer,add] [--libs steady-js,tfjs-wasm,...] [--json out.json]
  --quick   matmul up to n=512 and fewer runs (about a minute)
  --only    workloads to run (default: all four)
  --libs    libraries to run: steady-js steady-native tfjs-cpu tfjs-wasm jax-js torch (default: all available)
  --json    where to write the raw numbers (default: bench/results/latest.json)`;

const LIB_ORDER = ["steady-native", "steady-js", "tfjs-cpu", "tfjs-wasm", "jax-js", "torch"];

function plans(quick: boolean): Record<WorkloadId, Plan> {
  const slowMs = 4000;
  if (quick) {
    const q = { warmup: 1, minRuns: 3, maxRuns: 5, budgetMs: 300, slowMs: 1500 };
    return { matmul: q, mlp: q, transformer: q, add: q };
  }
  return {
    matmul: { warmup: 2, minRuns: 3, maxRuns: 20, budgetMs: 1000, slowMs },
    mlp: { warmup: 20, minRuns: 5, maxRuns: 30, budgetMs: 2000, slowMs },
    transformer: { warmup: 8, minRuns: 3, maxRuns: 15, budgetMs: 2000, slowMs },
    add: { warmup: 1, minRuns: 5, maxRuns: 20, budgetMs: 1000, slowMs },
  };
}

function list(v: string | undefined, allowed: readonly string[], flag: string): string[] | null {
  if (v === undefined) return null;
  const xs = v.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = xs.filter((x) => !allowed.includes(x));
  if (bad.length > 0) throw new Error(`${flag}: unknown ${bad.join(", ")} (expected some of ${allowed.join(", ")})`);
  return xs;
}

/** The cases of a workload: [case label, factory call] pairs. */
function cases(w: WorkloadId, sizes: readonly number[]): [string, (lib: Lib) => ReturnType<Lib["workloads"]["mlp"]>][] {
  switch (w) {
    case "matmul":
      return sizes.map((n) => [`n=${n}`, (l) => l.workloads.matmul(n)]);
    case "mlp":
      return [["step", (l) => l.workloads.mlp()]];
    case "transformer":
      return [["fwd+bwd", (l) => l.workloads.transformer()]];
    case "add":
      return [["grad", (l) => l.workloads.add(true)], ["nograd", (l) => l.workloads.add(false)]];
  }
}

function progress(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      libs: { type: "string" },
      json: { type: "string", default: "bench/results/latest.json" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const only = (list(values.only, WORKLOAD_IDS, "--only") ?? [...WORKLOAD_IDS]) as WorkloadId[];
  const libFilter = list(values.libs, LIB_ORDER, "--libs");
  const wanted = (id: string) => libFilter === null || libFilter.includes(id);
  const quick = values.quick!;
  const sizes = quick ? QUICK_MATMUL_SIZES : MATMUL_SIZES;
  const plan = plans(quick);
  const threads = benchThreads();
  const started = new Date();

  progress("loading libraries ...");
  const loaded: LoadResult[] = [];
  if (wanted("steady-js")) loaded.push(loadSteadyJs());
  if (wanted("steady-native")) loaded.push(await loadSteadyNative());
  if (wanted("tfjs-cpu") || wanted("tfjs-wasm")) loaded.push(...(await loadTfjs()).filter((l) => wanted(l.id)));
  if (wanted("jax-js")) loaded.push(await loadJax());
  const libs = loaded.filter(isLib).sort((a, b) => LIB_ORDER.indexOf(a.id) - LIB_ORDER.indexOf(b.id));
  const missing: Missing[] = loaded.filter((l): l is Missing => !isLib(l));
  const libInfo: Record<string, { version: string; threads: string }> = {};
  for (const l of libs) libInfo[l.id] = { version: l.version, threads: l.threads };

  const rows: Row[] = [];
  for (const w of only) {
    for (const [c, make] of cases(w, sizes)) {
      for (const lib of libs) {
        const row: Row = { workload: w, case: c, lib: lib.id };
        rows.push(row);
        try {
          await lib.activate();
          const k = make(lib);
          if (typeof k === "string") {
            row.skipped = k;
            continue;
          }
          if (k.impl) row.impl = k.impl;
          try {
            row.timing = await measure(k, plan[w]);
          } finally {
            k.dispose?.();
          }
          progress(`  ${w} ${c} ${lib.id}: median ${row.timing.medianMs.toFixed(3)} ms, min ${row.timing.minMs.toFixed(3)} ms (${row.timing.runsMs.length} runs)`);
        } catch (e) {
          row.error = firstLine(e);
          progress(`  ${w} ${c} ${lib.id}: ERROR ${row.error}`);
        }
      }
    }
  }

  const notes: string[] = [];
  let torchBlas: string | null = null;
  if (wanted("torch")) {
    const avail = torchAvailable();
    if (!avail.ok) {
      missing.push({ id: "torch", reason: `${avail.reason}; install PyTorch and OpenBLAS with \`${INSTALL_HINT}\`` });
    } else {
      progress(`running bench/torch_bench.py (${threads} threads) ...`);
      const t = runTorch({ threads, only, matmulSizes: [...sizes], plans: plan });
      if (typeof t === "string") {
        missing.push({ id: "torch", reason: t });
      } else {
        libInfo.torch = { version: t.version, threads: t.threads };
        torchBlas = t.blas;
        notes.push(...t.notes);
        for (const r of t.rows) {
          rows.push({ workload: r.workload as WorkloadId, case: r.case, lib: "torch", timing: r.timing, error: r.error });
        }
      }
    }
  } else if (!hasOpenblasOpenmp()) {
    notes.push(`(torch not requested; note that libopenblas0-openmp is not installed: \`${INSTALL_HINT}\`)`);
  }

  const ids = LIB_ORDER.filter((id) => libInfo[id] !== undefined);
  const ours = new Set(libs.filter((l) => l.ours).map((l) => l.id));
  const machine = machineInfo();
  const out: string[] = [];
  out.push(`steadytensor bench — ${started.toISOString()} — ${machine.cpu}, ${machine.cores} cores, ` +
    `node ${machine.node}, STEADY_NUM_THREADS=${machine.STEADY_NUM_THREADS ?? "(unset)"}${quick ? " — QUICK" : ""}`);
  out.push(`cells: median (min) over the timed runs; "peer ÷ ours" = the peer's median time ÷ ours ` +
    `(ours = ${ours.has("steady-native") ? "steady-native" : "steady-js"}); above 1× we are faster, below 1× the peer is.`);
  for (const w of only) out.push("", table(rows, w, ids, ours));
  out.push("", "Notes:");
  const skipReasons = [...new Set(rows.filter((r) => r.skipped).map((r) => `${r.lib}: ${r.skipped}`))];
  for (const s of skipReasons) out.push(`- "—" ${s}`);
  for (const r of rows.filter((x) => x.error)) out.push(`- error in ${r.workload} ${r.case} on ${r.lib}: ${r.error}`);
  if (rows.some((r) => r.timing && r.timing.runsMs.length <= 2)) {
    out.push(`- * only 2 timed runs: one run took longer than ${plan.matmul.slowMs / 1000} s`);
  }
  for (const r of rows.filter((x) => x.impl)) out.push(`- ${r.workload} on ${r.lib}: ${r.impl}`);
  for (const line of crossCheck(rows)) out.push(`- ${line}`);
  for (const id of ids) out.push(`- ${id}: ${libInfo[id]!.version}; threads: ${libInfo[id]!.threads}`);
  if (torchBlas) out.push(`- torch BLAS library: ${torchBlas}`);
  for (const m of missing) out.push(`- ${m.id} not measured: ${m.reason}`);
  for (const n of notes) out.push(`- ${n}`);
  out.push(`- machine load average at the end: ${machine.loadAverage.join(", ")} (other processes share these ${machine.cores} cores)`);
  console.log(out.join("\n"));

  const jsonPath = resolve(values.json!);
  mkdirSync(dirname(jsonPath), { recursive: true });
  const report = {
    date: started.toISOString(),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
    quick,
    machine,
    threads,
    libraries: libInfo,
    torchBlas,
    openblasOpenmp: hasOpenblasOpenmp(),
    missing,
    plans: plan,
    notes: [...skipReasons, ...notes],
    crossCheck: crossCheck(rows),
    results: rows,
  };
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 1)}\n`);
  progress(`raw numbers: ${jsonPath} (${report.durationS} s)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  console.error(USAGE);
  process.exitCode = 1;
});
