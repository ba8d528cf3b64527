// `steady train`: trains an MLP on a tabular dataset, or an encoder-only Transformer on a sequence
// task, with the live progress bar under the stability monitor, prints the held-out result and the
// monitor's diagnoses, and writes the run folder (model, history as CSV and JSON, exact
// configuration, and the self-contained stability report report.html).

import { join, relative } from "node:path";
import { Callback, type Logs } from "../train/callback.js";
import type * as St from "../node.js";
import { CliError } from "./cli-error.js";
import { loadTaskData } from "./datasets.js";
import { postprocess, prepareData } from "./prepare-data.js";
import { makeRunDir, RUN_FORMAT, writeRunFiles, type RunInfo } from "./run-folder.js";
import { classificationResults, regressionResults, resultLine, sequenceResults } from "./task-metrics.js";
import { resolveConfig, type TrainConfig } from "./train-options.js";
import { loadLibrary } from "./load-library.js";
import { version } from "./version.js";

/** Optimizer steps between two checks of the stability monitor (its default). */
const MONITOR_EVERY = 10;

/** Steps an epoch-wise learning-rate schedule after each epoch and logs the lr the epoch used. */
class EpochSchedule extends Callback {
  private sched: { step(): void } | null = null;

  constructor(
    private readonly make: (opt: St.optim.Optimizer) => { step(): void },
  ) {
    super();
  }

  override onTrainBegin(): void {
    const opt = this.model?.optimizer;
    if (!opt) throw new CliError("--schedule: the model has no optimizer after compile", 1);
    this.sched = this.make(opt);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    const lr = this.model?.optimizer?.paramGroups[0]?.lr;
    if (typeof lr === "number") logs.lr = lr;
    this.sched!.step();
  }
}

export async function trainCommand(fromCli: Partial<TrainConfig>, configPath: string | undefined): Promise<void> {
  const cfg = resolveConfig(fromCli, configPath);
  const t0 = performance.now();
  const st = await loadLibrary(cfg.backend);
  st.manualSeed(cfg.seed);
  const data = loadTaskData(st, cfg);
  const d = prepareData(st, data, cfg);
  const classify = data.task === "classification";
  const seq = data.task === "sequence";
  let model: St.Model;
  let architecture: string;
  if (cfg.model === "transformer") {
    // encoder-only: token + position embeddings, encoder blocks, a softmax over the vocabulary at every position
    const layers: St.nn.AnyModule[] = [
      st.layers.embedding({ inputDim: cfg.vocab, outputDim: cfg.dModel, inputShape: [cfg.seqLen] }),
      st.layers.positionEmbedding({ sequenceLength: cfg.seqLen }),
    ];
    for (let i = 0; i < cfg.layers; i++) layers.push(st.layers.transformerEncoder({ intermediateDim: cfg.ff, numHeads: cfg.heads }));
    layers.push(st.layers.dense({ units: cfg.vocab, activation: "softmax" }));
    model = st.sequential(layers);
    architecture = `transformer encoder ${cfg.layers} layer${cfg.layers === 1 ? "" : "s"}, d-model ${cfg.dModel}, ${cfg.heads} heads, ff ${cfg.ff}, vocab ${cfg.vocab}`;
  } else {
    const nFeatures = data.x.shape[1]!;
    const layers = cfg.hidden.map((units, i) => st.layers.dense({ units, activation: cfg.activation, ...(i === 0 ? { inputShape: [nFeatures] } : {}) }));
    layers.push(st.layers.dense(classify ? { units: data.numClasses, activation: "softmax" } : { units: 1 }));
    model = st.sequential(layers);
    architecture = `mlp ${[nFeatures, ...cfg.hidden, classify ? data.numClasses : 1].join("-")} ${cfg.activation}`;
  }
  model.compile({
    optimizer: { name: cfg.optimizer, learningRate: cfg.lr },
    // sequences: per-position cross-entropy over [batch, seqLen, vocab] against tokens [batch, seqLen], as Keras
    loss: classify || seq ? "sparseCategoricalCrossentropy" : "mse",
    metrics: classify || seq ? ["accuracy"] : ["mae"],
    ...(cfg.clipnorm !== null ? { clipnorm: cfg.clipnorm } : {}),
  });
  const info = st.backendInfo();
  console.log(`steady train: ${cfg.dataset.startsWith("csv:") ? "csv" : cfg.dataset} — ${data.description}`);
  console.log(
    `  ${d.xTrain.shape[0]} train (${Math.round(cfg.validationSplit * 100)}% of them for validation) / ${d.xTest.shape[0]} held-out, ` +
      (seq ? `${cfg.seqLen} tokens per sequence, ${cfg.vocab} token values` : `${classify ? `${data.numClasses} classes` : "regression"}, features standardized on the training part`),
  );
  console.log(
    `  ${architecture}, ${cfg.optimizer} lr ${cfg.lr}${cfg.schedule !== "none" ? ` (${cfg.schedule} schedule)` : ""}` +
      `${cfg.clipnorm !== null ? `, clipnorm ${cfg.clipnorm}` : ""}, ${cfg.epochs} epochs, batch ${cfg.batchSize}, seed ${cfg.seed}, ` +
      `backend ${info.active}${info.native.loaded && info.active === "native" ? ` (${info.native.isa}, ${info.native.threads} threads)` : ""}`,
  );
  model.summary(); // prints the layer table and how the loss is computed
  const callbacks: Callback[] = [];
  if (cfg.schedule === "cosine") callbacks.push(new EpochSchedule((opt) => new st.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: cfg.epochs })));
  if (cfg.schedule === "step") {
    callbacks.push(new EpochSchedule((opt) => new st.optim.lrScheduler.StepLR(opt, { stepSize: Math.max(1, Math.ceil(cfg.epochs / 3)), gamma: 0.1 })));
  }
  // the stability monitor checks every MONITOR_EVERY optimizer steps; the checks are cheap (hooks
  // only on check steps) and its diagnoses and report.html come with every run
  const mon = st.stability.monitor({ every: MONITOR_EVERY });
  callbacks.push(mon);
  const history = await model.fit(d.xTrain, d.yTrain, {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    validationSplit: cfg.validationSplit > 0 ? cfg.validationSplit : undefined,
    shuffle: true,
    callbacks,
    verbose: 1,
  });
  const out = postprocess(st, model.predict(d.xTest, { batchSize: 256 }), data.task, d.yScaler);
  const results: Record<string, number> = seq ? sequenceResults(out, d.yTest) : classify ? classificationResults(out, d.yTest) : regressionResults(out, d.yTest);
  const dir = makeRunDir(cfg.out);
  await model.save(`${dir}/model`);
  const runInfo: RunInfo = {
    format: RUN_FORMAT,
    formatVersion: 1,
    steadytensor: version(),
    createdAt: new Date().toISOString(),
    backend: info.active,
    task: data.task,
    numClasses: data.numClasses,
    featureNames: data.featureNames,
    targetName: data.targetName,
    dataDescription: data.description,
    trainSamples: d.xTrain.shape[0]!,
    testSamples: d.xTest.shape[0]!,
    xScaler: d.xScaler ? d.xScaler.toJSON() : null,
    yScaler: d.yScaler ? d.yScaler.toJSON() : null,
    results,
    seconds: (performance.now() - t0) / 1000,
  };
  writeRunFiles(dir, cfg, runInfo, history);
  // written before the divergence check below: a diverged run is exactly the one to look at
  const title = `steady train: ${cfg.dataset.startsWith("csv:") ? "csv" : cfg.dataset}, ${architecture}, ${cfg.optimizer} lr ${cfg.lr}`;
  st.stability.writeReport(join(dir, "report.html"), { ...mon.toReportData(title), history: history.history });
  const epochs = history.epoch.length;
  console.log(`${resultLine(data.task, results)} after ${epochs} epoch${epochs === 1 ? "" : "s"} in ${runInfo.seconds.toFixed(1)} s`);
  const lastLoss = history.history.loss?.at(-1);
  const diverged = history.terminatedOnNaN || lastLoss === undefined || !Number.isFinite(lastLoss);
  // "no stability problems found" would contradict the divergence error below when TerminateOnNaN
  // stopped the run before the monitor's next check
  if (!diverged || mon.diagnoses.length > 0) console.log(st.stability.formatDiagnoses(mon.diagnoses));
  const ns = mon.noiseScale();
  if (ns !== undefined) {
    console.log(Number.isFinite(ns.bSimple)
      ? `gradient noise scale (monitor, ${ns.pairs} step pairs): B_simple ≈ ${ns.bSimple.toPrecision(3)} → batch sizes ${ns.suggestedBatch[0]}–${ns.suggestedBatch[1]} suggested (your batch: ${cfg.batchSize})`
      : `gradient noise scale (monitor, ${ns.pairs} step pairs): not defined — the mean gradient is lost in the noise (|G|² estimate ${ns.gNorm2.toPrecision(3)} ≤ 0), so no batch size is suggested`);
  }
  const shown = relative(process.cwd(), dir);
  console.log(`run written to ${shown.startsWith("..") ? dir : shown}/ (model/, history.csv, history.json, config.json, run.json, report.html)`);
  // a diverged run is kept for diagnosis but must not look like a success
  if (diverged) {
    throw new CliError(
      `training diverged: the loss became ${lastLoss} in epoch ${epochs} and TerminateOnNaN stopped it; lower --lr (now ${cfg.lr})${cfg.clipnorm === null ? " or set --clipnorm 1" : ""}`,
      1,
    );
  }
}
