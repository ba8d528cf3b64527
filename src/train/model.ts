// Model: the Keras-style front of a module — compile, fit, evaluate, predict, summary, save.
// `st.sequential([...layers])` stacks layers; `st.model(module)` wraps any nn.Module (both in
// sequential.ts). The module stays an ordinary nn.Module (`model.module`), PyTorch's keys.

import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { zeros } from "../core/creation.js";
import { noGrad } from "../core/grad-mode.js";
import { Tensor } from "../core/tensor.js";
import { Sequential } from "../nn/layers/containers.js";
import { type AnyModule, Module } from "../nn/module.js";
import { getRegularizer } from "../nn/regularizers.js";
import type { LRScheduler } from "../optim/lr-scheduler/lr-scheduler.js";
import type { Optimizer } from "../optim/optimizer.js";
import { cat } from "../ops/shape.js";
import { type Callback, type CallbackModel, type Logs, getProgressFactory } from "./callback.js";
import { History } from "./callbacks/history.js";
import { TerminateOnNaN } from "./callbacks/terminate-on-nan.js";
import { type CompileOptions, type Compiled, resolveCompile } from "./compile.js";
import { type NamedOptimizer, makeOptimizer } from "./compile-optimizers.js";
import { type BatchIterable, type ClassWeight, batchWeights, checkRows } from "./fit-data.js";
import { type EvaluateOptions, type FitOptions, checkBatchSize, fitSources, sourceOf, tapped } from "./fit-options.js";
import { EpochLine } from "./fit-epoch-line.js";
import { fitLoop, testLoop } from "./fit-loop.js";
import { RunningLogs, type StepContext, testStep, trainStep } from "./fit-step.js";
import { KerasLayer, type LayerSpec } from "./layers/keras-layer.js";
import { resolveMetric } from "./metrics/index.js";
import { modelSummary } from "./summary.js";

/** Options of `st.sequential` / `st.model`. */
export interface ModelOptions {
  /** The name summary() prints (default "sequential" / "model"). */
  name?: string;
  /** Per-sample input shape, when no layer gives `inputShape`: builds the weights at once. */
  inputShape?: number[];
}

let modelSaver: ((model: Model, dir: string) => Promise<void>) | null = null;

/** @internal Installs `model.save` (src/node.ts installs the file-system version). */
export function setModelSaver(f: ((model: Model, dir: string) => Promise<void>) | null): void {
  modelSaver = f;
}

/** The dtype a zero batch standing for `x` gets (ids stay int32, float64 stays float64). */
const inputDTypeOf = (x: Tensor): "float32" | "float64" | "int32" => (x.dtype === "int32" || x.dtype === "float64" ? x.dtype : "float32");

const checkInt = (who: string, name: string, v: unknown, min: number): number => {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new ValueError(`${who}: ${name} must be an integer >= ${min} (got ${String(v)})`);
  return v;
};

/**
 * A trainable model (Keras's `Model`) around an nn.Module. Build it with `st.sequential` or
 * `st.model`, then `compile`, `fit`, `evaluate`, `predict`.
 *
 * @example
 * const model = st.sequential([
 *   st.layers.dense({ units: 10, activation: "relu", inputShape: [64] }),
 *   st.layers.dense({ units: 10, activation: "softmax" }),
 * ]);
 * model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
 * const x = st.randn([128, 64]);
 * const y = st.randint(0, 10, [128]);
 * const history = await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
 * history.history.loss.length; // 2
 */
export class Model implements CallbackModel {
  /** The wrapped module (a Sequential for `st.sequential`). */
  readonly module: AnyModule;
  /** The model's name (in `summary` and saved files). */
  readonly name: string;
  /** Set by a callback to end `fit` after the current batch. */
  stopTraining = false;
  /** The History of the last `fit`. */
  history: History | null = null;
  private _optimizer: Optimizer | null = null;
  private _scheduler: LRScheduler | null = null;
  private _compiled: Compiled | null = null;
  private _optimizerConfig: NamedOptimizer | null = null;
  /** Per-sample input shape and dtype, once known (inputShape, or the first batch). */
  private _input: { shape: number[]; dtype: "float32" | "float64" | "int32" } | null = null;

  constructor(module: AnyModule, opts: ModelOptions = {}) {
    if (!(module instanceof Module)) throw new ValueError(`st.model: expected an nn.Module (got ${module === null ? "null" : typeof module})`);
    this.module = module;
    this.name = opts.name ?? (module instanceof Sequential ? "sequential" : "model");
    const first = module instanceof Sequential && module.length > 0 ? module.at(0) : null;
    const shape = opts.inputShape ?? (first instanceof KerasLayer ? first.inputShape : undefined);
    if (shape !== undefined) this.build(shape, first instanceof KerasLayer ? first.inputDType : "float32");
  }

  /** The compiled optimizer (null before `compile`, and until the first batch for an unbuilt model). */
  get optimizer(): Optimizer | null {
    return this._optimizer;
  }

  /** The learning-rate schedule of `compile({lrSchedule})`, if any. */
  get lrScheduler(): LRScheduler | null {
    return this._scheduler;
  }

  /** The compile settings (null before `compile`). */
  get compiled(): Compiled | null {
    return this._compiled;
  }

  /** The per-sample input shape, once known. */
  get inputShape(): number[] | null {
    return this._input?.shape.slice() ?? null;
  }

  /** The input dtype the model was built for (float32 unless built from int32 ids or float64 data). */
  get inputDType(): "float32" | "float64" | "int32" {
    return this._input?.dtype ?? "float32";
  }

  /** Whether every Keras layer has its weights (the input size is known). */
  get built(): boolean {
    return this.module.modules().every((m) => !(m instanceof KerasLayer) || m.built);
  }

  /**
   * Creates the weights of layers that wait for their input size, by running a zero batch of
   * per-sample shape `inputShape` through the model (evaluation mode, no gradients).
   * @example
   * const m = st.sequential([st.layers.dense({ units: 4 })]);
   * m.build([3]); // the weight is now [4, 3]
   */
  build(inputShape: readonly number[], dtype: "float32" | "float64" | "int32" = "float32"): void {
    if (!Array.isArray(inputShape) || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new ValueError(`Model.build: inputShape must be a list of positive integers without the batch dim (got ${JSON.stringify(inputShape)})`);
    }
    this._input = { shape: [...inputShape], dtype };
    if (this.built) return;
    const wasTraining = this.module.training;
    this.module.eval();
    try {
      noGrad(() => this.module.call(zeros([2, ...inputShape], { dtype })));
    } finally {
      this.module.train(wasTraining);
    }
  }

  /** Trainable and frozen parameters, in the optimizer's order. */
  parameters(): Tensor[] {
    return this.module.parameters();
  }

  /**
   * Sets the optimizer, loss, metrics and gradient clipping (see CompileOptions). A probability
   * loss (cross-entropies) on a model ending in the matching softmax/sigmoid is computed from the
   * logits (log-softmax + NLL, BCE-with-logits): the stable path; `predict` still returns
   * probabilities. The optimizer is created now when the weights exist, else on the first batch.
   * @example
   * const model = st.sequential([st.layers.dense({ units: 3, activation: "softmax", inputShape: [4] })]);
   * model.compile({ optimizer: { name: "adam", learningRate: 1e-2 }, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"], clipnorm: 1 });
   */
  compile(options: CompileOptions): void {
    const resolved = resolveCompile(this.module, options);
    const outputShape = this._input !== null ? this.outputShapeFor(this._input.shape) : undefined;
    const metrics = resolved.metricSpecs.map((m) => resolveMetric(m, { loss: resolved.loss.name, outputShape, fromLogits: resolved.outputsAreLogits }));
    const names = new Set<string>(["loss"]);
    for (const m of metrics) {
      if (names.has(m.name)) throw new ValueError(`Model.compile: two metrics are logged as "${m.name}" (give them different names)`);
      names.add(m.name);
    }
    this._compiled = { ...resolved, metrics };
    this._optimizer = null;
    this._scheduler = null;
    if (this.built && this.parameters().length > 0) this.createOptimizer();
  }

  private createOptimizer(): void {
    const c = this.requireCompiled("fit");
    const { optimizer, config } = makeOptimizer(c.options.optimizer ?? "rmsprop", this.parameters());
    this._optimizer = optimizer;
    this._optimizerConfig = config;
    this._scheduler = c.options.lrSchedule ? c.options.lrSchedule(optimizer) : null;
  }

  /** The optimizer's JSON config (Keras name and settings), for saving. */
  get optimizerConfig(): NamedOptimizer | null {
    return this._optimizerConfig;
  }

  private requireCompiled(who: string): Compiled {
    if (this._compiled === null) throw new ValueError(`Model.${who}: call model.compile({ optimizer, loss }) first`);
    return this._compiled;
  }

  /** Builds from the first batch and creates the optimizer, if either is still pending. */
  private ready(x: Tensor): void {
    if (!this.built || this._input === null) {
      if (x.ndim < 1) throw new ShapeError(`Model: inputs need a batch dim (got shape ${fmtShape(x.shape)})`);
      this.build(x.shape.slice(1), inputDTypeOf(x));
    }
    if (this._optimizer === null) this.createOptimizer();
  }

  private stepContext(): StepContext {
    const compiled = this.requireCompiled("fit");
    const params = this.parameters();
    return { module: this.module, compiled, optimizer: this._optimizer!, params, penalty: params.some((p) => getRegularizer(p) !== undefined) };
  }

  private testContext(who: string): Omit<StepContext, "optimizer"> {
    const compiled = this.requireCompiled(who);
    return { module: this.module, compiled, params: [], penalty: this.parameters().some((p) => getRegularizer(p) !== undefined) };
  }

  /**
   * Trains for `epochs` (see FitOptions) and returns the History. A non-finite loss stops
   * training (TerminateOnNaN, on by default): the failing batch's update is not applied, one line
   * names the epoch and batch, and `history.terminatedOnNaN` records them.
   *
   * @example
   * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
   * model.compile({ optimizer: "adam", loss: "mse" });
   * const x = st.randn([64, 2]);
   * const y = x.sum(1, true);
   * const h = await model.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.25, verbose: 0 });
   * h.history.val_loss.length; // 3
   */
  async fit(x: Tensor | BatchIterable, y?: Tensor, opts: FitOptions = {}): Promise<History> {
    const who = "Model.fit";
    this.requireCompiled("fit");
    const epochs = checkInt(who, "epochs", opts.epochs ?? 1, 0);
    const initialEpoch = checkInt(who, "initialEpoch", opts.initialEpoch ?? 0, 0);
    if (opts.stepsPerEpoch !== undefined) checkInt(who, "stepsPerEpoch", opts.stepsPerEpoch, 1);
    const verbose = opts.verbose ?? 1;
    if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new ValueError(`${who}: verbose must be 0, 1 or 2 (got ${String(verbose)})`);
    const { train, validation } = fitSources(who, x, y, opts);

    const history = new History();
    const user = opts.callbacks ?? [];
    const callbacks: Callback[] = [history];
    if (!user.some((c) => c instanceof TerminateOnNaN)) callbacks.push(new TerminateOnNaN());
    callbacks.push(...user);
    if (verbose !== 0) callbacks.push(getProgressFactory()?.(verbose) ?? new EpochLine());
    // the optimizer may wait for the first batch (lazy build): a context whose getters see it
    const self = this;
    const ctx: StepContext = {
      module: this.module,
      get compiled() { return self.requireCompiled("fit"); },
      get optimizer() { return self._optimizer!; },
      get params() { return self.parameters(); },
      penalty: false,
    };
    const first = this.firstBatchHook(ctx);
    this.history = history;
    const schedule = () => (this._scheduler === null ? null : { scheduler: this._scheduler, interval: this.requireCompiled("fit").options.lrScheduleInterval ?? "epoch" });
    return fitLoop(this, ctx, {
      epochs, initialEpoch, verbose, callbacks, history, validation: validation === null ? null : tapped(validation, first),
      train: tapped(train, first),
      get schedule() { return schedule(); },
    });
  }

  /** Runs `ready` on the first batch, then fixes the context's penalty flag. */
  private firstBatchHook(ctx: StepContext): (x: Tensor) => void {
    let done = false;
    return (x) => {
      if (done) return;
      this.ready(x);
      (ctx as { penalty: boolean }).penalty = this.parameters().some((p) => getRegularizer(p) !== undefined);
      done = true;
    };
  }

  /**
   * The loss and metrics over `x`, `y` (or a DataLoader) in evaluation mode, without gradients.
   * @example
   * const model = st.sequential([st.layers.dense({ units: 3, activation: "softmax", inputShape: [4] })]);
   * model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
   * const { loss, accuracy } = await model.evaluate(st.randn([8, 4]), st.randint(0, 3, [8]));
   */
  async evaluate(x: Tensor | BatchIterable, y?: Tensor, opts: EvaluateOptions = {}): Promise<Logs> {
    const src = sourceOf("Model.evaluate", x, y, { batchSize: opts.batchSize, sampleWeight: opts.sampleWeight });
    const ctx = this.testContext("evaluate");
    return testLoop(ctx, tapped(src, (bx) => this.readyForInference(bx)), opts.callbacks ?? []);
  }

  private readyForInference(x: Tensor): void {
    if (!this.built) this.build(x.shape.slice(1), inputDTypeOf(x));
  }

  /**
   * The model's outputs for `x`, in batches, in evaluation mode and without gradients. A model
   * whose loss was fused with its final softmax/sigmoid still returns probabilities.
   * @example
   * const model = st.sequential([st.layers.dense({ units: 3, activation: "softmax", inputShape: [4] })]);
   * const probs = model.predict(st.randn([8, 4])); // [8, 3], each row sums to 1
   * probs.argmax(1); // the predicted classes, int32 [8]
   */
  predict(x: Tensor, opts: { batchSize?: number } = {}): Tensor {
    if (!(x instanceof Tensor) || x.ndim === 0) throw new ValueError(`Model.predict: x must be a Tensor with a batch dim (got ${x instanceof Tensor ? "a 0-d tensor" : typeof x})`);
    const bs = checkBatchSize("Model.predict", opts.batchSize ?? 32);
    this.readyForInference(x);
    const wasTraining = this.module.training;
    this.module.eval();
    try {
      return noGrad(() => {
        const parts: Tensor[] = [];
        const n = x.shape[0]!;
        for (let s = 0; s < n; s += bs) parts.push(this.module.call(x.narrow(0, s, Math.min(bs, n - s))) as Tensor);
        return parts.length === 1 ? parts[0]! : cat(parts, 0);
      });
    } finally {
      this.module.train(wasTraining);
    }
  }

  /**
   * One optimizer step on one batch (training mode); returns that batch's `{loss, metrics}`.
   * @example
   * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
   * model.compile({ optimizer: "sgd", loss: "mse" });
   * const { loss } = model.trainOnBatch(st.ones([4, 2]), st.ones([4, 1]));
   */
  trainOnBatch(x: Tensor, y: Tensor, opts: { sampleWeight?: Tensor; classWeight?: ClassWeight } = {}): Logs {
    this.requireCompiled("trainOnBatch");
    checkRows("Model.trainOnBatch", x, y, opts.sampleWeight ?? null);
    this.ready(x);
    const ctx = this.stepContext();
    const b = { x, y, w: batchWeights("Model.trainOnBatch", y, opts.sampleWeight ?? null, opts.classWeight) };
    this.module.train();
    const running = new RunningLogs(ctx.compiled.metrics);
    running.reset();
    const { loss, outputs } = trainStep(ctx, b);
    running.update(loss, b, outputs);
    return running.logs();
  }

  /** The `{loss, metrics}` of one batch in evaluation mode, without gradients. */
  testOnBatch(x: Tensor, y: Tensor, opts: { sampleWeight?: Tensor } = {}): Logs {
    const ctx = this.testContext("testOnBatch");
    checkRows("Model.testOnBatch", x, y, opts.sampleWeight ?? null);
    this.readyForInference(x);
    const b = { x, y, w: opts.sampleWeight ?? null };
    const wasTraining = this.module.training;
    this.module.eval();
    try {
      const running = new RunningLogs(ctx.compiled.metrics);
      running.reset();
      const { loss, outputs } = testStep(ctx, b);
      running.update(loss, b, outputs);
      return running.logs();
    } finally {
      this.module.train(wasTraining);
    }
  }

  /** The output shape (batch dim included, as 2) for per-sample input `inputShape`, by a zero batch. */
  outputShapeFor(inputShape: readonly number[]): number[] {
    const wasTraining = this.module.training;
    this.module.eval();
    try {
      const y = noGrad(() => this.module.call(zeros([2, ...inputShape], { dtype: this._input?.dtype ?? "float32" })) as Tensor);
      return y.shape.slice(1);
    } finally {
      this.module.train(wasTraining);
    }
  }

  /**
   * A table of the layers (name, type, output shape, parameter count), the trainable and
   * non-trainable totals, and how the loss is computed (the fused logit form when it applies).
   * Printed with console.log unless `print: false`; also returned.
   */
  summary(opts: { print?: boolean } = {}): string {
    const text = modelSummary(this);
    if (opts.print ?? true) console.log(text);
    return text;
  }

  /** A copy of the weights (`module.stateDict()`, cloned). */
  getWeights(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    noGrad(() => { for (const [k, v] of Object.entries(this.module.stateDict())) out[k] = v.clone(); });
    return out;
  }

  /** Loads weights from `getWeights()` (or any state dict with the module's keys). */
  setWeights(weights: Record<string, Tensor>): void {
    this.module.loadStateDict(weights);
  }

  /** The Keras layer specs of a Sequential of Keras layers (what `loadModel` rebuilds), or null. */
  layerSpecs(): LayerSpec[] | null {
    const m = this.module;
    if (!(m instanceof Sequential)) return null;
    const specs: LayerSpec[] = [];
    for (const layer of m) {
      if (!(layer instanceof KerasLayer)) return null;
      specs.push(layer.toSpec());
    }
    return specs;
  }

  /**
   * Saves the architecture (config.json), the weights (weights.safetensors, PyTorch keys), the
   * optimizer state and the compile settings into `dir` (Node only; see `st.loadModel`).
   * @example
   * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
   * model.compile({ optimizer: "adam", loss: "mse" });
   * await model.save("my-model"); // st.loadModel("my-model") reads it back
   */
  async save(dir: string): Promise<void> {
    if (modelSaver === null) throw new ValueError("Model.save: saving needs the Node entry (import the package in Node, which installs the file-system saver)");
    await modelSaver(this, dir);
  }

  /** @internal Restores the optimizer's state after loading (loadModel). */
  _restoreOptimizer(apply: (opt: Optimizer) => void): void {
    if (this._optimizer === null) this.createOptimizer();
    apply(this._optimizer!);
  }
}
