// The strong-Wolfe line search of LBFGS, a line-by-line port of PyTorch's _strong_wolfe and
// _cubic_interpolate (themselves from torch/optim's lswolfe.lua and polyinterp.lua), on plain
// float64 vectors so the bracketing decisions are PyTorch's exactly.

/** Σ aᵢbᵢ. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** max |aᵢ| (0 for an empty vector). */
export function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/**
 * The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, clamped to `bounds`
 * (default [min(x1, x2), max(x1, x2)]); the bounds' midpoint when the cubic has no real minimizer:
 *
 *     d1 = g1 + g2 − 3(f1 − f2)/(x1 − x2),   d2 = √(d1² − g1g2)
 *     x* = x2 − (x2 − x1)·(g2 + d2 − d1)/(g2 − g1 + 2d2)        (x1 ≤ x2; mirrored otherwise)
 * @example
 * import { cubicInterpolate } from "./strong-wolfe.js";
 * cubicInterpolate(0, 1, -1, 1, 1, 1); // 0.5 (the symmetric valley's bottom)
 */
export function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** The objective along the search direction: t ↦ [f(x + t·d), ∇f(x + t·d)]. */
export type LineObjective = (t: number) => [number, Float64Array];

export interface StrongWolfeOptions {
  /** Sufficient-decrease (Armijo) constant. Default 1e-4. */
  c1?: number;
  /** Curvature constant. Default 0.9. */
  c2?: number;
  /** Stop zooming when the bracket is this narrow (times max|d|). Default 1e-9. */
  toleranceChange?: number;
  /** Most objective evaluations. Default 25. */
  maxLs?: number;
}

/**
 * A step length t along the descent direction d from f, g (gtd = gᵀd < 0) satisfying the strong
 * Wolfe conditions f(t) ≤ f + c1·t·gtd and |∇f(t)ᵀd| ≤ −c2·gtd: first bracket an interval (growing t
 * by cubic extrapolation), then zoom into it by cubic interpolation, moving a trial point that
 * lands within 10 % of an end to 10 % inside (PyTorch's safeguard). Returns the accepted point's
 * loss, gradient, t and the number of evaluations.
 */
export function strongWolfe(
  obj: LineObjective, t0: number, d: Float64Array, f: number, g: Float64Array, gtd: number, opts: StrongWolfeOptions = {},
): { f: number; g: Float64Array; t: number; evals: number } {
  const c1 = opts.c1 ?? 1e-4;
  const c2 = opts.c2 ?? 0.9;
  const tolChange = opts.toleranceChange ?? 1e-9;
  const maxLs = opts.maxLs ?? 25;
  let t = t0;
  const dNorm = maxAbs(d);
  let [fNew, gNew] = obj(t);
  let evals = 1;
  let gtdNew = dot(gNew, d);
  let tPrev = 0, fPrev = f, gPrev = g, gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [], bracketF: number[] = [], bracketG: Float64Array[] = [], bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew.slice()]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t]; bracketF = [fNew]; bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew.slice()]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    // extrapolate
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp; fPrev = fNew; gPrev = gNew.slice(); gtdPrev = gtdNew;
    [fNew, gNew] = obj(t);
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLs) {
    bracket = [0, t]; bracketF = [f, fNew]; bracketG = [g, gNew];
  }

  // zoom
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1]! - bracket[0]!) * dNorm < tolChange) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);
    const bMax = Math.max(...bracket), bMin = Math.min(...bracket);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;
    [fNew, gNew] = obj(t);
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]!) {
      bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = gNew.slice(); bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) done = true;
      else if (gtdNew * (bracket[highPos]! - bracket[lowPos]!) >= 0) {
        bracket[highPos] = bracket[lowPos]!; bracketF[highPos] = bracketF[lowPos]!; bracketG[highPos] = bracketG[lowPos]!; bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = gNew.slice(); bracketGtd[lowPos] = gtdNew;
    }
  }
  return { f: bracketF[lowPos]!, g: bracketG[lowPos]!, t: bracket[lowPos]!, evals };
}
