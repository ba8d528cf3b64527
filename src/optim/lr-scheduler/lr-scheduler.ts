// The LRScheduler base class (PyTorch's torch.optim.lr_scheduler.LRScheduler): base learning rates,
// the epoch counter, the constructor's initial step, state dicts; plus mapLr, which applies a
// schedule's formula to a number or element by element to a per-element learning-rate tensor.

import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import { fromTypedArray } from "../../core/tensor-internals.js";
import { type LearningRate, camelToSnake, checkInteger, copyValue, snakeToCamel } from "../hyperparams.js";
import { Optimizer } from "../optimizer.js";

/** A learning rate as schedules see it: a number, or a per-element tensor. */
export type LrValue = LearningRate;

/**
 * `f` applied to learning rates: to the numbers themselves, or, when any of them is a tensor, to
 * each element (numbers broadcast; tensors must have the same size). So every schedule supports
 * per-element learning rates with the same formula as for one number.
 *
 * @example
 * import { mapLr } from "./lr-scheduler.js";
 * mapLr((lr) => lr * 0.5, 0.1);                    // 0.05
 * mapLr((lr) => lr * 0.5, st.tensor([0.1, 0.2]));  // tensor([0.05, 0.1])
 */
export function mapLr(f: (...xs: number[]) => number, ...values: LrValue[]): LrValue {
  const t = values.find((v): v is Tensor => v instanceof Tensor);
  if (t === undefined) return f(...(values as number[]));
  for (const v of values) {
    if (v instanceof Tensor && v.size !== t.size) {
      throw new ShapeError(`lr schedule: learning-rate tensors of shapes ${fmtShape(t.shape)} and ${fmtShape(v.shape)} cannot be combined (expected equal sizes)`);
    }
  }
  const out = t.dtype === "float32" ? new Float32Array(t.size) : new Float64Array(t.size);
  const args = new Array<number>(values.length);
  const read = values.map((v) => (typeof v === "number" ? v : v.dataSync()));
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < read.length; j++) {
      const v = read[j]!;
      args[j] = typeof v === "number" ? v : v[i]!;
    }
    out[i] = f(...args);
  }
  return fromTypedArray(out, t.shape.slice(), t.dtype);
}

/**
 * The scheduler's own fields, PyTorch-style (`last_epoch`, `base_lrs`, `_last_lr`, hyper-parameters
 * in snake_case); the optimizer, functions and `exclude`d fields are left out, tensors copied.
 */
export function snapshotState(obj: object, exclude: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === "optimizer" || k === "name" || exclude.includes(k) || typeof v === "function") continue;
    out[camelToSnake(k)] = copyValue(v);
  }
  return out;
}

/** Writes a `snapshotState` result back; an entry naming no field of `obj` is a ValueError. */
export function restoreState(owner: string, obj: object, sd: Record<string, unknown>, exclude: readonly string[] = []): void {
  if (typeof sd !== "object" || sd === null) throw new ValueError(`${owner}.loadStateDict: expected an object (got ${sd === null ? "null" : typeof sd})`);
  const target = obj as Record<string, unknown>;
  for (const [k, v] of Object.entries(sd)) {
    const key = snakeToCamel(k);
    if (exclude.includes(key)) continue;
    if (key === "optimizer" || key === "name" || !Object.prototype.hasOwnProperty.call(obj, key) || typeof target[key] === "function") {
      throw new ValueError(`${owner}.loadStateDict: unknown entry "${k}" (is this the state of another kind of scheduler?)`);
    }
    target[key] = copyValue(v);
  }
}

/**
 * Base class of the epoch/step-driven schedules (all but ReduceLROnPlateau). As in PyTorch, the
 * constructor performs an initial step (epoch 0) and `step()` is called after each
 * `optimizer.step()`; each step writes the new learning rate into every parameter group's `lr`.
 * Before the first step every group gets `initialLr` (PyTorch's `initial_lr`), the schedule's base.
 *
 * @example
 * const w = st.zeros([2], { requiresGrad: true });
 * const opt = new st.optim.SGD([w], { lr: 0.1 });
 * const sched = new st.optim.lrScheduler.StepLR(opt, { stepSize: 10, gamma: 0.5 });
 * for (let epoch = 0; epoch < 30; epoch++) {
 *   opt.zeroGrad();
 *   w.sub(1).square().sum().backward();
 *   opt.step();
 *   sched.step(); // after optimizer.step()
 * }
 * sched.getLastLr(); // [0.0125]
 */
export abstract class LRScheduler {
  /** The scheduler's name, used in messages. */
  readonly name: string;
  /** The optimizer whose groups' `lr` this schedule sets. */
  readonly optimizer: Optimizer;
  /** Index of the last step taken (0 after construction). */
  lastEpoch = -1;
  /** Each group's `initialLr` when the schedule started. */
  baseLrs: LrValue[] = [];
  /** @internal steps taken since construction or the last `_initialStep` (CosineAnnealingLR reads it). */
  _stepCount = 0;
  /** @internal the learning rates after the last step. */
  _lastLr: LrValue[] = [];

  protected constructor(name: string, optimizer: Optimizer) {
    if (!(optimizer instanceof Optimizer)) {
      throw new ValueError(`${name}: expected an optimizer from st.optim (got ${optimizer === null ? "null" : typeof optimizer})`);
    }
    this.name = name;
    this.optimizer = optimizer;
  }

  /**
   * The tail of PyTorch's constructor: record `initialLr` (or require it when resuming with
   * `lastEpoch` ≥ 0), take the base learning rates, and perform the initial step. Subclasses call
   * it last, once their own fields are set.
   */
  protected init(lastEpoch: number): void {
    checkInteger(this.name, "lastEpoch", lastEpoch, -1);
    const groups = this.optimizer.paramGroups;
    groups.forEach((g, i) => {
      if (lastEpoch === -1) {
        if (g.initialLr === undefined) g.initialLr = g.lr;
      } else if (g.initialLr === undefined) {
        throw new ValueError(`${this.name}: param group ${i} has no initialLr, which resuming at lastEpoch ${lastEpoch} needs (set it, or start at lastEpoch -1)`);
      }
    });
    this.baseLrs = groups.map((g) => g.initialLr as LrValue);
    this.lastEpoch = lastEpoch;
    this._initialStep();
  }

  /** @internal resets the step count and steps once (the constructor's step; SequentialLR calls it). */
  _initialStep(): void {
    this._stepCount = 0;
    this.step();
  }

  /** The learning rates for `lastEpoch`, from the groups' current ones (PyTorch's chainable form). */
  protected abstract getLr(): LrValue[];

  /** The learning rates for `lastEpoch` from the base rates alone, where the schedule has one. */
  protected closedFormLr(): LrValue[] | null {
    return null;
  }

  /** Advances the schedule by one step and writes the new learning rates into the groups. */
  step(): void {
    this._stepTo(undefined);
  }

  /**
   * @internal A step to an explicit epoch (PyTorch's deprecated `step(epoch)`, which uses the closed
   * form); SequentialLR restarts a child this way at its milestone.
   */
  _stepTo(epoch: number | undefined): void {
    this._stepCount++;
    let values: LrValue[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    const groups = this.optimizer.paramGroups;
    groups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this._lastLr = groups.map((g) => g.lr);
  }

  /** The learning rate of each group after the last step. */
  getLastLr(): LrValue[] {
    return this._lastLr.slice();
  }

  /** The current groups' learning rates (for schedules that only rescale them). */
  protected currentLrs(): LrValue[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Fields that stateDict leaves out (e.g. LambdaLR's functions). */
  protected get stateExclude(): readonly string[] {
    return [];
  }

  /** The schedule's state (PyTorch's layout: every field but the optimizer, snake_case). */
  stateDict(): Record<string, unknown> {
    return snapshotState(this, this.stateExclude);
  }

  /** Restores a `stateDict()`. Load the optimizer's state dict too: the groups hold the current lr. */
  loadStateDict(sd: Record<string, unknown>): void {
    restoreState(this.name, this, sd, this.stateExclude);
  }

  /** The scheduler's name and settings, for logs. */
  toString(): string {
    const fmt = (v: LrValue) => (typeof v === "number" ? String(v) : `tensor of shape ${fmtShape(v.shape)}`);
    return `${this.name}(lastEpoch=${this.lastEpoch}, lr=[${this._lastLr.map(fmt).join(", ")}])`;
  }
}
