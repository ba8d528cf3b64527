// The terminal summary of a stability report, for when no browser is at hand (a remote shell, CI
// logs): unicode sparklines (▁▂▃▄▅▆▇█) for the loss and each layer's gradient norm, and the
// diagnoses in plain words with their numbers. Browser-safe (returns strings, prints nothing).

import { ValueError } from "../core/errors.js";
import { fmtNum } from "./report.js";
import type { Diagnosis, ReportData } from "./types.js";

const BARS = "▁▂▃▄▅▆▇█";
/** Drawn for a NaN/±Inf value (or a value ≤ 0 on a log scale): a sparkline must not hide a blow-up. */
const BAD = "✗";

/** Options of `sparkline`. */
export interface SparklineOptions {
  /** Maximum characters; longer series are averaged over equal buckets (a bucket with a non-finite value shows ✗). Default 40. */
  width?: number;
  /** Scale the bars by log10 of the values (gradient norms span decades). Default false. */
  log?: boolean;
}

/**
 * A unicode sparkline: each value becomes one of ▁▂▃▄▅▆▇█, linearly between the series' finite
 * minimum (▁) and maximum (█), or by log10 with `log`; a constant series is all ▄; a non-finite
 * value (or ≤ 0 with `log`) is ✗. Series longer than `width` are bucket-averaged.
 *
 * @example
 * st.stability.sparkline([1, 2, 3, 4, 5, 6, 7, 8]); // "▁▂▃▄▅▆▇█"
 */
export function sparkline(values: readonly number[], opts: SparklineOptions = {}): string {
  if (!Array.isArray(values)) throw new ValueError(`sparkline: values must be an array of numbers (got ${typeof values})`);
  const width = opts.width ?? 40;
  if (!Number.isInteger(width) || width < 1) throw new ValueError(`sparkline: width must be a positive integer (got ${width})`);
  const log = opts.log ?? false;
  const tx = (v: number): number => (log ? (v > 0 ? Math.log10(v) : NaN) : v);
  let pts = values.map((v) => (typeof v === "number" ? tx(v) : NaN));
  if (pts.length > width) {
    const out: number[] = [];
    for (let b = 0; b < width; b++) {
      const lo = Math.floor((b * pts.length) / width);
      const hi = Math.floor(((b + 1) * pts.length) / width);
      const bucket = pts.slice(lo, hi);
      out.push(bucket.some((v) => !Number.isFinite(v)) ? NaN : bucket.reduce((a, c) => a + c, 0) / bucket.length);
    }
    pts = out;
  }
  const finite = pts.filter(Number.isFinite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return pts
    .map((v) => {
      if (!Number.isFinite(v)) return BAD;
      if (max === min) return BARS[3]!;
      return BARS[Math.min(7, Math.floor(((v - min) / (max - min)) * 8))]!;
    })
    .join("");
}

/** Finite min and max as "min … max", or "no finite value". */
function range(values: readonly number[]): string {
  const f = values.filter(Number.isFinite);
  if (f.length === 0) return "no finite value";
  const bad = values.length - f.length;
  return `${fmtNum(Math.min(...f))} … ${fmtNum(Math.max(...f))}${bad ? `, ${bad} non-finite` : ""}`;
}

/**
 * One diagnosis in plain words with its evidence:
 * `exploding-gradients in layer "0" at step 30 (check 3): gradient norm 1.2e+04 > threshold 1000. <message> Remedy: <remedy>`.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const mon = st.stability.monitor({ every: 1 });
 * await model.fit(st.randn([32, 2]), st.randn([32, 1]), { epochs: 1, verbose: 0, callbacks: [mon] });
 * for (const d of mon.diagnoses) console.log(st.stability.describeDiagnosis(d));
 */
export function describeDiagnosis(d: Diagnosis): string {
  const where = d.layer === null ? "" : ` in layer "${d.layer}"`;
  return `${d.label}${where} at step ${d.step} (check ${d.check}): ${d.measure} ${fmtNum(d.value)} against threshold ${fmtNum(d.threshold)}. ${d.message} Remedy: ${d.remedy}`;
}

/**
 * The diagnoses as printed lines: one `describeDiagnosis` line each (prefixed "  - "), under a
 * header with the count, or the single line "no stability problems found".
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const mon = st.stability.monitor({ every: 1 });
 * await model.fit(st.randn([32, 2]), st.randn([32, 1]), { epochs: 1, verbose: 0, callbacks: [mon] });
 * console.log(st.stability.formatDiagnoses(mon.diagnoses));
 */
export function formatDiagnoses(diagnoses: readonly Diagnosis[]): string {
  if (diagnoses.length === 0) return "no stability problems found";
  return [`${diagnoses.length} stability problem${diagnoses.length === 1 ? "" : "s"} found:`, ...diagnoses.map((d) => `  - ${describeDiagnosis(d)}`)].join("\n");
}

/**
 * The report as terminal text: sparklines of the loss per epoch (train/val) and per check, of each
 * layer's gradient norm (log scale) with its range, the learning-rate-finder suggestion, the last
 * sharpness against 2/η, seed-sweep spreads, the noise-scale batch range, and the diagnoses in
 * plain words (or "no stability problems found" when the monitor ran and found none).
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const mon = st.stability.monitor({ every: 1 });
 * const history = await model.fit(st.randn([32, 2]), st.randn([32, 1]), { epochs: 2, verbose: 0, callbacks: [mon] });
 * console.log(st.stability.summarize({ title: "run 1", history: history.history, snapshots: mon.snapshots, diagnoses: mon.diagnoses }));
 */
export function summarize(data: ReportData, opts: { width?: number } = {}): string {
  if (typeof data !== "object" || data === null || typeof data.title !== "string") {
    throw new ValueError(`summarize: data must be a ReportData object with a string title (got ${data === null ? "null" : typeof data})`);
  }
  const width = opts.width ?? 40;
  const lines = [`stability summary: ${data.title}`];
  const row = (name: string, values: readonly number[], log = false) => lines.push(`  ${name.padEnd(22)} ${sparkline(values, { width, log })}  ${range(values)}`);
  const h = data.history;
  if (h) {
    for (const key of ["loss", "val_loss"]) if (h[key]?.length) row(`${key} per epoch`, h[key]!);
  }
  const snaps = data.snapshots ?? [];
  if (snaps.length) {
    row("loss per check", snaps.map((s) => s.loss));
    const layers = [...new Set(snaps.flatMap((s) => s.layers.map((l) => l.layer)))];
    lines.push(`  gradient norm per layer (log scale), ${snaps.length} checks:`);
    for (const name of layers) row(`  ${name}`, snaps.map((s) => s.layers.find((l) => l.layer === name)?.gradNorm ?? NaN), true);
  }
  if (data.lrFind) lines.push(`  learning-rate finder: suggests ${fmtNum(data.lrFind.suggestion)} (${data.lrFind.rule} rule)  ${sparkline(data.lrFind.losses, { width })}`);
  const sh = data.sharpness;
  if (sh && sh.steps.length) {
    const i = sh.steps.length - 1;
    const over = sh.lambdaMax[i]! > sh.threshold[i]!;
    lines.push(`  sharpness at step ${sh.steps[i]}: λmax ${fmtNum(sh.lambdaMax[i]!)} ${over ? ">" : "≤"} 2/η ${fmtNum(sh.threshold[i]!)}${over ? " (beyond the edge of stability)" : ""}`);
  }
  for (const c of data.seedSweep?.configs ?? []) lines.push(`  seed sweep ${c.name}: final loss ${range(c.finalLosses)}, ${c.diverged} of ${c.finalLosses.length} diverged`);
  if (data.noiseScale) lines.push(`  gradient noise scale ${fmtNum(data.noiseScale.bSimple)}: batch ${data.noiseScale.suggestedBatch[0]}–${data.noiseScale.suggestedBatch[1]}`);
  if (data.diagnoses) lines.push(formatDiagnoses(data.diagnoses));
  return lines.join("\n");
}
