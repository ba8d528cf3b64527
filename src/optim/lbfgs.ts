// L-BFGS (PyTorch's torch.optim.LBFGS): a quasi-Newton method that builds an inverse-Hessian
// estimate from the last `historySize` steps and gradient changes; closure-based, with an optional
// strong-Wolfe line search. The arithmetic runs on float64 copies of the flattened parameters.

import { tensor } from "../core/creation.js";
import { ValueError } from "../core/errors.js";
import { enableGrad, noGrad } from "../core/grad-mode.js";
import { Tensor } from "../core/tensor.js";
import { assign } from "./assign.js";
import { checkChoice, checkInteger, checkNonNegative, mergeOptions } from "./hyperparams.js";
import { type OptimizerOptions, type ParamGroup, type ParamState, type Params, Optimizer } from "./optimizer.js";
import { dot, maxAbs, strongWolfe } from "./strong-wolfe.js";

export interface LBFGSOptions extends OptimizerOptions {
  /** Most iterations per `step` call. Default 20. */
  maxIter: number;
  /** Most objective evaluations per `step` call. Default ⌊maxIter·5/4⌋. */
  maxEval: number;
  /** Stop when max |∇f| ≤ this. Default 1e-7. */
  toleranceGrad: number;
  /** Stop when the step, the loss change or the directional derivative is below this. Default 1e-9. */
  toleranceChange: number;
  /** Number of (s, y) pairs kept. Default 100. */
  historySize: number;
  /** "strong_wolfe" or null (fixed step lr). Default null. */
  lineSearchFn: "strong_wolfe" | null;
}

/** What the closure returns: the loss as a tensor or a number (its gradients already computed). */
export type LBFGSClosure = () => Tensor | number;

/**
 * L-BFGS, PyTorch's algorithm and defaults (lr 1, maxIter 20, maxEval maxIter·5/4, toleranceGrad
 * 1e-7, toleranceChange 1e-9, historySize 100, lineSearchFn null). One `step(closure)` runs up to
 * maxIter iterations; the closure zeroes the gradients, computes the loss, calls backward and
 * returns the loss. Each iteration:
 *
 *     y = g − g_prev,  s = t·d;  keep (s, y, ρ = 1/yᵀs) if yᵀs > 1e-10;  H₀ = yᵀs/yᵀy
 *     d = −H·g by the two-loop recursion over the kept pairs (d = −g on the first iteration)
 *     t = min(1, 1/Σ|g|)·lr on the first iteration, lr afterwards; with "strong_wolfe", t from
 *     the strong-Wolfe line search (c1 1e-4, c2 0.9, at most 25 evaluations)
 *     θ ← θ + t·d
 *
 * and it stops at max|g| ≤ toleranceGrad, max|t·d| ≤ toleranceChange, |Δloss| < toleranceChange,
 * gᵀd > −toleranceChange, maxIter or maxEval. One parameter group only. `state` of the first
 * parameter holds func_evals and n_iter; the history itself is not part of `stateDict()`.
 *
 * @example
 * const xy = st.tensor([-1.5, 2], { dtype: "float64", requiresGrad: true });
 * const opt = new st.optim.LBFGS([xy], { lineSearchFn: "strong_wolfe" });
 * const rosenbrock = () => {
 *   opt.zeroGrad();
 *   const [x, y] = [xy.narrow(0, 0, 1), xy.narrow(0, 1, 1)];
 *   const loss = x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)).sum();
 *   loss.backward();
 *   return loss;
 * };
 * for (let i = 0; i < 5; i++) opt.step(rosenbrock);
 * xy.toArray(); // ≈ [1, 1]
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  private d: Float64Array | null = null;
  private t = 0;
  private oldDirs: Float64Array[] = [];
  private oldStps: Float64Array[] = [];
  private ro: number[] = [];
  private hDiag = 1;
  private prevFlatGrad: Float64Array | null = null;
  private prevLoss = 0;

  constructor(params: Params<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    const maxIter = options.maxIter ?? 20;
    super("LBFGS", params, mergeOptions<LBFGSOptions>("LBFGS", {
      lr: 1, maxIter, maxEval: Math.floor((maxIter * 5) / 4), toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null,
    }, options));
    if (this.paramGroups.length !== 1) throw new ValueError(`LBFGS: only one parameter group is supported (got ${this.paramGroups.length}), as in PyTorch`);
  }

  protected override checkOptions(o: LBFGSOptions, ctx: string): void {
    checkInteger("LBFGS", "maxIter", o.maxIter, 1, ctx);
    checkInteger("LBFGS", "maxEval", o.maxEval, 1, ctx);
    checkNonNegative("LBFGS", "toleranceGrad", o.toleranceGrad, ctx);
    checkNonNegative("LBFGS", "toleranceChange", o.toleranceChange, ctx);
    checkInteger("LBFGS", "historySize", o.historySize, 1, ctx);
    if (o.lineSearchFn !== null) checkChoice("LBFGS", "lineSearchFn", o.lineSearchFn, ["strong_wolfe"], ctx);
  }

  protected override update(_p: Tensor, _g: Tensor, _group: ParamGroup<LBFGSOptions>, _s: ParamState): void {
    throw new ValueError("LBFGS: step needs a closure that recomputes the loss (opt.step(() => { opt.zeroGrad(); const l = f(); l.backward(); return l; }))");
  }

  private get params(): Tensor[] {
    return this.paramGroups[0]!.params;
  }

  private flatGrad(): Float64Array {
    const n = this.params.reduce((a, p) => a + p.size, 0);
    const out = new Float64Array(n);
    let off = 0;
    for (const p of this.params) {
      if (p.grad !== null) out.set(p.grad.dataSync(), off);
      off += p.size;
    }
    return out;
  }

  private snapshot(): Float64Array[] {
    return this.params.map((p) => Float64Array.from(p.dataSync()));
  }

  /** θ ← x + t·d (x: a snapshot, or the current values when null), in each parameter's dtype. */
  private setParams(x: Float64Array[] | null, t: number, d: Float64Array | null): void {
    let off = 0;
    this.params.forEach((p, i) => {
      const base = x === null ? p.dataSync() : x[i]!;
      const v = p.dtype === "float32" ? new Float32Array(p.size) : new Float64Array(p.size);
      for (let k = 0; k < p.size; k++) v[k] = d === null ? base[k]! : base[k]! + t * d[off + k]!;
      assign("LBFGS.step", p, tensor(v, { shape: p.shape.slice(), dtype: p.dtype }));
      off += p.size;
    });
  }

  private evaluate(closure: LBFGSClosure): number {
    return lossValue(enableGrad(closure));
  }

  /**
   * Runs up to maxIter L-BFGS iterations on `closure` (which zeroes the gradients, computes the
   * loss, calls backward and returns the loss) and returns the closure's first result.
   */
  override step<L = undefined>(closure?: () => L): L | undefined {
    if (typeof closure !== "function") {
      throw new ValueError("LBFGS.step: a closure is required (opt.step(() => { opt.zeroGrad(); const l = f(); l.backward(); return l; }))");
    }
    const cl = closure as unknown as LBFGSClosure;
    const group = this.paramGroups[0]!;
    const lr = group.lr;
    if (typeof lr !== "number") throw new ValueError("LBFGS: lr must be a number");
    const { maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const p0 = this.params[0]!;
    const state = this.state.get(p0) ?? {};
    this.state.set(p0, state);
    state.func_evals = (state.func_evals as number | undefined) ?? 0;
    state.n_iter = (state.n_iter as number | undefined) ?? 0;

    const origLoss = enableGrad(closure);
    let loss = lossValue(origLoss);
    let currentEvals = 1;
    state.func_evals += 1;
    let flatGrad = this.flatGrad();
    let optCond = maxAbs(flatGrad) <= toleranceGrad;
    if (optCond) return origLoss;

    noGrad(() => {
      let nIter = 0;
      while (nIter < maxIter) {
        nIter++;
        state.n_iter = (state.n_iter as number) + 1;
        let d: Float64Array;
        if (state.n_iter === 1) {
          d = flatGrad.map((v) => -v);
          this.oldDirs = [];
          this.oldStps = [];
          this.ro = [];
          this.hDiag = 1;
        } else {
          const prevD = this.d!;
          const y = flatGrad.map((v, i) => v - this.prevFlatGrad![i]!);
          const s = prevD.map((v) => v * this.t);
          const ys = dot(y, s);
          if (ys > 1e-10) {
            if (this.oldDirs.length === historySize) {
              this.oldDirs.shift();
              this.oldStps.shift();
              this.ro.shift();
            }
            this.oldDirs.push(y);
            this.oldStps.push(s);
            this.ro.push(1 / ys);
            this.hDiag = ys / dot(y, y);
          }
          // two-loop recursion: d = −H·g
          const num = this.oldDirs.length;
          const al = new Array<number>(num);
          const q = flatGrad.map((v) => -v);
          for (let i = num - 1; i >= 0; i--) {
            al[i] = dot(this.oldStps[i]!, q) * this.ro[i]!;
            const od = this.oldDirs[i]!;
            for (let k = 0; k < q.length; k++) q[k] = q[k]! - al[i]! * od[k]!;
          }
          d = q.map((v) => v * this.hDiag);
          for (let i = 0; i < num; i++) {
            const beI = dot(this.oldDirs[i]!, d) * this.ro[i]!;
            const os = this.oldStps[i]!;
            const a = al[i]! - beI;
            for (let k = 0; k < d.length; k++) d[k] = d[k]! + a * os[k]!;
          }
        }
        this.d = d;
        this.prevFlatGrad = flatGrad.slice();
        this.prevLoss = loss;

        let sumAbs = 0;
        for (const v of flatGrad) sumAbs += Math.abs(v);
        let t = state.n_iter === 1 ? Math.min(1, 1 / sumAbs) * lr : lr;
        this.t = t; // PyTorch keeps this t when it stops right here
        const gtd = dot(flatGrad, d);
        if (gtd > -toleranceChange) break;

        let lsEvals = 0;
        if (lineSearchFn === "strong_wolfe") {
          const x = this.snapshot();
          const obj = (tt: number): [number, Float64Array] => {
            this.setParams(x, tt, d);
            const f = this.evaluate(cl);
            const g = this.flatGrad();
            this.setParams(x, 0, null);
            return [f, g];
          };
          const r = strongWolfe(obj, t, d, loss, flatGrad, gtd, { toleranceChange });
          loss = r.f;
          flatGrad = r.g;
          t = r.t;
          lsEvals = r.evals;
          this.setParams(null, t, d);
          optCond = maxAbs(flatGrad) <= toleranceGrad;
        } else {
          this.setParams(null, t, d);
          if (nIter !== maxIter) {
            loss = this.evaluate(cl);
            flatGrad = this.flatGrad();
            optCond = maxAbs(flatGrad) <= toleranceGrad;
            lsEvals = 1;
          }
        }
        this.t = t;
        currentEvals += lsEvals;
        state.func_evals = (state.func_evals as number) + lsEvals;

        if (nIter === maxIter) break;
        if (currentEvals >= maxEval) break;
        if (optCond) break;
        if (maxAbs(d) * Math.abs(t) <= toleranceChange) break;
        if (Math.abs(loss - this.prevLoss) < toleranceChange) break;
      }
    });
    return origLoss;
  }
}

/** The closure's result as a number (a one-element tensor or a number), or a ValueError. */
function lossValue(r: unknown): number {
  if (r instanceof Tensor && r.size === 1) return r.item();
  if (typeof r === "number") return r;
  throw new ValueError(`LBFGS.step: the closure must return the loss (a one-element Tensor or a number), got ${r instanceof Tensor ? `a tensor of ${r.size} elements` : r === null ? "null" : typeof r}`);
}
