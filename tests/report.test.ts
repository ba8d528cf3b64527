// The stability report as text: the page is self-contained (uPlot's script and stylesheet and the
// data inlined, nothing loaded from elsewhere), escapes every string from the data (a layer name
// that is an <img onerror> tag, a message holding </script>), and the terminal summary draws exact
// sparklines and prints the diagnoses in plain words. tests/browser-pages.test.ts opens the page.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { uplotAssets } from "../src/stability/report-node.js";
import { expectError } from "./helpers/expect-error.js";
import { EVIL, reportData } from "./helpers/report-data.js";

const assets = uplotAssets();
const html = st.stability.renderReport(reportData(), assets);

describe("renderReport", () => {
  it("inlines uPlot's script and stylesheet, unchanged", () => {
    expect(assets.uplotJs.length).toBeGreaterThan(40_000);
    expect(html).toContain(`<script>${assets.uplotJs}</script>`);
    expect(html).toContain(`<style>${assets.uplotCss}</style>`);
  });

  it("loads nothing from elsewhere: no src/href attribute, no URL, a CSP that forbids network", () => {
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\s(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it("inlines the data as JSON that reads back (NaN/Infinity as null)", () => {
    const m = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html);
    expect(m).not.toBeNull();
    expect(JSON.parse(m![1]!)).toEqual(JSON.parse(JSON.stringify(reportData())));
  });

  it("escapes a malicious layer name and message everywhere", () => {
    // exactly three script elements: data, uPlot, drawing script — the message's </script><script> did not open one
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).not.toContain(EVIL);
    expect(html).not.toContain("<img");
    // shown escaped in the diagnoses table, and written \u003c inside the JSON
    expect(html).toContain(`<code>&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;</code>`);
    expect(html).toContain(`\\u003cimg src=x onerror=\\"window.pwned=1\\">`);
    expect(html).toContain("the gradient of &lt;/script&gt;&lt;script&gt;window.pwned=2&lt;/script&gt; is tiny");
    expect(html).toContain("<title>digits MLP &lt;test&gt; &amp; co — stability report</title>");
  });

  it("tables the diagnoses with their evidence, the seed sweep and the noise scale", () => {
    expect(html).toContain("<h2>Diagnoses (2)</h2>");
    expect(html).toContain(`<td class="label">vanishing-gradients</td>`);
    expect(html).toContain("<td>gradient norm: <b>3.00e-4</b> vs 0.001</td>");
    expect(html).toContain("<td>50 <span class=\"muted\">(check 5)</span></td>");
    expect(html).toContain("<em>whole model</em>");
    expect(html).toContain("use He initialization &amp; ReLU <span class=\"muted\">(he-init, relu-activation)</span>");
    // seed: mean 0.5233, population std 0.02055; init ×10: one diverged run, mean of the finite two
    expect(html).toContain("<tr><td><code>seed</code></td><td>3</td><td>0.5233</td><td>0.02055</td><td>0</td></tr>");
    expect(html).toContain("<tr><td><code>init ×10</code></td><td>3</td><td>1.15</td><td>0.25</td><td>1</td></tr>");
    expect(html).toContain("B<sub>simple</sub> = <b>180.5</b>: batch sizes from 64 to 512");
  });

  it("draws only the parts present: a title-only report has no diagnoses section and no chart data", () => {
    const bare = st.stability.renderReport({ title: "empty" }, assets);
    expect(bare).not.toContain("Diagnoses");
    expect(bare).toContain(`<script type="application/json" id="report-data">{"title":"empty"}</script>`);
    const none = st.stability.renderReport({ title: "ok", diagnoses: [] }, assets);
    expect(none).toContain("No stability problems found.");
  });

  it("rejects bad input with ValueError naming the function", () => {
    expectError(() => st.stability.renderReport({} as never, assets), st.ValueError, "renderReport", "title undefined");
    expectError(() => st.stability.renderReport({ title: "x" }, { uplotJs: "", uplotCss: "" }), st.ValueError, "renderReport", "uPlot.iife.min.js");
    expectError(() => st.stability.writeReport("", { title: "x" }), st.ValueError, "writeReport", "non-empty");
  });

  it("writeReport writes the same page to a file", () => {
    const f = join(mkdtempSync(join(tmpdir(), "steady-report-")), "report.html");
    const n = st.stability.writeReport(f, reportData());
    const text = readFileSync(f, "utf8");
    expect(text).toBe(html);
    expect(n).toBe(Buffer.byteLength(html));
  });
});

describe("terminal summary", () => {
  it("sparkline: exact bars, constant series, non-finite values, log scale, bucketing", () => {
    expect(st.stability.sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe("▁▂▃▄▅▆▇█");
    expect(st.stability.sparkline([8, 1])).toBe("█▁");
    expect(st.stability.sparkline([3, 3, 3])).toBe("▄▄▄");
    expect(st.stability.sparkline([1, NaN, 2, Infinity])).toBe("▁✗█✗");
    expect(st.stability.sparkline([1, 10, 100, 1000], { log: true })).toBe("▁▃▆█");
    expect(st.stability.sparkline([0, 10, 100], { log: true })).toBe("✗▁█");
    expect(st.stability.sparkline(Array.from({ length: 80 }, (_, i) => i + 1), { width: 8 })).toBe("▁▂▃▄▅▆▇█");
    expect(st.stability.sparkline([])).toBe("");
    expectError(() => st.stability.sparkline([1], { width: 0 }), st.ValueError, "sparkline", "width", "0");
  });

  it("describeDiagnosis and formatDiagnoses say what, where, when, the number and the remedy", () => {
    const d = reportData().diagnoses!;
    expect(st.stability.describeDiagnosis(d[1]!)).toBe(
      "oscillating-loss at step 50 (check 5): loss sign changes 0.6 against threshold 0.4. the loss goes up and down Remedy: lower the learning rate",
    );
    expect(st.stability.formatDiagnoses([])).toBe("no stability problems found");
    const text = st.stability.formatDiagnoses(d);
    expect(text.split("\n")).toHaveLength(3);
    expect(text.split("\n")[0]).toBe("2 stability problems found:");
    expect(text).toContain(`  - vanishing-gradients in layer "${EVIL}" at step 20 (check 2): gradient norm 3.00e-4 against threshold 0.001.`);
  });

  it("summarize draws the loss and each layer's gradient norm, then the other parts and the diagnoses", () => {
    const lines = st.stability.summarize(reportData()).split("\n");
    expect(lines[0]).toBe("stability summary: digits MLP <test> & co");
    expect(lines).toContain("  loss per epoch         █▄▂▁▁  0.5 … 2.1");
    // layer "0": gradient norm 1..6 on a log scale
    expect(lines).toContain(`    0                    ${st.stability.sparkline([1, 2, 3, 4, 5, 6], { log: true })}  1 … 6`);
    expect(lines).toContain("  gradient norm per layer (log scale), 6 checks:");
    expect(lines).toContain("  sharpness at step 30: λmax 21 > 2/η 20 (beyond the edge of stability)");
    expect(lines).toContain("  seed sweep init ×10: final loss 0.9 … 1.4, 1 non-finite, 1 of 3 diverged");
    expect(lines).toContain("2 stability problems found:");
    expect(st.stability.summarize({ title: "t", diagnoses: [] })).toBe("stability summary: t\nno stability problems found");
  });
});
