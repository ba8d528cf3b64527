// The script inlined into the stability report: it reads the report's JSON (a <script
// type="application/json"> block) and draws every chart with uPlot (inlined beside it). Kept as a
// plain-JavaScript string, not compiled TypeScript, because it runs in the reader's browser with no
// bundler and must not depend on the helpers a transpiler would inject. It writes text only through
// `textContent` (uPlot does the same for titles and legend labels), so layer names cannot inject
// HTML. Each drawn chart is registered on `window.steadyCharts` as {id, title, series, plot} so a
// headless-browser test can check that every chart drew with the expected number of series.

/** @internal The report's chart-drawing script (ES5-style JavaScript, run after uPlot loads). */
export const REPORT_CLIENT_JS = String.raw`(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var charts = [];
  window.steadyCharts = charts;
  var COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  var root = document.getElementById("charts");

  // JSON turns NaN/Infinity into null; a log scale also cannot show values <= 0: both become gaps.
  function val(v, log) { return typeof v === "number" && isFinite(v) && (!log || v > 0) ? v : null; }
  function anyValue(a) { for (var i = 0; i < a.length; i++) if (a[i] !== null) return true; return false; }
  function el(tag, cls, parent, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function section(title, note) {
    var s = el("section", "part", root);
    el("h2", null, s, title);
    if (note) el("p", "note", s, note);
    return s;
  }
  // One uPlot chart. series: [{label, values, color?, points?, dash?}]; a series with no drawable
  // value is left out (uPlot cannot range an empty log scale); a chart with none is not drawn.
  function chart(parent, id, title, xs, series, o) {
    o = o || {};
    var kept = [];
    for (var i = 0; i < series.length; i++) {
      var v = series[i].values.map(function (x) { return val(x, o.yLog); });
      if (anyValue(v)) kept.push({ s: series[i], v: v, color: series[i].color || COLORS[i % COLORS.length] });
    }
    if (kept.length === 0) return null;
    var box = el("div", "chart", parent);
    box.id = id;
    var width = Math.max(360, Math.min(960, (root.clientWidth || 960) - 8));
    var opts = {
      title: title,
      width: width,
      height: 300,
      scales: { x: { time: false, distr: o.xLog ? 3 : 1 }, y: { distr: o.yLog ? 3 : 1 } },
      axes: [
        { label: o.xLabel || "", values: o.xValues },
        { label: o.yLabel || "", size: 60 },
      ],
      series: [{ label: o.xLabel || "x" }].concat(kept.map(function (k) {
        return {
          label: k.s.label,
          stroke: k.color,
          width: k.s.points ? 0 : 1.5,
          dash: k.s.dash,
          points: k.s.points ? { show: true, size: 9, fill: k.color } : { show: xs.length < 40 },
          spanGaps: false,
        };
      })),
    };
    if (o.xRange) opts.scales.x.range = o.xRange;
    if (o.xValues === undefined) delete opts.axes[0].values;
    // epochs and steps are whole numbers: no 1.25 ticks
    if (o.xInt) opts.axes[0].incrs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 1000000];
    var u = new uPlot(opts, [xs.map(function (x) { return val(x, o.xLog); })].concat(kept.map(function (k) { return k.v; })), box);
    charts.push({ id: id, title: title, series: kept.length, plot: u });
    return u;
  }

  // 1. loss and metrics per epoch: one chart per quantity, training and validation together
  var h = data.history;
  if (h) {
    var keys = Object.keys(h).filter(function (k) { return Array.isArray(h[k]) && h[k].length > 0; });
    var bases = [];
    keys.forEach(function (k) {
      var b = k.indexOf("val_") === 0 ? k.slice(4) : k;
      if (bases.indexOf(b) < 0) bases.push(b);
    });
    if (bases.length) {
      var s1 = section("Loss and metrics per epoch");
      bases.forEach(function (b) {
        var n = Math.max((h[b] || []).length, (h["val_" + b] || []).length);
        var xs = [];
        for (var e = 1; e <= n; e++) xs.push(e);
        var ser = [];
        if (h[b]) ser.push({ label: b === "lr" ? "learning rate" : "train " + b, values: h[b], color: COLORS[0] });
        if (h["val_" + b]) ser.push({ label: "val " + b, values: h["val_" + b], color: COLORS[1] });
        chart(s1, "chart-epoch-" + b.replace(/[^A-Za-z0-9_-]/g, "_"), b, xs, ser, { xLabel: "epoch", xInt: true, yLog: b === "lr" });
      });
    }
  }

  // 2. the monitor's checks: loss, per-layer gradient norms, update ratios, activation statistics
  var snaps = data.snapshots;
  if (snaps && snaps.length) {
    var steps = snaps.map(function (s) { return s.step; });
    var layers = [];
    snaps.forEach(function (s) { s.layers.forEach(function (l) { if (layers.indexOf(l.layer) < 0) layers.push(l.layer); }); });
    function perLayer(field) {
      return layers.map(function (name) {
        return {
          label: name,
          values: snaps.map(function (s) {
            for (var i = 0; i < s.layers.length; i++) if (s.layers[i].layer === name) return s.layers[i][field];
            return null;
          }),
        };
      });
    }
    var s2 = section("Training checks", "One point per monitor check (x: optimizer step). Gradient norms and update ratios on a log scale; a gap is a non-finite or zero value.");
    var lossSer = [{ label: "loss", values: snaps.map(function (s) { return s.loss; }) }];
    if (snaps.some(function (s) { return typeof s.valLoss === "number"; })) lossSer.push({ label: "val loss", values: snaps.map(function (s) { return s.valLoss; }) });
    chart(s2, "chart-check-loss", "loss at each check", steps, lossSer, { xLabel: "step", xInt: true });
    chart(s2, "chart-grad-norm", "gradient norm per layer (log)", steps, perLayer("gradNorm"), { xLabel: "step", xInt: true, yLog: true });
    chart(s2, "chart-update-ratio", "update / weight ratio per layer (log)", steps, perLayer("updateRatio"), { xLabel: "step", xInt: true, yLog: true });
    var s3 = section("Activation statistics");
    chart(s3, "chart-act-mean", "activation mean per layer", steps, perLayer("actMean"), { xLabel: "step", xInt: true });
    chart(s3, "chart-act-std", "activation std per layer", steps, perLayer("actStd"), { xLabel: "step", xInt: true });
    chart(s3, "chart-dead", "dead ReLU fraction per layer", steps, perLayer("deadFrac"), { xLabel: "step", xInt: true });
    chart(s3, "chart-saturated", "saturated sigmoid/tanh fraction per layer", steps, perLayer("saturatedFrac"), { xLabel: "step", xInt: true });
  }

  // 3. the learning-rate finder: the curve on a log-lr axis and the suggested rate as a point
  var lf = data.lrFind;
  if (lf && lf.lrs && lf.lrs.length) {
    var s4 = section("Learning-rate finder", "Suggested learning rate " + Number(lf.suggestion).toPrecision(3) + " (" + lf.rule + " rule).");
    var best = 0;
    for (var i = 1; i < lf.lrs.length; i++) if (Math.abs(Math.log(lf.lrs[i] / lf.suggestion)) < Math.abs(Math.log(lf.lrs[best] / lf.suggestion))) best = i;
    chart(s4, "chart-lr-find", "loss against learning rate", lf.lrs, [
      { label: "loss", values: lf.losses },
      { label: "suggestion", values: lf.lrs.map(function (_, j) { return j === best ? lf.losses[j] : null; }), points: true },
    ], { xLabel: "learning rate", xLog: true });
  }

  // 4. sharpness against the edge of stability 2/eta
  var sh = data.sharpness;
  if (sh && sh.steps && sh.steps.length) {
    var s5 = section("Sharpness", "Top Hessian eigenvalue against the edge of stability 2/\u03b7: above the dashed line gradient descent oscillates or diverges.");
    chart(s5, "chart-sharpness", "\u03bb_max and 2/\u03b7", sh.steps, [
      { label: "\u03bb_max", values: sh.lambdaMax },
      { label: "2/\u03b7", values: sh.threshold, dash: [6, 4] },
    ], { xLabel: "step", xInt: true });
  }

  // 5. seed sweep: min, mean and max of the finite final losses per configuration
  var sw = data.seedSweep;
  if (sw && sw.configs && sw.configs.length) {
    var names = sw.configs.map(function (c) { return c.name; });
    var stats = sw.configs.map(function (c) {
      var f = c.finalLosses.filter(function (x) { return typeof x === "number" && isFinite(x); });
      var mean = f.length ? f.reduce(function (a, b) { return a + b; }, 0) / f.length : null;
      return { min: f.length ? Math.min.apply(null, f) : null, mean: mean, max: f.length ? Math.max.apply(null, f) : null };
    });
    var s6 = section("Seed sweep", "Final loss per configuration over its runs (min, mean, max of the runs that stayed finite).");
    chart(s6, "chart-seed-sweep", "final loss spread per configuration", names.map(function (_, j) { return j; }), [
      { label: "min", values: stats.map(function (s) { return s.min; }), points: true },
      { label: "mean", values: stats.map(function (s) { return s.mean; }), points: true },
      { label: "max", values: stats.map(function (s) { return s.max; }), points: true },
    ], {
      xLabel: "configuration",
      xRange: [-0.5, names.length - 0.5],
      xValues: function (u, splits) { return splits.map(function (v) { return v === Math.round(v) && names[v] != null ? names[v] : ""; }); },
    });
  }
})();`;
