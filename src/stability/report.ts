// The stability report as one self-contained HTML string (browser-safe: no file access here; the
// Node part that reads uPlot's files and writes the report is report-node.ts). The page carries
// uPlot's minified script and stylesheet inline, the report data as inline JSON, and the drawing
// script (report-client.ts), so it opens offline from a run folder or an e-mail attachment, with
// no network request. The diagnoses table, the seed-sweep table and the noise-scale line are
// rendered here, escaped, so the evidence reads even with scripts disabled.

import { ValueError } from "../core/errors.js";
import { REPORT_CLIENT_JS } from "./report-client.js";
import type { Diagnosis, ReportData } from "./types.js";

/** The plotting library's files, inlined into the page. */
export interface ReportAssets {
  /** uPlot's browser build (`uplot/dist/uPlot.iife.min.js`): defines the global `uPlot`. */
  uplotJs: string;
  /** uPlot's stylesheet (`uplot/dist/uPlot.min.css`). */
  uplotCss: string;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * JSON that is safe inside a <script> element: `<` is written `\u003c` (so no `</script>` or `<!--`
 * inside the data can end the element) and U+2028/U+2029 are escaped. NaN and ±Infinity become null,
 * as in JSON.stringify; the charts show them as gaps.
 */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** A number as the tables show it: 4 significant digits, exponent form for very small or large values. */
export function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(2);
}

function diagnosisRows(diagnoses: readonly Diagnosis[]): string {
  return diagnoses
    .map((d) => {
      const cells = [
        `<td class="label">${escapeHtml(d.label)}</td>`,
        `<td>${d.layer === null ? "<em>whole model</em>" : `<code>${escapeHtml(d.layer)}</code>`}</td>`,
        `<td>${escapeHtml(String(d.step))} <span class="muted">(check ${escapeHtml(String(d.check))})</span></td>`,
        `<td>${escapeHtml(d.measure)}: <b>${escapeHtml(fmtNum(d.value))}</b> vs ${escapeHtml(fmtNum(d.threshold))}</td>`,
        `<td>${escapeHtml(d.message)}</td>`,
        `<td>${escapeHtml(d.remedy)}${d.cures.length ? ` <span class="muted">(${d.cures.map((c) => escapeHtml(c)).join(", ")})</span>` : ""}</td>`,
      ];
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("\n");
}

function diagnosesPart(data: ReportData): string {
  if (data.diagnoses === undefined) return "";
  if (data.diagnoses.length === 0) return `<section class="part" id="diagnoses"><h2>Diagnoses</h2><p class="ok">No stability problems found.</p></section>`;
  return `<section class="part" id="diagnoses"><h2>Diagnoses (${data.diagnoses.length})</h2>
<table class="diag"><thead><tr><th>label</th><th>layer</th><th>step</th><th>value vs threshold</th><th>what was seen</th><th>remedy</th></tr></thead>
<tbody>
${diagnosisRows(data.diagnoses)}
</tbody></table></section>`;
}

function seedSweepTable(data: ReportData): string {
  const sw = data.seedSweep;
  if (!sw || sw.configs.length === 0) return "";
  const rows = sw.configs.map((c) => {
    const f = c.finalLosses.filter(Number.isFinite);
    const mean = f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
    const std = f.length ? Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / f.length) : NaN;
    return `<tr><td><code>${escapeHtml(c.name)}</code></td><td>${c.finalLosses.length}</td><td>${escapeHtml(fmtNum(mean))}</td><td>${escapeHtml(fmtNum(std))}</td><td>${c.diverged}</td></tr>`;
  });
  return `<table class="sweep"><thead><tr><th>configuration</th><th>runs</th><th>mean final loss</th><th>std</th><th>diverged</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function noiseScalePart(data: ReportData): string {
  const ns = data.noiseScale;
  if (!ns) return "";
  return `<section class="part" id="noise-scale"><h2>Batch size</h2><p>Gradient noise scale B<sub>simple</sub> = <b>${escapeHtml(fmtNum(ns.bSimple))}</b>: batch sizes from ${escapeHtml(fmtNum(ns.suggestedBatch[0]))} to ${escapeHtml(fmtNum(ns.suggestedBatch[1]))} use the data efficiently.</p></section>`;
}

const PAGE_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1000px; color: #222; padding: 0 12px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin: 24px 0 8px; border-bottom: 1px solid #ddd; }
.note, .muted { color: #666; } .ok { color: #1a7f37; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; } th, td { border: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.label { font-weight: 600; color: #b42318; white-space: nowrap; }
.chart { margin: 8px 0 16px; }
`;

/**
 * Renders the stability report: one self-contained HTML page (uPlot, its stylesheet and the data
 * inlined; no network access when opened) with, for each part of `data` that is present: loss and
 * metrics per epoch (train and val), per-layer gradient norms and update ratios over the monitor's
 * checks (log scale), activation mean/std and dead/saturated fractions, the learning-rate-finder
 * curve with its suggestion, sharpness against 2/η, seed-sweep spreads, the gradient noise scale,
 * and the diagnoses with their evidence (label, layer, step, value vs threshold, message, remedy).
 * All text from `data` is HTML-escaped. Browser-safe; on Node, `st.stability.writeReport` reads
 * uPlot's files and writes the page.
 *
 * @example
 * In a page (on Node, `st.stability.writeReport` reads uPlot's files and writes the page for you):
 * ```ts no-run
 * // uPlot's browser build as text, from wherever the page serves the uplot package
 * const [uplotJs, uplotCss] = await Promise.all(["uPlot.iife.min.js", "uPlot.min.css"].map(async (f) => (await fetch(`/uplot/dist/${f}`)).text()));
 * const html = st.stability.renderReport({ title: "run 1", history: { loss: [1.2, 0.8, 0.5] } }, { uplotJs, uplotCss });
 * window.open(URL.createObjectURL(new Blob([html], { type: "text/html" })));
 * ```
 */
export function renderReport(data: ReportData, assets: ReportAssets): string {
  if (typeof data !== "object" || data === null || typeof data.title !== "string") {
    throw new ValueError(`renderReport: data must be a ReportData object with a string title (got ${data === null ? "null" : typeof data === "object" ? `title ${typeof data.title}` : typeof data})`);
  }
  if (typeof assets !== "object" || assets === null || typeof assets.uplotJs !== "string" || !assets.uplotJs.includes("uPlot") || typeof assets.uplotCss !== "string") {
    throw new ValueError("renderReport: assets must be {uplotJs, uplotCss} with uPlot's browser build (uPlot.iife.min.js) as uplotJs");
  }
  // a literal "</script" inside the inlined library would end its element early; "<\/script" is the
  // same string to JavaScript (uPlot 1.6 contains none; this keeps another version safe)
  const lib = assets.uplotJs.replace(/<\/script/gi, "<\\/script");
  const css = assets.uplotCss.replace(/<\/style/gi, "<\\/style");
  const parts = [data.history && "history", data.snapshots?.length && "monitor checks", data.lrFind && "learning-rate finder", data.sharpness && "sharpness", data.seedSweep && "seed sweep"].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(data.title)} — stability report</title>
<style>${css}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<h1>${escapeHtml(data.title)}</h1>
<p class="muted">steadytensor stability report${parts.length ? ` — ${escapeHtml(parts.join(", "))}` : ""}</p>
${diagnosesPart(data)}
${noiseScalePart(data)}
<div id="charts"></div>
${seedSweepTable(data)}
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${lib}</script>
<script>${REPORT_CLIENT_JS}</script>
</body>
</html>
`;
}
