// The Node part of the stability report: reads uPlot's browser build and stylesheet from the
// installed `uplot` package (at report time, so the report always carries the installed version)
// and writes the self-contained page that report.ts renders, atomically.

import { ValueError } from "../core/errors.js";
import { writeFileAtomic } from "../io/files-node.js";
import { readPackageText } from "../io/text-files-node.js";
import { renderReport, type ReportAssets } from "./report.js";
import type { ReportData } from "./types.js";

let cached: ReportAssets | null = null;

/** uPlot's `uPlot.iife.min.js` and `uPlot.min.css`, resolved like an import of the `uplot` package. */
export function uplotAssets(): ReportAssets {
  if (cached) return cached;
  try {
    cached = { uplotJs: readPackageText("uplot/dist/uPlot.iife.min.js"), uplotCss: readPackageText("uplot/dist/uPlot.min.css") };
  } catch (e) {
    throw new ValueError(`writeReport: cannot find the uplot package that the report inlines (${(e as Error).message}); install it with npm install uplot`);
  }
  return cached;
}

/**
 * Writes the stability report (see `renderReport`) to `path`: one self-contained HTML file that
 * opens offline, with uPlot inlined from the installed `uplot` package. The file is replaced
 * atomically. Returns the number of bytes written.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * const mon = st.stability.monitor({ every: 10 });
 * const history = await model.fit(x, y, { epochs: 5, callbacks: [mon] });
 * st.stability.writeReport("report.html", { title: "digits MLP", history: history.history, snapshots: mon.snapshots, diagnoses: mon.diagnoses });
 */
export function writeReport(path: string, data: ReportData): number {
  if (typeof path !== "string" || path.length === 0) throw new ValueError(`writeReport: path must be a non-empty string (got ${JSON.stringify(path) ?? typeof path})`);
  const html = renderReport(data, uplotAssets());
  const bytes = Buffer.from(html, "utf8");
  writeFileAtomic(path, bytes);
  return bytes.length;
}
