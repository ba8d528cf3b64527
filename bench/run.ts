// `npm run bench`: times steadytensor (js and, when built, native) against TensorFlow.js (cpu,
// wasm), jax-js and, when the system Python has it, PyTorch — same inputs, same timing rule, one
// run — and prints a table per workload with each peer's time relative to ours. Every library runs
// in its own worker process, and the timed runs of a case alternate between the libraries in
// rounds (harness.ts `interleave`). See bench/README.md.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { MATMUL_SIZES, QUICK_MATMUL_SIZES } from "./data.js";
import { type Plan, type Prepared, interleave } from "./harness.js";
import { type Missing, caseGroups, oursOnly } from "./lib.js";
import { INSTALL_HINT, startTorch, torchAvailable } from "./libs/torch.js";
import { type LibWorker, prepare, startNodeWorker } from "./workers.js";
import { benchThreads, hasOpenblasOpenmp, machineInfo } from "./machine.js";
import { type Row, WORKLOAD_IDS, type WorkloadId, crossCheck, monitorOverhead, table } from "./report.js";

const USAGE = `usage: npm run bench -- [--quick] [--only matmul,mlp,transformer,add,lenet] [--libs steady-js,tfjs-wasm,...] [--json out.json]
  --quick   matmul up to n=512 and fewer runs (about a minute)
  --only    workloads to run (default: all five)
  --libs    libraries to run: steady-js steady-native tfjs-cpu tfjs-wasm jax-js torch (default: all available)
  --json    where to write the raw numbers (default: bench/results/latest.json)`;

const LIB_ORDER = ["steady-native", "steady-js", "tfjs-cpu", "tfjs-wasm", "jax-js", "torch"];

function plans(quick: boolean): Record<WorkloadId, Plan> {
  const slowMs = 4000;
  if (quick) {
    const q = { warmup: 1, warmupMs: 300, minRuns: 3, maxRuns: 30, budgetMs: 300, slowMs: 1500, rounds: 3 };
    return { matmul: q, mlp: q, transformer: q, add: q, lenet: q };
  }
  // The training steps warm up for 2 s: a step's JavaScript (ops, autograd, optimizer) is still
  // being compiled by V8 for the first second or so, and on 2 cores its background compiler and
  // collector take turns with the kernels' threads (our encoder-layer step: median 9.9 ms over its
  // first 50 runs, 6.4–6.8 ms up to 1.5 s, 5.9–6.2 ms after). A training loop runs in that steady state.
  return {
    matmul: { warmup: 2, warmupMs: 300, minRuns: 4, maxRuns: 2000, budgetMs: 1600, slowMs, rounds: 8 },
    mlp: { warmup: 20, warmupMs: 2000, minRuns: 8, maxRuns: 400, budgetMs: 2000, slowMs, rounds: 8 },
    transformer: { warmup: 8, warmupMs: 2000, minRuns: 6, maxRuns: 120, budgetMs: 2400, slowMs, rounds: 6 },
    add: { warmup: 1, warmupMs: 300, minRuns: 4, maxRuns: 100, budgetMs: 1000, slowMs, rounds: 4 },
    lenet: { warmup: 8, warmupMs: 2000, minRuns: 6, maxRuns: 200, budgetMs: 2400, slowMs, rounds: 6 },
  };
}

function list(v: string | undefined, allowed: readonly string[], flag: string): string[] | null {
  if (v === undefined) return null;
  const xs = v.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = xs.filter((x) => !allowed.includes(x));
  if (bad.length > 0) throw new Error(`${flag}: unknown ${bad.join(", ")} (expected some of ${allowed.join(", ")})`);
  return xs;
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

  progress("starting a worker process per library ...");
  const notes: string[] = [];
  let torchBlas: string | null = null;
  const starting: Promise<LibWorker | Missing>[] = LIB_ORDER.filter((id) => id !== "torch" && wanted(id)).map((id) => startNodeWorker(id));
  if (wanted("torch")) {
    const avail = torchAvailable();
    starting.push(avail.ok ? startTorch(threads) : Promise.resolve({ id: "torch", reason: `${avail.reason}; install PyTorch and OpenBLAS with \`${INSTALL_HINT}\`` }));
  } else if (!hasOpenblasOpenmp()) {
    notes.push(`(torch not requested; note that libopenblas0-openmp is not installed: \`${INSTALL_HINT}\`)`);
  }
  const workers: LibWorker[] = [];
  const missing: Missing[] = [];
  const libInfo: Record<string, { version: string; threads: string }> = {};
  const ours = new Set<string>();
  for (const w of await Promise.all(starting)) {
    if (!("hello" in w)) {
      missing.push(w);
      continue;
    }
    const h = w.hello;
    if (h.op === "missing") {
      missing.push({ id: h.id, reason: h.reason });
      w.close();
      continue;
    }
    workers.push(w);
    libInfo[h.id] = { version: h.version, threads: h.threads };
    if (h.ours) ours.add(h.id);
    if (h.blas) torchBlas = h.blas;
    notes.push(...(h.notes ?? []));
  }
  const idOf = (w: LibWorker) => (w.hello as { id: string }).id;

  const rows: Row[] = [];
  for (const w of only) {
    // the cases of a group are prepared side by side and timed in the same interleaved rounds
    for (const group of caseGroups(w, sizes)) {
      const timed: { row: Row; prep: Prepared }[] = [];
      for (const [slot, c] of group.entries()) {
        for (const wk of workers) {
          const row: Row = { workload: w, case: c, lib: idOf(wk) };
          rows.push(row);
          if (oursOnly(c) && !ours.has(row.lib)) {
            row.skipped = `${c} is steadytensor's alone`;
            continue;
          }
          const p = await prepare(wk, w, c, plan[w], slot);
          if ("skipped" in p) row.skipped = p.skipped;
          else if ("error" in p) row.error = p.error;
          else {
            if (p.impl) row.impl = p.impl;
            timed.push({ row, prep: p });
          }
        }
      }
      const results = await interleave(timed.map((t) => t.prep), plan[w]);
      for (const [i, { row }] of timed.entries()) {
        const r = results[i]!;
        if ("error" in r) row.error = r.error;
        else row.timing = r;
      }
      for (const wk of workers) await wk.request({ op: "dispose" });
      for (const row of rows.filter((r) => r.workload === w && group.includes(r.case))) {
        if (row.timing) progress(`  ${w} ${row.case} ${row.lib}: median ${row.timing.medianMs.toFixed(3)} ms, min ${row.timing.minMs.toFixed(3)} ms (${row.timing.runsMs.length} runs)`);
        else if (row.error) progress(`  ${w} ${row.case} ${row.lib}: ERROR ${row.error}`);
      }
    }
  }
  for (const wk of workers) wk.close();

  const ids = LIB_ORDER.filter((id) => libInfo[id] !== undefined);
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
  for (const line of monitorOverhead(rows)) out.push(`- ${line}`);
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
    monitorOverhead: monitorOverhead(rows),
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
