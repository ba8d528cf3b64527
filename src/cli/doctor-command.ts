// `steady doctor`: runs a short trial of the `steady train` configuration under the training monitor,
// the learning-rate range test and the sharpness at initialization, and prints in plain words with
// numbers what is wrong, where, and what to change. Exit status 1 when something is wrong, 0 when
// the configuration is healthy. `--try-cures` reruns the trial with each prescribed remedy and
// prints the before/after numbers, so the advice comes with its evidence.

import type * as St from "../node.js";
import type { Diagnosis } from "../stability/types.js";
import type { RecipeActivation, RecipeConfig } from "../stability/recipe.js";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CliError } from "./cli-error.js";
import { loadTaskData } from "./datasets.js";
import { prepareData } from "./prepare-data.js";
import { resolveConfig, type TrainConfig } from "./train-options.js";
import { loadLibrary } from "./load-library.js";

/** What `steady doctor` adds to the options of `steady train`. */
export interface DoctorExtras {
  /** Factor on every initial weight matrix (default 1). */
  initScale: number;
  /** Constant the hidden biases start at (default: the initializer's). */
  biasInit: number | null;
  /** Factor on the (standardized) inputs (default 1). */
  inputScale: number;
  /** Number of Linear layers; the hidden ones take the first --hidden width (default: from --hidden). */
  depth: number | null;
  /** Trial length in optimizer steps (default 40). */
  steps: number;
  /** Monitor check interval in steps (default 5). */
  every: number;
  tryCures: boolean;
  /** Write the self-contained HTML stability report here (null: none). */
  report: string | null;
}

export const DOCTOR_DEFAULTS: DoctorExtras = { initScale: 1, biasInit: null, inputScale: 1, depth: null, steps: 40, every: 5, tryCures: false, report: null };

function num(flag: string, raw: unknown, check: (n: number) => boolean, want: string): number {
  const s = String(raw).trim();
  const n = Number(s);
  if (s === "" || !Number.isFinite(n) || !check(n)) throw new CliError(`${flag} expects ${want}, got "${s}"`);
  return n;
}

/** Parsers of the doctor-only options (commander hands strings). */
export const DOCTOR_PARSERS: { [K in keyof DoctorExtras]: (raw: unknown) => DoctorExtras[K] } = {
  initScale: (r) => num("--init-scale", r, (n) => n > 0, "a positive number"),
  biasInit: (r) => num("--bias-init", r, () => true, "a number"),
  inputScale: (r) => num("--input-scale", r, (n) => n > 0, "a positive number"),
  depth: (r) => num("--depth", r, (n) => Number.isInteger(n) && n >= 2, "an integer ≥ 2 (Linear layers, output included)"),
  steps: (r) => num("--steps", r, (n) => Number.isInteger(n) && n >= 10, "an integer ≥ 10"),
  every: (r) => num("--every", r, (n) => Number.isInteger(n) && n >= 1, "a positive integer"),
  tryCures: (r) => r === true || r === "true",
  report: (r) => {
    const p = String(r).trim();
    if (p === "") throw new CliError("--report expects a file path such as doctor.html");
    return resolve(p);
  },
};

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  // 4 digits: a value just over its limit (1.003 against 1) must not print as the limit itself
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : Number(x.toPrecision(4)).toString();
}

/** The recipe configuration `steady doctor` checks, from the train options and the doctor extras. */
export function recipeConfigOf(cfg: TrainConfig, x: DoctorExtras): RecipeConfig {
  return {
    layers: x.depth !== null ? Array<number>(x.depth - 1).fill(cfg.hidden[0]!) : [...cfg.hidden],
    activation: cfg.activation as RecipeActivation,
    // the initializer of steady train's dense layers, so the doctor checks the model train builds
    init: "glorot-uniform",
    initScale: x.initScale,
    biasInit: x.biasInit,
    optimizer: cfg.optimizer,
    lr: cfg.lr,
    momentum: 0,
    clipnorm: cfg.clipnorm,
    normalize: false,
    inputScale: x.inputScale,
    standardize: false,
    weightDecay: 0,
    batchSize: cfg.batchSize,
    seed: cfg.seed,
  };
}

function where(d: Diagnosis): string {
  return d.layer === null ? "the whole model" : `layer "${d.layer}"`;
}

export async function doctorCommand(fromCli: Partial<TrainConfig>, extras: Partial<DoctorExtras>, configPath: string | undefined): Promise<void> {
  const cfg = resolveConfig(fromCli, configPath);
  const x: DoctorExtras = { ...DOCTOR_DEFAULTS, ...extras };
  const st = await loadLibrary(cfg.backend);
  st.manualSeed(cfg.seed);
  const data = loadTaskData(st, cfg);
  if (data.task === "sequence") {
    // the doctor's trials rebuild MLP recipes (init, activation, normalization cures); a Transformer recipe is not there yet
    throw new CliError(`doctor: the sequence dataset "${cfg.dataset}" trains a Transformer, which steady doctor does not diagnose yet; use a tabular dataset (digits, iris, breast-cancer, wine, diabetes, spirals, blobs, csv:PATH)`);
  }
  const d = prepareData(st, data, cfg);
  const classify = data.task === "classification";
  const rdata = { x: d.xTrain, y: d.yTrain, task: data.task, numClasses: data.numClasses };
  const rc = recipeConfigOf(cfg, x);
  const recipe = st.stability.mlpRecipe(rdata, rc, { every: x.every });
  const sizes = [d.xTrain.shape[1]!, ...rc.layers, classify ? data.numClasses : 1].join("-");
  console.log(`steady doctor: ${cfg.dataset.startsWith("csv:") ? "csv" : cfg.dataset} — ${data.description}, ${d.xTrain.shape[0]} training rows (standardized)`);
  console.log(
    `  mlp ${sizes} ${rc.activation}, Glorot-uniform init (as steady train)${rc.initScale !== 1 ? ` ×${rc.initScale}` : ""}${rc.biasInit !== null ? `, hidden biases ${rc.biasInit}` : ""}, ` +
      `${rc.optimizer} lr ${rc.lr}${rc.clipnorm !== null ? `, clipnorm ${rc.clipnorm}` : ""}, batch ${rc.batchSize}, inputs ×${rc.inputScale}, seed ${rc.seed}`,
  );
  console.log(`  trial: ${x.steps} steps, the monitor checking every ${x.every}`);

  // 1. the monitor on a short trial
  const base = await recipe.run(rc, { steps: x.steps });
  console.log(`\nloss: ${fmt(base.firstLoss)} at the first step → ${fmt(base.finalLoss)} (mean of the last 5 of ${x.steps} steps)${base.diverged ? " — diverged" : ""}`);

  // 2. the learning-rate range test on a fresh copy of the network
  const lr = await lrRangeTest(st, rdata, rc);
  console.log(lr.line);

  // 3. sharpness at initialization and the edge-of-stability check
  const sharp = sharpnessAtInit(st, rdata, rc);
  console.log(sharp.line);

  // 4. the gradient noise scale (McCandlish et al. 2018): which batch sizes use the data well
  const noise = noiseScaleAtInit(st, rdata, rc);
  console.log(noise.line);

  const problems: Diagnosis[] = [...base.diagnoses];
  if (sharp.diagnosis) problems.push(sharp.diagnosis);
  if (x.report !== null) {
    const lrr = lr.result;
    mkdirSync(dirname(x.report), { recursive: true });
    const bytes = st.stability.writeReport(x.report, {
      title: `steady doctor — ${cfg.dataset.startsWith("csv:") ? "csv" : cfg.dataset}, mlp ${sizes} ${rc.activation}, ${rc.optimizer} lr ${rc.lr}`,
      snapshots: base.snapshots,
      diagnoses: problems,
      ...(lrr ? { lrFind: { lrs: lrr.lrs, losses: lrr.losses, suggestion: lrr.suggestion, rule: lrr.rule } } : {}),
      ...(sharp.lambdaMax !== null ? { sharpness: { steps: [0], lambdaMax: [sharp.lambdaMax], threshold: [2 / rc.lr] } } : {}),
      ...(noise.result ? { noiseScale: { bSimple: noise.result.bSimple, suggestedBatch: noise.result.suggestedBatch } } : {}),
    });
    console.log(`report written to ${x.report} (${Math.round(bytes / 1024)} KiB)`);
  }
  if (problems.length === 0) {
    console.log(`\nhealthy: no diagnosis in ${x.steps} steps (${base.snapshots.length} checks); nothing to change.`);
    return;
  }
  console.log(`\n${problems.length} problem${problems.length === 1 ? "" : "s"} found:`);
  problems.forEach((p, i) => {
    console.log(`${i + 1}. ${p.label} in ${where(p)} at step ${p.step} (check ${p.check}): ${p.measure} = ${fmt(p.value)} against the limit ${fmt(p.threshold)}`);
    console.log(`   ${p.message}`);
    console.log(`   what to change: ${p.remedy}${p.cures.length ? ` [cures: ${p.cures.join(", ")}]` : ""}`);
  });

  if (x.tryCures) {
    console.log(`\ntrying the cures (${x.steps}-step trials on the same data and seed):`);
    // the edge-of-stability finding comes from the sharpness at init, not from the trial's monitor:
    // its cure (a lower lr) is judged below by lr·λ_max at the new rate, the rest by the trials
    const r = await st.stability.tryCures(recipe, base.diagnoses, { steps: x.steps, baseline: base, ...(lr.suggestion !== null ? { suggestedLr: lr.suggestion } : {}) });
    for (const t of r.trials) {
      console.log(`- ${t.cure}: ${t.change}`);
      for (const e of t.evidence) {
        console.log(`    ${e.label}: ${e.measure} before ${fmt(e.before)} → after ${Number.isNaN(e.after) ? "no longer diagnosed" : fmt(e.after)} (limit ${fmt(e.threshold)})`);
      }
      if (sharp.diagnosis && t.cure === "lower-lr" && sharp.lambdaMax !== null) {
        const v = t.config.lr * sharp.lambdaMax;
        console.log(`    edge-of-stability: lr·λ_max before ${fmt(sharp.diagnosis.value)} → after ${fmt(v)} (limit 2)${v <= 2 ? ", within it" : ", still beyond it"}`);
      }
      console.log(`    loss before ${fmt(t.lossBefore)} → after ${fmt(t.lossAfter)}; ${t.symptomGone ? "SYMPTOM GONE" : `still: ${t.remaining.join(", ")}`}${t.introduced.length ? `; new: ${t.introduced.join(", ")}` : ""}`);
    }
    if (sharp.diagnosis && !r.trials.some((t) => t.cure === "lower-lr")) {
      console.log(`- lower-lr (edge of stability): below 2/λ_max = ${fmt(2 / sharp.lambdaMax!)} the step no longer overshoots along the sharpest direction`);
    }
    console.log(r.verified.length ? `verified cures (best first): ${r.verified.join(", ")}` : "no cure removed the symptoms in a short trial");
  } else {
    console.log("\nrun again with --try-cures to test each remedy on a short trial and see the before/after numbers");
  }
  throw new CliError(`the configuration is broken: ${[...new Set(problems.map((p) => p.label))].join(", ")}`, 1);
}

/** The range test on a fresh network of the configuration (its own optimizer, restored after). */
async function lrRangeTest(st: typeof St, data: { x: St.Tensor; y: St.Tensor; task: string; numClasses: number }, rc: RecipeConfig): Promise<{ line: string; suggestion: number | null; result: St.stability.LrFindResult | null }> {
  st.manualSeed(rc.seed);
  const outputs = data.task === "classification" ? data.numClasses : 1;
  const net = st.stability.buildRecipeNet({ ...rc, clipnorm: null }, data.x.shape[1]!, outputs);
  const params = net.parameters();
  const opt = rc.optimizer === "adam" ? new st.optim.Adam(params, { lr: rc.lr }) : rc.optimizer === "rmsprop" ? new st.optim.RMSprop(params, { lr: rc.lr }) : new st.optim.SGD(params, { lr: rc.lr });
  const lossFn = data.task === "classification" ? new st.nn.CrossEntropyLoss() : new st.nn.MSELoss();
  const xs = st.stability.recipeInputs(rc, data.x);
  const n = xs.shape[0]!;
  const bs = Math.min(rc.batchSize, n);
  const batches = Array.from({ length: Math.max(1, Math.floor(n / bs)) }, (_, i) => [i * bs, (i + 1) * bs] as const);
  const step = (b: readonly [number, number], lr: number): number => {
    for (const g of opt.paramGroups) g.lr = lr;
    opt.zeroGrad();
    const loss = lossFn.call(net.call(xs.slice(b[0], b[1])), data.y.slice(b[0], b[1])) as St.Tensor;
    const l = loss.item() as number;
    if (Number.isFinite(l)) { loss.backward(); opt.step(); }
    return l;
  };
  let result: St.stability.LrFindResult | null = null;
  let error = "";
  try {
    result = await st.stability.lrFind(step, batches, { startLr: 1e-6, endLr: 10, steps: 80, params, optimizer: opt });
  } catch (e) {
    error = (e as Error).message;
  }
  return { ...finishLr(rc, result, error), result };
}

function finishLr(rc: RecipeConfig, r: St.stability.LrFindResult | null, error: string): { line: string; suggestion: number | null } {
  if (r === null) return { line: `learning-rate range test: no result (${error})`, suggestion: null };
  const s = r.suggestion;
  const ratio = rc.lr / s;
  const verdict = ratio > 10 ? `your lr ${rc.lr} is ${fmt(ratio)}× above it` : ratio < 0.1 ? `your lr ${rc.lr} is ${fmt(1 / ratio)}× below it` : `your lr ${rc.lr} is within 10× of it`;
  return {
    line: `learning-rate range test (1e-6 → 10): suggested lr ${fmt(s)} (${r.rule}; steepest descent at ${fmt(r.suggestions.steepest)})` +
      `${r.diverged ? `, loss diverges beyond lr ${fmt(r.lrs.at(-1)!)}` : ""}; ${verdict}`,
    suggestion: s,
  };
}

/** B_simple at initialization from 64 micro-batches of 8 rows (information: never a failure). */
function noiseScaleAtInit(st: typeof St, data: { x: St.Tensor; y: St.Tensor; task: string; numClasses: number }, rc: RecipeConfig): { line: string; result: St.stability.NoiseScaleResult | null } {
  st.manualSeed(rc.seed);
  const outputs = data.task === "classification" ? data.numClasses : 1;
  const net = st.stability.buildRecipeNet(rc, data.x.shape[1]!, outputs);
  const lossFn = data.task === "classification" ? new st.nn.CrossEntropyLoss() : new st.nn.MSELoss();
  const m = Math.min(512, data.x.shape[0]!);
  const x = st.stability.recipeInputs(rc, data.x).slice(0, m);
  try {
    const r = st.stability.gradientNoiseScale(net, (b) => lossFn.call(net.call(b.x), b.y!) as St.Tensor, { x, y: data.y.slice(0, m) }, { microBatch: 8 });
    if (!Number.isFinite(r.bSimple)) {
      return { result: null, line: `gradient noise scale at initialization: not defined — the mean gradient is lost in the per-example noise (|G|² estimate ${fmt(r.gNorm2)} ≤ 0), so no batch size is suggested` };
    }
    const [lo, hi] = r.suggestedBatch;
    const fit = rc.batchSize < lo ? "below it: noisier steps than needed" : rc.batchSize > hi ? "above it: examples spent for little less noise" : "within it";
    return { result: r, line: `gradient noise scale at initialization: B_simple = ${fmt(r.bSimple)} → batch sizes ${lo}–${hi} suggested; your batch ${rc.batchSize} is ${fit}` };
  } catch (e) {
    return { result: null, line: `gradient noise scale at initialization: not measurable (${(e as Error).message})` };
  }
}

/** λ_max of the loss Hessian at initialization on one batch of up to 256 rows, and the edge-of-stability check for SGD. */
function sharpnessAtInit(st: typeof St, data: { x: St.Tensor; y: St.Tensor; task: string; numClasses: number }, rc: RecipeConfig): { line: string; diagnosis: Diagnosis | null; lambdaMax: number | null } {
  st.manualSeed(rc.seed);
  const outputs = data.task === "classification" ? data.numClasses : 1;
  const net = st.stability.buildRecipeNet(rc, data.x.shape[1]!, outputs);
  const lossFn = data.task === "classification" ? new st.nn.CrossEntropyLoss() : new st.nn.MSELoss();
  const m = Math.min(256, data.x.shape[0]!);
  const xb = st.stability.recipeInputs(rc, data.x).slice(0, m);
  const yb = data.y.slice(0, m);
  let lam: number;
  try {
    lam = st.stability.sharpness(() => lossFn.call(net.call(xb), yb) as St.Tensor, net.parameters(), { iters: 20, tol: 1e-3 }).lambdaMax;
  } catch (e) {
    return { line: `sharpness at initialization: not measurable (${(e as Error).message})`, diagnosis: null, lambdaMax: null };
  }
  if (rc.optimizer !== "sgd") {
    return { line: `sharpness at initialization: λ_max = ${fmt(lam)} (the 2/η edge-of-stability check applies to SGD; ${rc.optimizer}'s threshold is on the preconditioned Hessian)`, diagnosis: null, lambdaMax: lam };
  }
  const eos = st.stability.edgeOfStability({ lr: rc.lr, lambdaMax: lam, optimizer: "sgd" });
  const line = `sharpness at initialization: λ_max = ${fmt(lam)}, lr·λ_max = ${fmt(rc.lr * lam)} against 2 — ${eos.warn ? "beyond the edge of stability" : "stable"}`;
  if (!eos.warn) return { line, diagnosis: null, lambdaMax: lam };
  return {
    line,
    lambdaMax: lam,
    diagnosis: {
      label: "edge-of-stability", layer: null, step: 0, check: 0, measure: "lr · λ_max at initialization", value: rc.lr * lam, threshold: 2,
      message: eos.message, remedy: `Lower the learning rate below 2/λ_max = ${fmt(2 / lam)}.`, cures: ["lower-lr"],
    },
  };
}
