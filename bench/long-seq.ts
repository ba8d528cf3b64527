// `npm run bench:long`: the encoder layer of workload 3 (post-norm, dModel 128, 4 heads, FF 512)
// forward + backward on long sequences (batch 4 × 1024 tokens by default), ours beside PyTorch's,
// reporting the time and the **peak RSS** of each. Peak memory is a property of a whole process,
// so each library runs alone in a fresh process (this file with `--child <lib>`, or
// `torch_bench.py --long`): it records its RSS before building the case, runs one warm-up and
// `--runs` timed runs, and reports the process's peak RSS (getrusage's ru_maxrss). The libraries
// run one after the other, not interleaved (see bench/README.md: compare ratios, the machine is shared).

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { TRANSFORMER, TRANSFORMER_LONG } from "./data.js";
import { benchThreads, cpuFlags } from "./machine.js";

interface ChildConfig { batch: number; seq: number; runs: number; threads: number }

interface ChildResult {
  id: string;
  version: string;
  runsMs: number[];
  baseRssMiB: number;
  peakRssMiB: number;
  loss: number;
  impl?: string;
  error?: string;
}

const SELF = fileURLToPath(import.meta.url);
const TORCH_SCRIPT = fileURLToPath(new URL("./torch_bench.py", import.meta.url));
const PYTHON = process.env.BENCH_PYTHON || "/usr/bin/python3";

/** In the child process: our layer on one backend, alone in this process. */
async function child(id: string, cfg: ChildConfig): Promise<void> {
  const { loadSteadyJs, loadSteadyNative } = await import("./libs/steady.js");
  const { steadyTransformer } = await import("./libs/steady-models.js");
  const lib = id === "steady-js" ? await loadSteadyJs() : await loadSteadyNative();
  if (!("workloads" in lib)) {
    console.log(JSON.stringify({ id, error: lib.reason }));
    return;
  }
  await lib.activate();
  const base = process.memoryUsage().rss / 2 ** 20; // after loading, like torch_bench.py after `import torch`
  const c = steadyTransformer(cfg.batch, cfg.seq);
  const loss = c.run() as number; // warm-up; its loss is the cross-check with PyTorch
  const runsMs: number[] = [];
  for (let i = 0; i < cfg.runs; i++) {
    const t0 = process.hrtime.bigint();
    c.run();
    runsMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const peak = process.resourceUsage().maxRSS / 1024; // KiB → MiB
  const r: ChildResult = { id, version: lib.version, runsMs, baseRssMiB: base, peakRssMiB: peak, loss, ...(c.impl ? { impl: c.impl } : {}) };
  console.log(JSON.stringify(r));
}

function runChild(id: string, cfg: ChildConfig, timeoutMs: number): ChildResult {
  const env: NodeJS.ProcessEnv = { ...process.env, STEADY_NUM_THREADS: String(cfg.threads), OMP_NUM_THREADS: String(cfg.threads), OPENBLAS_NUM_THREADS: String(cfg.threads) };
  if (id === "torch" && cpuFlags().includes("avx512f")) env.OPENBLAS_CORETYPE = "SkylakeX";
  const [cmd, args] = id === "torch"
    ? [PYTHON, [TORCH_SCRIPT, "--long", JSON.stringify(cfg)]]
    : [process.execPath, [...process.execArgv, SELF, "--child", id, JSON.stringify(cfg)]];
  const r = spawnSync(cmd, args, { env, encoding: "utf8", timeout: timeoutMs, maxBuffer: 1 << 24 });
  const line = r.stdout?.trim().split("\n").filter((l) => l.startsWith("{")).at(-1);
  if (r.status !== 0 || line === undefined) {
    const why = r.error?.message ?? (r.stderr ?? "").trim().split("\n").slice(-3).join(" | ");
    return { id, version: "", runsMs: [], baseRssMiB: NaN, peakRssMiB: NaN, loss: NaN, error: why || `exit ${r.status}` };
  }
  return JSON.parse(line) as ChildResult;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      child: { type: "string" },
      libs: { type: "string", default: "steady-native,torch" },
      runs: { type: "string", default: "3" },
      seq: { type: "string", default: String(TRANSFORMER_LONG.seq) },
      batch: { type: "string", default: String(TRANSFORMER_LONG.batch) },
    },
  });
  if (values.child !== undefined) return child(values.child, JSON.parse(positionals[0]!) as ChildConfig);
  const cfg: ChildConfig = { batch: Number(values.batch), seq: Number(values.seq), runs: Number(values.runs), threads: benchThreads() };
  const libs = values.libs!.split(",").map((s) => s.trim()).filter(Boolean);
  const results: ChildResult[] = [];
  for (const id of libs) {
    process.stderr.write(`long sequence: ${id} ...\n`);
    results.push(runChild(id, cfg, 600_000));
  }
  const { heads: H, dModel: D, dFF: F } = TRANSFORMER;
  const scoreMiB = (cfg.batch * H * cfg.seq * cfg.seq * 4) / 2 ** 20;
  const ours = results.find((r) => r.id.startsWith("steady") && !r.error);
  const out: string[] = [];
  out.push(`encoder layer fwd+bwd, post-norm, batch ${cfg.batch} × seq ${cfg.seq}, dModel ${D}, ${H} heads, FF ${F}; ` +
    `${cfg.runs} timed runs after one warm-up, each library alone in a fresh process, ${cfg.threads} threads`);
  out.push(`one [B, H, L, L] float32 score matrix: ${scoreMiB.toFixed(0)} MiB`);
  out.push("");
  out.push("| library | median ms (min) | peak RSS MiB | peak − start MiB | time ÷ ours | peak growth ÷ ours | loss |");
  out.push("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    if (r.error) {
      out.push(`| ${r.id} | error: ${r.error} | | | | | |`);
      continue;
    }
    const med = median(r.runsMs), growth = r.peakRssMiB - r.baseRssMiB;
    const oursMed = ours ? median(ours.runsMs) : NaN, oursGrowth = ours ? ours.peakRssMiB - ours.baseRssMiB : NaN;
    out.push(`| ${r.id} | ${med.toFixed(1)} (${Math.min(...r.runsMs).toFixed(1)}) | ${r.peakRssMiB.toFixed(0)} | ${growth.toFixed(0)} | ` +
      `${(med / oursMed).toFixed(2)}× | ${(growth / oursGrowth).toFixed(2)}× | ${r.loss.toPrecision(7)} |`);
  }
  out.push("");
  for (const r of results) if (r.impl) out.push(`- ${r.id}: ${r.impl}`);
  for (const r of results) if (r.version) out.push(`- ${r.id}: ${r.version}`);
  out.push(`- "time ÷ ours" above 1× means the peer is slower; "peak − start" is the peak RSS minus the RSS before the case was built`);
  out.push(`- load average at the end: ${(await import("node:os")).loadavg().map((x) => x.toFixed(2)).join(", ")} (the machine is shared)`);
  console.log(out.join("\n"));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
