// OneCycleLR: the 1cycle policy (Smith & Topin, 2017) — lr up from maxLr/divFactor to maxLr, then
// down far below the start, with momentum (or Adam's β₁) cycled inversely (PyTorch's OneCycleLR).

import { ValueError } from "../../core/errors.js";
import { checkBool, checkChoice, checkFinite, checkInteger, checkRange, mergeOptions } from "../hyperparams.js";
import type { Optimizer } from "../optimizer.js";
import { LRScheduler, type LrValue, mapLr } from "./lr-scheduler.js";

/** Options of `OneCycleLR` (PyTorch's defaults). */
export interface OneCycleLROptions {
  /** Peak learning rate, or one per parameter group. Required. */
  maxLr: LrValue | readonly LrValue[];
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  /** Number of epochs (with `stepsPerEpoch`, instead of `totalSteps`). */
  epochs?: number;
  /** Optimizer steps per epoch (with `epochs`). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr. Default 0.3. */
  pctStart?: number;
  /** "cos" (default) or "linear" annealing. */
  annealStrategy?: "cos" | "linear";
  /** Cycle momentum (SGD/RMSprop `momentum`, or β₁ of Adam-style `betas`) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr peak. Default 0.85. */
  baseMomentum?: number | readonly number[];
  /** Momentum at the start and end. Default 0.95. */
  maxMomentum?: number | readonly number[];
  /** initialLr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Use three phases (up, down to initialLr, then down to minLr) as in the paper. Default false. */
  threePhase?: boolean;
  /** Index of the last step when resuming. Default −1 (start). */
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle schedule over `totalSteps` lr values (call `step()` after every batch, at most
 * totalSteps − 1 times). Phases (two by default; three with `threePhase`) anneal between the
 * group's `initialLr` = maxLr/divFactor, `maxLr` and `minLr` = initialLr/finalDivFactor:
 *
 *     cos:    η = end + (start − end)/2 · (1 + cos(π·pct))
 *     linear: η = (end − start)·pct + start
 *
 * where pct is the fraction of the current phase done. The group's `momentum` (or `betas[0]`)
 * moves the opposite way between maxMomentum and baseMomentum.
 *
 * @example
 * const opt = new st.optim.SGD([st.zeros([1], { requiresGrad: true })], { lr: 0.05 });
 * const sched = new st.optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: 100 });
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the whole cycle. */
  totalSteps: number;
  /** How the lr moves within a phase: "cos" (default) or "linear". */
  annealStrategy: "cos" | "linear";
  /** Whether momentum (or Adam's β₁) cycles inversely to the lr (default true). */
  cycleMomentum: boolean;
  /** Whether momentum lives in the groups' `betas[0]` (Adam family) rather than `momentum`. */
  useBeta1: boolean;
  /** The phases of the cycle: warm-up, annealing (and the final one with `threePhase`). */
  phases: Phase[];

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    super("OneCycleLR", optimizer);
    const N = "OneCycleLR";
    const o = mergeOptions<OneCycleLROptions & Required<Omit<OneCycleLROptions, "totalSteps" | "epochs" | "stepsPerEpoch">>>(
      N,
      {
        totalSteps: undefined, epochs: undefined, stepsPerEpoch: undefined, pctStart: 0.3, annealStrategy: "cos", cycleMomentum: true,
        baseMomentum: 0.85, maxMomentum: 0.95, divFactor: 25, finalDivFactor: 1e4, threePhase: false, lastEpoch: -1,
      },
      options,
      ["maxLr"],
    );
    if (o.totalSteps !== undefined) {
      checkInteger(N, "totalSteps", o.totalSteps, 1);
      this.totalSteps = o.totalSteps;
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      checkInteger(N, "epochs", o.epochs, 1);
      checkInteger(N, "stepsPerEpoch", o.stepsPerEpoch, 1);
      this.totalSteps = o.epochs * o.stepsPerEpoch;
    } else {
      throw new ValueError(`${N}: give either totalSteps or both epochs and stepsPerEpoch (got ${JSON.stringify({ epochs: o.epochs, stepsPerEpoch: o.stepsPerEpoch })})`);
    }
    checkRange(N, "pctStart", o.pctStart, 0, 1, true);
    checkChoice(N, "annealStrategy", o.annealStrategy, ["cos", "linear"]);
    checkBool(N, "cycleMomentum", o.cycleMomentum);
    checkBool(N, "threePhase", o.threePhase);
    checkFinite(N, "divFactor", o.divFactor);
    checkFinite(N, "finalDivFactor", o.finalDivFactor);
    this.annealStrategy = o.annealStrategy;
    const up = o.pctStart * this.totalSteps - 1;
    this.phases = o.threePhase
      ? [
          { endStep: up, startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
          { endStep: 2 * o.pctStart * this.totalSteps - 2, startLr: "maxLr", endLr: "initialLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
          { endStep: this.totalSteps - 1, startLr: "initialLr", endLr: "minLr", startMomentum: "maxMomentum", endMomentum: "maxMomentum" },
        ]
      : [
          { endStep: up, startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
          { endStep: this.totalSteps - 1, startLr: "maxLr", endLr: "minLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
        ];

    const groups = optimizer.paramGroups;
    const maxLrs = perGroup(N, "maxLr", o.maxLr, groups.length);
    if (o.lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = mapLr((m) => m / o.divFactor, maxLrs[i]!);
        g.maxLr = maxLrs[i]!;
        g.minLr = mapLr((l) => l / o.finalDivFactor, g.initialLr as LrValue);
      });
    }
    this.cycleMomentum = o.cycleMomentum;
    this.useBeta1 = "betas" in optimizer.defaults;
    if (o.cycleMomentum) {
      if (!("momentum" in optimizer.defaults) && !this.useBeta1) {
        throw new ValueError(`${N}: cycleMomentum needs an optimizer with momentum or betas (${optimizer.name} has neither; pass cycleMomentum: false)`);
      }
      const maxM = perGroup(N, "maxMomentum", o.maxMomentum, groups.length);
      const baseM = perGroup(N, "baseMomentum", o.baseMomentum, groups.length);
      maxM.forEach((m) => checkFinite(N, "maxMomentum", m));
      baseM.forEach((m) => checkFinite(N, "baseMomentum", m));
      if (o.lastEpoch === -1) {
        groups.forEach((g, i) => {
          this.setMomentum(g, maxM[i] as number);
          g.maxMomentum = maxM[i];
          g.baseMomentum = baseM[i];
        });
      }
    }
    this.init(o.lastEpoch);
  }

  private setMomentum(g: Record<string, unknown>, m: number): void {
    if (this.useBeta1) g.betas = [m, ...(g.betas as number[]).slice(1)];
    else g.momentum = m;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "linear") return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected override getLr(): LrValue[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError(`OneCycleLR: tried to step ${stepNum + 1} times, but the schedule has totalSteps = ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((g) => {
      let startStep = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const ph = this.phases[i]!;
        if (stepNum <= ph.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (ph.endStep - startStep);
          const lr = mapLr((s, e) => this.anneal(s, e, pct), g[ph.startLr] as LrValue, g[ph.endLr] as LrValue);
          if (this.cycleMomentum) this.setMomentum(g, this.anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct));
          return lr;
        }
        startStep = ph.endStep;
      }
      throw new Error("unreachable: the last phase always matches");
    });
  }
}

function perGroup<T>(owner: string, key: string, v: T | readonly T[], n: number): T[] {
  if (Array.isArray(v)) {
    if (v.length !== n) throw new ValueError(`${owner}: option ${key} has ${v.length} values (expected one per parameter group: ${n})`);
    return [...(v as T[])];
  }
  return new Array<T>(n).fill(v as T);
}
