// The browser example: loads the digits (gzipped CSV, decompressed by the browser's own
// DecompressionStream: the page reads the very file the Node examples use, 1,797 rows in 54 KB,
// with no generated subset to keep in step and no library; every current browser has it), trains a small MLP with st.sequential + compile + await model.fit, draws
// the loss live on a canvas from the onBatchEnd/onEpochEnd callbacks, and shows the held-out
// accuracy. Plain JavaScript so the page runs as served, with no build step of its own; the
// import map in index.html resolves "steadytensor" to the browser bundle.
//
// window.steadyExample exposes the run's state (read by tests/browser-pages.test.ts).

import * as st from "steadytensor";

const EPOCHS = 12;
const state = { status: "loading", batches: 0, runningLoss: [], epochs: [], testAccuracy: null, trainMs: null, timerTicks: 0, maxTimerGapMs: 0, longGaps: [], error: null };
window.steadyExample = state;

const $ = (id) => document.getElementById(id);
const say = (text) => { $("status").textContent = text; };

/** Fetches a .csv.gz and returns its text, decompressed in the browser. */
async function fetchGzipText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  // read the whole (54 KB) body first: piping res.body straight into the decompressor can end the
  // pipe at the gzip trailer before the network side has finished, which aborts the request
  const gz = new Blob([await res.arrayBuffer()]);
  return new Response(gz.stream().pipeThrough(new DecompressionStream("gzip"))).text();
}

/** The digits: x float32 [1797, 64] scaled to [0, 1], y int32 [1797] (the last CSV column). */
async function loadDigits() {
  const { x, y } = st.data.parseCsv(await fetchGzipText("data/digits.csv.gz"), { header: false, target: -1, source: "digits.csv.gz" });
  return { x: x.div(16), y: y.to("int32") };
}

/** Draws the three loss series; x is in epochs (a batch at epoch + fraction of the epoch). */
function draw() {
  const canvas = $("loss");
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, pad = 36;
  ctx.clearRect(0, 0, w, h);
  const pts = [...state.runningLoss.map((p) => p.loss), ...state.epochs.flatMap((e) => [e.loss, e.valLoss])];
  if (pts.length === 0) return;
  const top = Math.max(...pts) * 1.05;
  const X = (epoch) => pad + (w - pad - 8) * (epoch / EPOCHS);
  const Y = (loss) => h - pad + (pad + 8 - h) * (loss / top);
  ctx.strokeStyle = "#999"; ctx.fillStyle = "#555"; ctx.lineWidth = 1; ctx.font = "11px sans-serif";
  ctx.beginPath(); ctx.moveTo(pad, 8); ctx.lineTo(pad, h - pad); ctx.lineTo(w - 8, h - pad); ctx.stroke();
  for (let e = 0; e <= EPOCHS; e += 2) ctx.fillText(String(e), X(e) - 3, h - pad + 14);
  ctx.fillText("epoch", w / 2, h - 6);
  for (const v of [0, top / 2, top]) ctx.fillText(v.toFixed(2), 2, Y(v) + 4);
  const line = (points, colour, width) => {
    ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.beginPath();
    points.forEach(([e, l], i) => (i === 0 ? ctx.moveTo(X(e), Y(l)) : ctx.lineTo(X(e), Y(l))));
    ctx.stroke();
  };
  line(state.runningLoss.map((p) => [p.at, p.loss]), "#9bbcf0", 1.5);
  line(state.epochs.map((e) => [e.epoch + 1, e.loss]), "#1f5fd1", 2.5);
  line(state.epochs.map((e) => [e.epoch + 1, e.valLoss]), "#e0602a", 2.5);
}

let drawPending = false;
function scheduleDraw() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => { drawPending = false; draw(); });
}

async function main() {
  const { x, y } = await loadDigits();
  const { xTrain, yTrain, xTest, yTest } = st.data.trainTestSplit(x, y, { testSize: 0.2, seed: 0 });
  st.manualSeed(0);
  const model = st.sequential([
    st.layers.dense({ units: 32, activation: "relu", inputShape: [64] }),
    st.layers.dense({ units: 10, activation: "softmax" }),
  ]);
  // softmax + sparse categorical cross-entropy: fused into log-softmax + NLL by compile (stable)
  model.compile({ optimizer: { name: "adam", learningRate: 0.005 }, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });

  // fit yields to the event loop every ~25 ms in a browser, so this timer keeps ticking (and the
  // page keeps painting) while it trains; the longest gap between ticks shows how live it stayed
  let last = performance.now();
  let t0 = last;
  const timer = setInterval(() => {
    const now = performance.now();
    state.maxTimerGapMs = Math.max(state.maxTimerGapMs, now - last);
    if (now - last > 60) state.longGaps.push({ atMs: Math.round(now - t0), gapMs: Math.round(now - last), batches: state.batches });
    last = now;
    state.timerTicks++;
  }, 10);

  const live = new st.callbacks.LambdaCallback({
    onEpochBegin: (epoch) => say(`training: epoch ${epoch + 1} of ${EPOCHS}…`),
    onBatchEnd: (batch, logs) => {
      state.batches++;
      const steps = live.params?.steps ?? 1; // batches per epoch, from fit
      state.runningLoss.push({ at: state.epochs.length + (batch + 1) / steps, loss: logs.loss });
      scheduleDraw();
    },
    onEpochEnd: (epoch, logs) => {
      state.epochs.push({ epoch, loss: logs.loss, accuracy: logs.accuracy, valLoss: logs.val_loss, valAccuracy: logs.val_accuracy });
      scheduleDraw();
    },
  });
  state.status = "training";
  last = performance.now();
  t0 = performance.now();
  await model.fit(xTrain, yTrain, { epochs: EPOCHS, batchSize: 32, validationSplit: 0.1, callbacks: [live], verbose: 0 });
  state.trainMs = performance.now() - t0;
  clearInterval(timer);

  const { accuracy } = await model.evaluate(xTest, yTest);
  state.testAccuracy = accuracy;
  $("accuracy").textContent = `${(100 * accuracy).toFixed(1)} % of ${xTest.shape[0]} digits`;
  say(`done: ${EPOCHS} epochs, ${state.batches} batches in ${(state.trainMs / 1000).toFixed(1)} s`);
  draw();
  state.status = "done";
}

main().catch((e) => {
  state.status = "error";
  state.error = String(e?.stack ?? e);
  say(`error: ${e?.message ?? e}`);
  console.error(e);
});
