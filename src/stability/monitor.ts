// The training monitor: a `fit` callback, and the same object for a hand-written loop, that every N
// steps measures each layer (gradients, weights, updates, activations), the input and the loss trend,
// and runs the diagnosis rules on what it saw. Forward hooks are registered only for the forward pass
// of a check step and removed right after it, so the steps in between cost one number (the loss).

import { ValueError } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import { Tensor } from "../core/tensor.js";
import { type AnyModule, Module } from "../nn/module.js";
import type { Optimizer } from "../optim/optimizer.js";
import { Callback, type Logs } from "../train/callback.js";
import {
  type ActKind, type GradPairSums, type PrevGrad, type TrackedLayer, activationKind, copyGrads, copyParams, meanStd, paramStats,
  trackedLayers, twoBatchNoise, unitFraction,
} from "./monitor-stats.js";
import { type EpochRecord, edgeOfStabilityRule, overfittingRule, runCheckRules, underfittingRule } from "./rules/index.js";
import { type Thresholds, resolveThresholds } from "./thresholds.js";
import type { Diagnosis, LayerStats, MonitorSnapshot, NoiseScaleEstimate, ReportData } from "./types.js";
import type { Parameter } from "../nn/parameter.js";

/** Options of `st.stability.monitor`. */
export interface MonitorOptions {
  /** Check every `every` optimizer steps, starting at step 0 (default 10). */
  every?: number;
  /** Overrides of the rule limits (see `Thresholds` and docs/stability.md). */
  thresholds?: Partial<Thresholds>;
  /** A function returning the current top Hessian eigenvalue λ_max (e.g. from `st.stability.sharpness`). */
  sharpness?: () => number;
  /** Call `sharpness` every `sharpnessEvery` checks (default 1 when `sharpness` is given). */
  sharpnessEvery?: number;
  /**
   * Decay β of the moving averages of the gradient-noise-scale estimates over checks (default
   * 0.95): a plain mean over the first 1/(1 − β) step pairs, then an exponential moving average
   * with weight 1 − β on the newest.
   */
  noiseScaleDecay?: number;
}

/** Options of `Monitor.step`. */
export interface MonitorStepOptions {
  /**
   * Examples in this step's batch (`fit` passes its batch size itself). Needed for the gradient
   * noise scale: without it no estimate is made.
   */
  batchSize?: number;
}

/** A sharpness measurement: λ_max at a step with the learning rate then in use. */
export interface SharpnessRecord {
  /** Optimizer step at which it was measured. */
  step: number;
  /** Top Hessian eigenvalue λ_max. */
  lambdaMax: number;
  /** Learning rate at that step. */
  lr: number;
  /** The lr·λ_max limit it was checked against (2 for gradient descent). */
  limit: number;
}

interface ActSeen { mean: number; std: number; dead: number; sat: number }

/**
 * The training monitor (create it with `st.stability.monitor`). Use it as a `fit` callback, or in a
 * hand-written loop: `mon.attach(net, opt)` once, then `mon.step(loss)` after each `opt.step()`.
 * Every `every` steps it appends a `MonitorSnapshot` to `snapshots` and the findings of the
 * diagnosis rules to `diagnoses` (each label and layer reported once, at its first check).
 * @example
 * const net = new st.nn.Linear(4, 1);
 * const opt = new st.optim.SGD(net.parameters(), { lr: 0.1 });
 * const mon = st.stability.monitor({ every: 1 }).attach(net, opt);
 * const loss = net.call(st.ones([8, 4])).square().mean();
 * loss.backward();
 * opt.step();
 * mon.step(loss); // mon.snapshots.length === 1
 */
export class Monitor extends Callback {
  /** Check every this many steps (default 10). */
  readonly every: number;
  /** The limits the diagnosis rules use. */
  readonly thresholds: Thresholds;
  /** One snapshot per check. */
  readonly snapshots: MonitorSnapshot[] = [];
  /** Findings, in the order they were made; one per (label, layer). */
  readonly diagnoses: Diagnosis[] = [];
  /** The loss of every step seen. */
  readonly losses: number[] = [];
  /** Epoch losses (from `fit` or `recordEpoch`). */
  readonly epochs: EpochRecord[] = [];
  /** Sharpness measurements (from `recordSharpness` or the `sharpness` option). */
  readonly sharpnessRecords: SharpnessRecord[] = [];

  private root: AnyModule | null = null;
  private optimizer: Optimizer | null = null;
  private stepCount = 0;
  private lastCheckStep = -1;
  private removers: (() => void)[] = [];
  private before: Map<string, Tensor[]> | null = null;
  /** The last check's weight copies, overwritten by the next check (no allocation per check). */
  private spare: Map<string, Tensor[]> | null = null;
  /** The layers listed when the check step's forward pass began. */
  private checkLayers: TrackedLayer[] | null = null;
  private input: MonitorSnapshot["input"];
  private acts = new Map<string, ActSeen>();
  private seen = new Set<string>();
  private epochSum = 0;
  private epochCount = 0;
  private readonly sharpnessFn: (() => number) | null;
  private readonly sharpnessEvery: number;
  private readonly noiseDecay: number;
  /** The gradients of the step before a check (copied only on that step), reused buffers. */
  private prevGrads = new Map<Parameter, PrevGrad>();
  private prevGradStep = -1;
  private prevBatch: number | undefined;
  private batchSize: number | undefined;
  private noiseTr = 0;
  private noiseG = 0;
  private noisePairs = 0;

  constructor(opts: MonitorOptions = {}) {
    super();
    const every = opts.every ?? 10;
    if (!Number.isInteger(every) || every < 1) throw new ValueError(`stability.monitor: every must be a positive integer (got ${String(every)})`);
    const se = opts.sharpnessEvery ?? 1;
    if (!Number.isInteger(se) || se < 1) throw new ValueError(`stability.monitor: sharpnessEvery must be a positive integer (got ${String(se)})`);
    if (opts.sharpness !== undefined && typeof opts.sharpness !== "function") {
      throw new ValueError(`stability.monitor: sharpness must be a function returning λ_max (got ${typeof opts.sharpness})`);
    }
    this.every = every;
    this.thresholds = resolveThresholds("stability.monitor", opts.thresholds);
    this.sharpnessFn = opts.sharpness ?? null;
    this.sharpnessEvery = se;
    const nd = opts.noiseScaleDecay ?? 0.95;
    if (typeof nd !== "number" || !(nd >= 0 && nd < 1)) throw new ValueError(`stability.monitor: noiseScaleDecay must be a number in [0, 1) (got ${String(nd)})`);
    this.noiseDecay = nd;
  }

  /**
   * Watches `target` (a module, or a `Model`, whose module and optimizer are taken) for a hand-written
   * loop. `optimizer` gives the learning rate recorded in snapshots. Returns the monitor.
   */
  attach(target: AnyModule | { module: AnyModule; optimizer?: Optimizer | null }, optimizer?: Optimizer | null): this {
    const mod = target instanceof Module ? target : (target as { module?: unknown } | null)?.module;
    if (!(mod instanceof Module)) {
      throw new ValueError(`Monitor.attach: expected an nn.Module or a Model (got ${target === null ? "null" : typeof target})`);
    }
    this.disarm();
    this.root = mod as AnyModule;
    this.optimizer = optimizer ?? (target instanceof Module ? null : (target as { optimizer?: Optimizer | null }).optimizer ?? null);
    if (this.isCheckStep(this.stepCount)) this.arm();
    return this;
  }

  /**
   * Records the loss of the step just taken (call it after `optimizer.step()`, with the gradients
   * still in `.grad`); on check steps it measures every layer and runs the rules. Pass
   * `{ batchSize }` for the gradient noise scale. Returns the diagnoses new at this step.
   */
  step(loss: Tensor | number, opts: MonitorStepOptions = {}): Diagnosis[] {
    if (this.root === null) throw new ValueError("Monitor.step: call mon.attach(module, optimizer) first (or pass the monitor to model.fit as a callback)");
    const v = loss instanceof Tensor ? loss.item() : loss;
    if (typeof v !== "number") throw new ValueError(`Monitor.step: expected the loss as a Tensor or a number (got ${typeof loss})`);
    const bs = opts?.batchSize;
    if (bs !== undefined && !(typeof bs === "number" && Number.isFinite(bs) && bs >= 1)) {
      throw new ValueError(`Monitor.step: batchSize must be a number ≥ 1 (got ${String(bs)})`);
    }
    this.batchSize = bs;
    this.losses.push(v);
    const s = this.stepCount++;
    let found: Diagnosis[] = [];
    // a first non-finite loss forces a check at once: fit's TerminateOnNaN may end training
    // before the next check step, and the divergence must still be reported
    const firstNonFinite = !Number.isFinite(v) && this.losses.slice(0, -1).every(Number.isFinite);
    if (this.isCheckStep(s) || firstNonFinite) found = this.check(s);
    if (this.isCheckStep(this.stepCount)) {
      this.arm();
      this.keepGrads(s);
    }
    return found;
  }

  /**
   * Records a sharpness λ_max measured at `step` with learning rate `lr`, and checks lr·λ_max against
   * `limit`: the `edgeOfStability` threshold (2, plain gradient descent) unless given — pass 2 + 2β
   * for heavy-ball momentum β, or (2 + 2β₁)/(1 − β₁) = 38 with Adam's preconditioned sharpness
   * (see `st.stability.edgeOfStability`).
   */
  recordSharpness(step: number, lambdaMax: number, lr: number, limit = this.thresholds.edgeOfStability): Diagnosis[] {
    if (!Number.isFinite(lambdaMax) || !Number.isFinite(lr) || !(limit > 0)) {
      throw new ValueError(`Monitor.recordSharpness: lambdaMax, lr and limit must be finite numbers, limit > 0 (got ${lambdaMax}, ${lr}, ${limit})`);
    }
    this.sharpnessRecords.push({ step, lambdaMax, lr, limit });
    return this.add(edgeOfStabilityRule(lambdaMax, lr, this.at(step), { ...this.thresholds, edgeOfStability: limit }));
  }

  /** Records an epoch's training and validation loss (what `fit` does from its epoch logs) and runs the fit-gap rules. */
  recordEpoch(epoch: number, logs: { loss: number; valLoss?: number; val_loss?: number }): Diagnosis[] {
    const valLoss = logs.valLoss ?? logs.val_loss;
    this.epochs.push(valLoss === undefined ? { epoch, loss: logs.loss } : { epoch, loss: logs.loss, valLoss });
    const last = this.snapshots[this.snapshots.length - 1];
    if (last !== undefined && valLoss !== undefined) last.valLoss = valLoss;
    const at = this.at(Math.max(0, this.stepCount - 1));
    const first = this.losses[0] ?? this.epochs[0]!.loss;
    return this.add([...overfittingRule(this.epochs, at, this.thresholds), ...underfittingRule(this.epochs, first, at, this.thresholds)]);
  }

  /** The monitor's findings as report data (`st.stability` report functions draw it). */
  toReportData(title = "Training monitor"): ReportData {
    const out: ReportData = { title, snapshots: this.snapshots, diagnoses: this.diagnoses };
    const ns = this.noiseScale();
    if (ns !== undefined && Number.isFinite(ns.bSimple)) out.noiseScale = { bSimple: ns.bSimple, suggestedBatch: ns.suggestedBatch };
    if (this.sharpnessRecords.length > 0) {
      out.sharpness = {
        steps: this.sharpnessRecords.map((r) => r.step),
        lambdaMax: this.sharpnessRecords.map((r) => r.lambdaMax),
        threshold: this.sharpnessRecords.map((r) => r.limit / r.lr),
      };
    }
    return out;
  }

  /** The latest running gradient-noise-scale estimate (see `NoiseScaleEstimate`), if any check made one. */
  noiseScale(): NoiseScaleEstimate | undefined {
    for (let i = this.snapshots.length - 1; i >= 0; i--) {
      const ns = this.snapshots[i]!.noiseScale;
      if (ns !== undefined) return ns;
    }
    return undefined;
  }

  /** Stops watching (removes any armed hooks). */
  detach(): void {
    this.disarm();
    this.root = null;
  }

  // ---- fit callback hooks ----
  override onTrainBegin(_logs: Logs): void {
    const m = (this.model as unknown as { module?: unknown } | null)?.module;
    if (this.root === null && m instanceof Module) this.attach(m as AnyModule);
  }

  override onEpochBegin(_epoch: number, _logs: Logs): void {
    this.epochSum = 0;
    this.epochCount = 0;
  }

  override onBatchEnd(_batch: number, logs: Logs): void {
    if (this.root === null) return;
    this.optimizer = this.model?.optimizer ?? this.optimizer;
    // fit reports the running mean; the batch's own loss is what the trend rules need
    const size = logs.size ?? 1;
    const total = (logs.loss ?? NaN) * (this.epochCount + size);
    const batchLoss = Number.isFinite(total) ? (total - this.epochSum) / size : (logs.loss ?? NaN);
    this.epochSum = total;
    this.epochCount += size;
    this.step(batchLoss, typeof logs.size === "number" && logs.size >= 1 ? { batchSize: logs.size } : {});
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (typeof logs.loss === "number") this.recordEpoch(epoch, { loss: logs.loss, ...(typeof logs.val_loss === "number" ? { valLoss: logs.val_loss } : {}) });
  }

  override onTrainEnd(_logs: Logs): void {
    this.disarm();
  }

  // ---- internals ----
  private isCheckStep(s: number): boolean {
    return s % this.every === 0;
  }

  private at(step: number): { step: number; check: number } {
    return { step, check: Math.max(0, this.snapshots.length - 1) };
  }

  private add(found: Diagnosis[]): Diagnosis[] {
    const fresh = found.filter((d) => {
      const key = `${d.label}@${d.layer ?? ""}`;
      if (this.seen.has(key)) return false;
      this.seen.add(key);
      return true;
    });
    this.diagnoses.push(...fresh);
    return fresh;
  }

  /** Hooks the next forward pass: input statistics, pre-step weights, each module's output. */
  private arm(): void {
    if (this.root === null || this.removers.length > 0) return;
    const root = this.root;
    this.acts.clear();
    this.input = undefined;
    this.before = null;
    this.checkLayers = null;
    let lastOwner: string | null = null;
    const paths = new Map<AnyModule, string>();
    for (const [p, m] of root.namedModules()) paths.set(m, p === "" ? "model" : p);
    // the first module to run in the pass sees the model's input (fit may call the layers one by
    // one rather than the root), and the weights are copied before the optimizer changes them
    let started = false;
    const onFirst = (_m: AnyModule, args: unknown[]): undefined => {
      if (started) return undefined;
      started = true;
      lastOwner = null;
      const x = args[0];
      if (x instanceof Tensor && x.dtype !== "bool") {
        const s = noGrad(() => meanStd(x));
        this.input = { mean: s.mean, std: s.std, absMax: s.absMax };
      }
      // the previous check's copies are reused (overwritten in place, no allocation)
      const prev = this.spare;
      // the layers are listed once per check: here, and reused by check() after the step
      const layers = trackedLayers(root);
      this.checkLayers = layers;
      this.before = noGrad(() => new Map(layers.map((l) => [l.path, copyParams(l.params, prev?.get(l.path))])));
      return undefined;
    };
    for (const m of paths.keys()) this.removers.push(m.registerForwardPreHook(onFirst));
    for (const [m, path] of paths) {
      const kind = activationKind(m);
      // statistics are taken outside autograd: the outputs require grad, their reductions must not
      this.removers.push(m.registerForwardHook((mod, _args, out) => noGrad(() => {
        const owns = mod.parameters(false).length > 0;
        if (owns) {
          lastOwner = path;
          const own = (mod as unknown as { activation?: unknown }).activation;
          const k: ActKind | null = own === "relu" || own === "sigmoid" || own === "tanh" ? own : null;
          // one fused pass: mean, std and (sigmoid/tanh) the saturated fraction
          const ms = meanStd(out, k);
          this.acts.set(path, {
            mean: ms.mean, std: ms.std,
            dead: k === "relu" ? unitFraction(out, k) : NaN,
            sat: ms.satFrac,
          });
        } else if (kind !== null && lastOwner !== null) {
          // an activation module: its dead/saturated units belong to the layer that fed it
          const a = this.acts.get(lastOwner);
          if (a !== undefined) {
            if (kind === "relu") a.dead = unitFraction(out, kind);
            else a.sat = unitFraction(out, kind);
          }
        }
        return undefined;
      })));
    }
  }

  /**
   * On the step before a check: copies its gradients (one copy and one Σg² pass per parameter), to
   * pair them with the check step's for the noise scale. Skipped when the batch size is unknown.
   */
  private keepGrads(step: number): void {
    if (this.root === null || this.batchSize === undefined) return;
    const params = trackedLayers(this.root).flatMap((l) => l.params);
    noGrad(() => copyGrads(params, this.prevGrads));
    this.prevGradStep = step;
    this.prevBatch = this.batchSize;
  }

  /**
   * The gradient noise scale from the check step's and the previous step's gradients
   * (`twoBatchNoise`), folded into the running averages of tr(Σ) and |G|². The two gradients are
   * taken at parameters one update apart, not at the same point: to first order in the learning
   * rate η, E[g₁·g₂] = |G|² − η(GᵀHG + tr(HΣ)/B) and E|g₁ − g₂|² = 2tr(Σ)/B + 2η·tr(HΣ)/B (plain SGD,
   * Hessian H), so |G|² is biased low and tr(Σ) high, by relative amounts up to about
   * η·λ_max·(1 + B_simple/B) and η·λ_max: small far from the edge of stability, and B_simple errs
   * high. Gradient clipping changes the gradients measured.
   */
  private noiseUpdate(pair: GradPairSums, step: number): NoiseScaleEstimate | undefined {
    const b1 = this.prevBatch;
    const b2 = this.batchSize;
    if (b1 !== undefined && b2 !== undefined && this.prevGradStep === step - 1) {
      const e = twoBatchNoise(pair, b1, b2);
      if (Number.isFinite(e.gNorm2) && Number.isFinite(e.trSigma)) {
        this.noisePairs++;
        const a = Math.max(1 / this.noisePairs, 1 - this.noiseDecay);
        this.noiseTr += a * (e.trSigma - this.noiseTr);
        this.noiseG += a * (e.gNorm2 - this.noiseG);
      }
    }
    if (this.noisePairs === 0 || b2 === undefined) return undefined;
    const bSimple = this.noiseG > 0 ? this.noiseTr / this.noiseG : Infinity;
    const suggestedBatch: [number, number] = Number.isFinite(bSimple)
      ? [Math.max(1, Math.round(bSimple / 2)), Math.max(1, Math.round(bSimple * 2))]
      : [2 * b2, Infinity];
    return { bSimple, trSigma: this.noiseTr, gNorm2: this.noiseG, suggestedBatch, batchSize: b2, pairs: this.noisePairs };
  }

  private disarm(): void {
    for (const r of this.removers) r();
    this.removers = [];
  }

  private check(step: number): Diagnosis[] {
    this.disarm();
    const root = this.root!;
    const tracked = this.checkLayers ?? trackedLayers(root);
    this.checkLayers = null;
    const paired = this.prevGradStep === step - 1 && this.batchSize !== undefined;
    const pair: GradPairSums | undefined = paired ? { prevSq: 0, curSq: 0, diffSq: 0 } : undefined;
    const layers: LayerStats[] = noGrad(() => tracked.map((l) => {
      const p = paramStats(l.params, this.before?.get(l.path) ?? null, this.prevGrads, pair);
      const a = this.acts.get(l.path);
      return {
        layer: l.path, ...p,
        actMean: a?.mean ?? NaN, actStd: a?.std ?? NaN, deadFrac: a?.dead ?? NaN, saturatedFrac: a?.sat ?? NaN,
      };
    }));
    const lr = this.optimizer?.paramGroups[0]?.lr;
    const snap: MonitorSnapshot = { step, check: this.snapshots.length, loss: this.losses[this.losses.length - 1]!, layers };
    if (typeof lr === "number") snap.lr = lr;
    if (this.input !== undefined) snap.input = this.input;
    const ns = pair !== undefined ? this.noiseUpdate(pair, step) : undefined;
    if (ns !== undefined) snap.noiseScale = ns;
    this.snapshots.push(snap);
    const window = this.losses.slice(this.lastCheckStep + 1);
    this.lastCheckStep = step;
    const found = this.add(runCheckRules({
      snap, first: this.snapshots[0]!, firstLoss: this.losses[0]!, window, t: this.thresholds,
    }));
    if (this.sharpnessFn !== null && snap.check % this.sharpnessEvery === 0 && typeof lr === "number") {
      found.push(...this.recordSharpness(step, this.sharpnessFn(), lr));
    }
    this.spare = this.before;
    this.before = null;
    this.acts.clear();
    return found;
  }
}

/**
 * Creates a training monitor. Every `every` steps it records, per layer (module path), ‖∇W‖, ‖W‖,
 * ‖ΔW‖/‖W‖, the zero-gradient fraction, the output mean/std, the dead-ReLU and saturated
 * sigmoid/tanh fractions, the input statistics and the loss, and diagnoses vanishing/exploding
 * gradients, dying ReLU, saturation, unnormalized input, divergence, oscillation, slow convergence,
 * the edge of stability (with `sharpness` or `recordSharpness`) and over/underfitting (epoch logs).
 * It also estimates the gradient noise scale B_simple = tr(Σ)/|G|² (McCandlish et al. 2018) from the
 * check step's and the previous step's gradients (`snapshot.noiseScale`, `mon.noiseScale()`,
 * `toReportData().noiseScale`); it needs the batch size (`fit` gives it; in a hand-written loop
 * pass `mon.step(loss, { batchSize })`) and costs one gradient copy on the step before each check.
 * Limits: `Thresholds` (defaults in docs/stability.md).
 * @example
 * const x = st.randn([64, 64]), y = st.randint(0, 10, [64]);
 * const model = st.sequential([st.layers.dense({ units: 10, activation: "softmax", inputShape: [64] })]);
 * model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy" });
 * const mon = st.stability.monitor({ every: 10 });
 * await model.fit(x, y, { epochs: 2, validationSplit: 0.2, verbose: 0, callbacks: [mon] });
 * for (const d of mon.diagnoses) console.log(d.message, "→", d.remedy);
 *
 * // a hand-written loop
 * const net = new st.nn.Sequential(new st.nn.Linear(64, 32), new st.nn.ReLU(), new st.nn.Linear(32, 10));
 * const opt = new st.optim.SGD(net.parameters(), { lr: 0.1 });
 * const ce = new st.nn.CrossEntropyLoss();
 * const mon2 = st.stability.monitor({ every: 10 }).attach(net, opt);
 * for (let step = 0; step < 20; step++) {
 *   opt.zeroGrad();
 *   const loss = ce.call(net.call(x), y);
 *   loss.backward();
 *   opt.step();
 *   mon2.step(loss, { batchSize: x.shape[0] }); // the diagnoses new at this step
 * }
 */
export function monitor(opts: MonitorOptions = {}): Monitor {
  return new Monitor(opts);
}
