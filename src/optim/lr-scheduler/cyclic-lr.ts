// CyclicLR (Smith, 2017, "Cyclical learning rates for training neural networks"): the lr cycles
// between baseLr and maxLr (triangular, triangular2, exp_range or a custom scale), with momentum
// cycled inversely (PyTorch's CyclicLR; call step() after every batch).

import { ValueError } from "../../core/errors.js";
import { checkBool, checkChoice, checkFinite, mergeOptions } from "../hyperparams.js";
import type { Optimizer } from "../optimizer.js";
import { LRScheduler, type LrValue, mapLr } from "./lr-scheduler.js";

/** CyclicLR's amplitude policy: constant ("triangular"), halved each cycle ("triangular2") or ·γ^step ("exp_range"). */
export type CyclicMode = "triangular" | "triangular2" | "exp_range";

/** Options of {@link CyclicLR}: baseLr and maxLr are required, the rest have PyTorch's defaults. */
export interface CyclicLROptions {
  /** Lower lr bound (the lr at the start of each cycle), or one per group. Required. */
  baseLr: number | readonly number[];
  /** Upper lr bound, or one per group. Required. */
  maxLr: number | readonly number[];
  /** Steps of the increasing half of a cycle. Default 2000. */
  stepSizeUp?: number;
  /** Steps of the decreasing half. Default stepSizeUp. */
  stepSizeDown?: number | null;
  /** "triangular" (default), "triangular2" (amplitude halved each cycle), "exp_range" (amplitude ·γ^step). */
  mode?: CyclicMode;
  /** γ of exp_range. Default 1. */
  gamma?: number;
  /** A custom amplitude scale (overrides mode), evaluated at the cycle number or the step (scaleMode). */
  scaleFn?: ((x: number) => number) | null;
  /** What scaleFn is evaluated at: "cycle" (default) or "iterations". */
  scaleMode?: "cycle" | "iterations";
  /** Cycle the groups' momentum inversely to the lr (needs an optimizer with momentum). Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr peak. Default 0.8. */
  baseMomentum?: number | readonly number[];
  /** Momentum at the cycle's ends. Default 0.9. */
  maxMomentum?: number | readonly number[];
  /** Index of the last step when resuming. Default −1 (start). */
  lastEpoch?: number;
}

/**
 * With cycle = ⌊1 + t/(up + down)⌋, x = 1 + t/(up + down) − cycle and r = up/(up + down):
 *
 *     s = x/r (rising, x ≤ r),   (x − 1)/(r − 1) (falling)
 *     η = baseLr + (maxLr − baseLr)·s·scale,   μ = maxMomentum − (maxMomentum − baseMomentum)·s·scale
 *
 * scale = 1 (triangular), 1/2^(cycle−1) (triangular2), γ^t (exp_range), or scaleFn. As in PyTorch,
 * constructing it sets every group's lr to baseLr (and momentum to baseMomentum).
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
 * const sched = new st.optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
 * sched.getLastLr(); // [0.01]
 * opt.step();
 * sched.step();
 * sched.getLastLr(); // ≈ [0.055] — halfway up the first cycle
 */
export class CyclicLR extends LRScheduler {
  /** The upper lr bound of each parameter group (from the maxLr option). */
  maxLrs: number[];
  /** Steps in one cycle: stepSizeUp + stepSizeDown (default 2000 + 2000). */
  totalSize: number;
  /** The rising fraction of a cycle, stepSizeUp / totalSize (default 0.5). */
  stepRatio: number;
  /** The amplitude policy (default "triangular"); unused when a scaleFn was given. */
  mode: CyclicMode;
  /** γ of "exp_range": the amplitude is scaled by γ^step (default 1). */
  gamma: number;
  /** What the scale function is evaluated at: the cycle number ("cycle") or the step ("iterations"); set by mode unless scaleFn is given. */
  scaleMode: "cycle" | "iterations";
  /** Whether momentum cycles inversely to the lr (default true). */
  cycleMomentum: boolean;
  /** Momentum of each group at the lr peak (default 0.8; empty without cycleMomentum). */
  baseMomentums: number[] = [];
  /** Momentum of each group at the cycle's ends (default 0.9; empty without cycleMomentum). */
  maxMomentums: number[] = [];
  private readonly scaleFn: (x: number) => number;
  private readonly cyclicBaseLrs: number[];

  constructor(optimizer: Optimizer, options: CyclicLROptions) {
    super("CyclicLR", optimizer);
    const N = "CyclicLR";
    const o = mergeOptions<Required<CyclicLROptions>>(N, {
      stepSizeUp: 2000, stepSizeDown: null, mode: "triangular", gamma: 1, scaleFn: null, scaleMode: "cycle",
      cycleMomentum: true, baseMomentum: 0.8, maxMomentum: 0.9, lastEpoch: -1,
    }, options, ["baseLr", "maxLr"]);
    const groups = optimizer.paramGroups;
    const baseLrs = perGroup(N, "baseLr", o.baseLr, groups.length);
    if (o.lastEpoch === -1) groups.forEach((g, i) => { g.lr = baseLrs[i]!; });
    this.maxLrs = perGroup(N, "maxLr", o.maxLr, groups.length);
    checkFinite(N, "stepSizeUp", o.stepSizeUp);
    if (!(o.stepSizeUp > 0)) throw new ValueError(`${N}: option stepSizeUp must be > 0 (got ${o.stepSizeUp})`);
    const down = o.stepSizeDown ?? o.stepSizeUp;
    checkFinite(N, "stepSizeDown", down);
    if (!(down >= 0)) throw new ValueError(`${N}: option stepSizeDown must be >= 0 (got ${down})`);
    this.totalSize = o.stepSizeUp + down;
    this.stepRatio = o.stepSizeUp / this.totalSize;
    checkChoice(N, "mode", o.mode, ["triangular", "triangular2", "exp_range"]);
    checkFinite(N, "gamma", o.gamma);
    this.mode = o.mode;
    this.gamma = o.gamma;
    if (o.scaleFn !== null) {
      if (typeof o.scaleFn !== "function") throw new ValueError(`${N}: option scaleFn must be a function (got ${typeof o.scaleFn})`);
      checkChoice(N, "scaleMode", o.scaleMode, ["cycle", "iterations"]);
      this.scaleFn = o.scaleFn;
      this.scaleMode = o.scaleMode;
    } else if (o.mode === "triangular") {
      this.scaleFn = () => 1;
      this.scaleMode = "cycle";
    } else if (o.mode === "triangular2") {
      this.scaleFn = (x) => 1 / 2 ** (x - 1);
      this.scaleMode = "cycle";
    } else {
      const gamma = o.gamma;
      this.scaleFn = (x) => gamma ** x;
      this.scaleMode = "iterations";
    }
    checkBool(N, "cycleMomentum", o.cycleMomentum);
    this.cycleMomentum = o.cycleMomentum;
    if (o.cycleMomentum) {
      if (!("momentum" in optimizer.defaults)) {
        throw new ValueError(`${N}: cycleMomentum needs an optimizer with momentum (${optimizer.name} has none; pass cycleMomentum: false)`);
      }
      const baseM = perGroup(N, "baseMomentum", o.baseMomentum, groups.length);
      if (o.lastEpoch === -1) groups.forEach((g, i) => { g.momentum = baseM[i]; });
      this.baseMomentums = groups.map((g) => g.momentum as number);
      this.maxMomentums = perGroup(N, "maxMomentum", o.maxMomentum, groups.length);
    }
    this.cyclicBaseLrs = baseLrs;
    this.init(o.lastEpoch);
  }

  protected override getLr(): LrValue[] {
    const t = this.lastEpoch;
    const cycle = Math.floor(1 + t / this.totalSize);
    const x = 1 + t / this.totalSize - cycle;
    const s = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === "cycle" ? cycle : t);
    const lrs = this.cyclicBaseLrs.map((base, i) => mapLr((b) => b + (this.maxLrs[i]! - b) * s * scale, base));
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const maxM = this.maxMomentums[i]!;
        g.momentum = maxM - (maxM - this.baseMomentums[i]!) * s * scale;
      });
    }
    return lrs;
  }

  protected override get stateExclude(): readonly string[] {
    return ["scaleFn"];
  }
}

function perGroup(owner: string, key: string, v: number | readonly number[], n: number): number[] {
  const out = Array.isArray(v) ? [...(v as number[])] : new Array<number>(n).fill(v as number);
  if (out.length !== n) throw new ValueError(`${owner}: option ${key} has ${out.length} values (expected one per parameter group: ${n})`);
  out.forEach((x, i) => checkFinite(owner, `${key}[${i}]`, x));
  return out;
}
