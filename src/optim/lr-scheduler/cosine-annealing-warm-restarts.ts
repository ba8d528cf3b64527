// CosineAnnealingWarmRestarts: SGDR (Loshchilov & Hutter, 2017) — cosine decay from the base lr
// to etaMin over T_i epochs, then a restart with T_{i+1} = T_i·tMult (PyTorch's scheduler).

import { ValueError } from "../../core/errors.js";
import { checkFinite, checkInteger, mergeOptions } from "../hyperparams.js";
import type { Optimizer } from "../optimizer.js";
import { LRScheduler, type LrValue, mapLr } from "./lr-scheduler.js";

/** Options of {@link CosineAnnealingWarmRestarts}: t0 is required. */
export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs until the first restart. Required. */
  t0: number;
  /** Factor growing the period after each restart (integer ≥ 1). Default 1. */
  tMult?: number;
  /** The minimum learning rate. Default 0. */
  etaMin?: number;
  /** Index of the last epoch when resuming. Default −1 (start). */
  lastEpoch?: number;
}

/**
 * η = η_min + ½(η₀ − η_min)(1 + cos(π·T_cur/T_i)), where T_cur counts the epochs since the last
 * restart and T_i is the current period (t0, then ·tMult after each restart). `step()` advances
 * one epoch; `step(epoch)` may be fractional (e.g. `epoch + batch/numBatches`) as in PyTorch.
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.1 });
 * const sched = new st.optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { t0: 2, tMult: 2 });
 * opt.step();
 * sched.step();
 * sched.getLastLr(); // [0.05] — halfway through the first period
 * opt.step();
 * sched.step();
 * sched.getLastLr(); // [0.1] — restarted, the next period is 4 epochs
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** Epochs of the first period, before the first restart. */
  t0: number;
  /** Epochs of the current period T_i (t0·tMult^restarts). */
  tI: number;
  /** Factor growing the period after each restart (default 1: every period is t0). */
  tMult: number;
  /** The minimum learning rate η_min (default 0). */
  etaMin: number;
  /** Epochs since the last restart, T_cur (fractional after a fractional `step(epoch)`). */
  tCur: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingWarmRestartsOptions) {
    super("CosineAnnealingWarmRestarts", optimizer);
    const N = "CosineAnnealingWarmRestarts";
    const o = mergeOptions<Required<CosineAnnealingWarmRestartsOptions>>(N, { tMult: 1, etaMin: 0, lastEpoch: -1 }, options, ["t0"]);
    checkInteger(N, "t0", o.t0, 1);
    checkInteger(N, "tMult", o.tMult, 1);
    checkFinite(N, "etaMin", o.etaMin);
    this.t0 = o.t0;
    this.tI = o.t0;
    this.tMult = o.tMult;
    this.etaMin = o.etaMin;
    this.tCur = o.lastEpoch;
    this.init(o.lastEpoch);
  }

  protected override getLr(): LrValue[] {
    const c = (1 + Math.cos((Math.PI * this.tCur) / this.tI)) / 2;
    return this.baseLrs.map((b) => mapLr((base) => this.etaMin + (base - this.etaMin) * c, b));
  }

  /** One epoch forward, or to `epoch` (fractional allowed). */
  override step(epoch?: number): void {
    this._stepTo(epoch);
  }

  /** @internal PyTorch's step: T_cur and T_i advance (and restart) here, then the lr is set. */
  override _stepTo(epoch: number | undefined): void {
    this._stepCount++;
    let e = epoch;
    if (e === undefined && this.lastEpoch < 0) e = 0;
    if (e === undefined) {
      e = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
    } else {
      if (!(e >= 0) || !Number.isFinite(e)) throw new ValueError(`CosineAnnealingWarmRestarts.step: epoch must be a finite number >= 0 (got ${e})`);
      if (e >= this.t0) {
        if (this.tMult === 1) this.tCur = e % this.t0;
        else {
          const n = Math.floor(Math.log((e / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = e - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = e;
      }
    }
    this.lastEpoch = Math.floor(e);
    const values = this.getLr();
    const groups = this.optimizer.paramGroups;
    groups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this._lastLr = groups.map((g) => g.lr);
  }
}
