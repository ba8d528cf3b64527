// Turns the bench's rows into one table per workload (a column per library, then the ratio of
// each peer's time to ours) and cross-checks the losses that every library reported.

import { ADD_LEN, ADD_OPS, LENET, MLP, TRANSFORMER } from "./data.js";
import { SLOW_RUNS, type Timing } from "./harness.js";
import { MLP_MONITOR_CASE, oursOnly } from "./lib.js";

export type WorkloadId = "matmul" | "mlp" | "transformer" | "add" | "lenet";
export const WORKLOAD_IDS: readonly WorkloadId[] = ["matmul", "mlp", "transformer", "add", "lenet"];

/** One cell of the bench: a workload case on one library, timed, skipped (why) or failed (why). */
export interface Row {
  workload: WorkloadId;
  case: string;
  lib: string;
  timing?: Timing;
  skipped?: string;
  error?: string;
  /** How the library's side was written (see Case.impl). */
  impl?: string;
}

interface WorkloadMeta {
  title: string;
  caseHeader: string;
  /** The shown value for a time in ms (GFLOP/s for matmul, µs/op for add, ms otherwise). */
  value(ms: number, c: string): number;
}

const { batch: TB, seq: TS, dModel: TD, heads: TH, dFF: TF } = TRANSFORMER;

export const WORKLOADS: Record<WorkloadId, WorkloadMeta> = {
  matmul: {
    title: "1. float32 matmul, n×n · n×n — GFLOP/s = 2n³/t (higher is better)",
    caseHeader: "n",
    value: (ms, c) => (2 * Number(c.slice(2)) ** 3) / (ms * 1e6),
  },
  mlp: {
    title: `2. MLP ${MLP.sizes.join("-")} training step, ReLU, softmax cross-entropy, Adam lr ${MLP.lr}, batch ${MLP.batch} — ms/step`,
    caseHeader: "case",
    value: (ms) => ms,
  },
  transformer: {
    title: `3. post-norm Transformer encoder layer forward+backward, batch ${TB}, seq ${TS}, dModel ${TD}, ${TH} heads, FF ${TF}, MSE loss — ms`,
    caseHeader: "case",
    value: (ms) => ms,
  },
  add: {
    title: `4. ${ADD_OPS.toLocaleString("en-US")} additions of two ${ADD_LEN}-element tensors — µs per op`,
    caseHeader: "autograd",
    value: (ms) => (ms * 1000) / ADD_OPS,
  },
  lenet: {
    title: `5. LeNet-style CNN training step, ${LENET.side}×${LENET.side}×1 inputs, batch ${LENET.batch}: conv5 (6) · ReLU · maxpool2 · conv5 (16) · ReLU · maxpool2 · FC ${LENET.fc.join("-")}, softmax cross-entropy, SGD lr ${LENET.lr} — ms/step`,
    caseHeader: "case",
    value: (ms) => ms,
  },
};

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

/** The ratio denominator of a case: steady-native when it ran, else steady-js. */
export function oursFor(rows: readonly Row[], workload: WorkloadId, c: string): Row | undefined {
  const find = (lib: string) => rows.find((r) => r.workload === workload && r.case === c && r.lib === lib && r.timing);
  return find("steady-native") ?? find("steady-js");
}

function pad(cells: string[][]): string {
  const widths = cells[0]!.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  const line = (r: string[]) => `| ${r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, j) => (j === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join("\n");
}

/**
 * One markdown table: a row per case; a column per library with "median (min)" of the shown value,
 * then "peer ÷ ours" = the peer's median time over ours (> 1: we are faster).
 */
export function table(rows: readonly Row[], workload: WorkloadId, libs: readonly string[], ourIds: ReadonlySet<string>): string {
  const meta = WORKLOADS[workload];
  const mine = rows.filter((r) => r.workload === workload);
  const cases = [...new Set(mine.map((r) => r.case))];
  const shown = libs.filter((l) => mine.some((r) => r.lib === l));
  const peers = shown.filter((l) => !ourIds.has(l));
  const header = [meta.caseHeader, ...shown, ...peers.map((p) => `${p} ÷ ours`)];
  const body = cases.map((c) => {
    const cell = (lib: string) => {
      const r = mine.find((x) => x.case === c && x.lib === lib);
      if (!r?.timing) return r?.error ? "error" : "—";
      const t = r.timing;
      const star = t.runsMs.length <= SLOW_RUNS ? "*" : "";
      return `${fmt(meta.value(t.medianMs, c))} (${fmt(meta.value(t.minMs, c))})${star}`;
    };
    const ours = oursFor(rows, workload, c);
    const ratio = (lib: string) => {
      const r = mine.find((x) => x.case === c && x.lib === lib);
      if (!r?.timing || !ours?.timing) return "—";
      return `${fmt(r.timing.medianMs / ours.timing.medianMs)}×`;
    };
    return [c, ...shown.map(cell), ...peers.map(ratio)];
  });
  return `${meta.title}\n\n${pad([header, ...body])}`;
}

/**
 * Compares each library's check value with ours: the MLP loss after one Adam step (so the update
 * is compared too) and the Transformer loss; the same inputs must give the same numbers.
 */
export function crossCheck(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const w of ["mlp", "transformer", "lenet"] as const) {
    const ref = rows.find((r) => r.workload === w && !oursOnly(r.case) && r.lib === "steady-js" && r.timing?.check != null)
      ?? rows.find((r) => r.workload === w && !oursOnly(r.case) && r.timing?.check != null);
    if (!ref?.timing?.check) continue;
    const refV = ref.timing.check;
    const parts: string[] = [];
    let worst = 0;
    // the monitored MLP step computes the same loss; it is compared with its own plain step instead
    for (const r of rows.filter((x) => x.workload === w && !oursOnly(x.case) && x.timing?.check != null)) {
      const v = r.timing!.check!;
      const rel = Math.abs(v - refV) / Math.max(Math.abs(refV), 1e-12);
      worst = Math.max(worst, rel);
      parts.push(`${r.lib} ${v.toPrecision(7)}`);
    }
    const verdict = worst <= 1e-4 ? "agree" : "DISAGREE";
    out.push(`${w} ${w === "mlp" ? "loss after one Adam step" : w === "lenet" ? "loss after one SGD step" : "loss"} ${verdict} (max relative difference ${worst.toExponential(1)}): ${parts.join(", ")}`);
  }
  return out;
}

/**
 * The training monitor's cost per library that ran both MLP rows: "step + monitor (every 10)" ÷
 * "step" − 1, from the medians and from the minima (the two rows were timed in the same rounds),
 * against issue 13's bound of 5 %, and from the means (which alone carry the check steps' cost in
 * full: a check every 10 steps is one run in ten, above the median); and whether the monitored step's loss after one Adam step
 * matches the plain step's (the monitor must not change the training).
 */
export function monitorOverhead(rows: readonly Row[]): string[] {
  const out: string[] = [];
  const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} %`;
  for (const mon of rows.filter((r) => r.workload === "mlp" && r.case === MLP_MONITOR_CASE && r.timing)) {
    const plain = rows.find((r) => r.workload === "mlp" && r.case === "step" && r.lib === mon.lib && r.timing);
    if (!plain) continue;
    const m = mon.timing!, p = plain.timing!;
    const med = m.medianMs / p.medianMs - 1, min = m.minMs / p.minMs - 1;
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const avg = mean(m.runsMs) / mean(p.runsMs) - 1;
    const same = m.check !== null && p.check !== null && Math.abs(m.check - p.check) <= 1e-6 * Math.max(Math.abs(p.check), 1e-12);
    out.push(`mlp monitor overhead on ${mon.lib} (${MLP_MONITOR_CASE} ÷ step − 1): ${pct(med)} from medians, ${pct(min)} from minima ` +
      `(issue 13 asks < 5 %); ${pct(avg)} from means (check steps included)${same ? "" : `; LOSS DIFFERS: ${m.check} vs ${p.check}`}`);
  }
  return out;
}
