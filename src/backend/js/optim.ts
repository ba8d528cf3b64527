// js kernels of the optimizer updates (Adam/AdamW, SGD, RMSprop), in place over flat arrays.
// They are the kernel-table entries adamStep / sgdStep / rmspropStep: the js backend runs them for
// every case, the native backend hands the common case (number lr, no AMSGrad, not maximizing) to
// its fused kernels and the rest here. The arithmetic is PyTorch's, in the order the optimizer
// files documented it, so results are bit-identical to the op-by-op path they replace.

import type { TypedArray } from "../../core/dtype.js";

/** A learning rate per element: one number, or one value per parameter element. */
export type ElementLr = number | ArrayLike<number>;

/** The learning rate of element `i`. */
export function lrAt(lr: ElementLr, i: number): number {
  return typeof lr === "number" ? lr : lr[i]!;
}

/** Hyper-parameters of one Adam/AdamW step; `step` is t ≥ 1. */
export interface AdamStepAttrs {
  step: number; beta1: number; beta2: number; eps: number; weightDecay: number;
  maximize: boolean;
  /** AdamW: θ ← θ·(1 − η·λ) before the step instead of adding λ·θ to the gradient. */
  decoupled: boolean;
}

export interface SgdStepAttrs {
  momentum: number; dampening: number; nesterov: boolean; weightDecay: number; maximize: boolean;
  /** The momentum buffer holds nothing yet (it is set to the gradient). */
  firstStep: boolean;
}

export interface RmspropStepAttrs {
  alpha: number; eps: number; weightDecay: number; momentum: number; maximize: boolean;
}

/**
 * One Adam step (see optim/adam.ts for the rule). `vmax` is AMSGrad's running maximum or null.
 * With `decoupled` the weight decay is AdamW's, applied first as its own pass.
 */
export function adamStep(
  p: TypedArray, grad: ArrayLike<number>, m: TypedArray, v: TypedArray, vmax: TypedArray | null, lr: ElementLr, a: AdamStepAttrs,
): void {
  const { beta1, beta2, eps, maximize } = a;
  let weightDecay = a.weightDecay;
  if (a.decoupled) {
    if (weightDecay !== 0) for (let i = 0; i < p.length; i++) p[i] = p[i]! * (1 - lrAt(lr, i) * weightDecay);
    weightDecay = 0;
  }
  const t = a.step;
  const bc1 = 1 - beta1 ** t;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * p[i]!;
    m[i] = m[i]! * beta1 + (1 - beta1) * g;
    v[i] = v[i]! * beta2 + (1 - beta2) * g * g;
    let vi = v[i]!;
    if (vmax !== null) vi = vmax[i] = Math.max(vmax[i]!, vi);
    const denom = Math.sqrt(vi) / bc2Sqrt + eps;
    p[i] = p[i]! - (lrAt(lr, i) / bc1) * (m[i]! / denom);
  }
}

/** One SGD step (see optim/sgd.ts); `buf` is the momentum buffer, null when momentum = 0. */
export function sgdStep(p: TypedArray, grad: ArrayLike<number>, buf: TypedArray | null, lr: ElementLr, a: SgdStepAttrs): void {
  const { momentum, dampening, nesterov, weightDecay, maximize, firstStep: first } = a;
  for (let i = 0; i < p.length; i++) {
    let d = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) d += weightDecay * p[i]!;
    if (buf !== null && momentum !== 0) {
      buf[i] = first ? d : buf[i]! * momentum + (1 - dampening) * d;
      // read the buffer back: it is stored in the parameter's dtype, as PyTorch's is
      d = nesterov ? d + momentum * buf[i]! : buf[i]!;
    }
    p[i] = p[i]! - lrAt(lr, i) * d;
  }
}

/** One RMSprop step (see optim/rmsprop.ts); gradAvg (centered) and buf (momentum) may be null. */
export function rmspropStep(
  p: TypedArray, grad: ArrayLike<number>, sq: TypedArray, buf: TypedArray | null, ga: TypedArray | null, lr: ElementLr, a: RmspropStepAttrs,
): void {
  const { alpha, eps, weightDecay, momentum, maximize } = a;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * p[i]!;
    sq[i] = sq[i]! * alpha + (1 - alpha) * g * g;
    let avg: number;
    if (ga !== null) {
      ga[i] = ga[i]! * alpha + (1 - alpha) * g;
      avg = Math.sqrt(sq[i]! - ga[i]! * ga[i]!) + eps;
    } else avg = Math.sqrt(sq[i]!) + eps;
    if (buf !== null && momentum > 0) {
      buf[i] = buf[i]! * momentum + g / avg;
      p[i] = p[i]! - lrAt(lr, i) * buf[i]!;
    } else p[i] = p[i]! - lrAt(lr, i) * (g / avg);
  }
}

export interface AdagradStepAttrs { step: number; lrDecay: number; weightDecay: number; eps: number; maximize: boolean }

/** One Adagrad step (see optim/adagrad.ts); `sum` is the accumulator of squared gradients. */
export function adagradStep(p: TypedArray, grad: ArrayLike<number>, sum: TypedArray, lr: ElementLr, a: AdagradStepAttrs): void {
  const { lrDecay, weightDecay, eps, maximize } = a;
  const decay = 1 + (a.step - 1) * lrDecay;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * p[i]!;
    sum[i] = sum[i]! + g * g;
    const std = Math.sqrt(sum[i]!) + eps;
    p[i] = p[i]! - (lrAt(lr, i) / decay) * (g / std);
  }
}

export interface AdadeltaStepAttrs { rho: number; eps: number; weightDecay: number; maximize: boolean }

/** One Adadelta step (see optim/adadelta.ts). */
export function adadeltaStep(p: TypedArray, grad: ArrayLike<number>, sq: TypedArray, acc: TypedArray, lr: ElementLr, a: AdadeltaStepAttrs): void {
  const { rho, eps, weightDecay, maximize } = a;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * p[i]!;
    sq[i] = sq[i]! * rho + (1 - rho) * g * g;
    const std = Math.sqrt(sq[i]! + eps);
    const delta = (Math.sqrt(acc[i]! + eps) / std) * g;
    acc[i] = acc[i]! * rho + (1 - rho) * delta * delta;
    p[i] = p[i]! - lrAt(lr, i) * delta;
  }
}

export interface AdamaxStepAttrs { step: number; beta1: number; beta2: number; eps: number; weightDecay: number; maximize: boolean }

/** One Adamax step (see optim/adamax.ts). */
export function adamaxStep(p: TypedArray, grad: ArrayLike<number>, m: TypedArray, u: TypedArray, lr: ElementLr, a: AdamaxStepAttrs): void {
  const { beta1, beta2, eps, weightDecay, maximize } = a;
  const bc1 = 1 - beta1 ** a.step;
  for (let i = 0; i < p.length; i++) {
    let g = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) g += weightDecay * p[i]!;
    m[i] = m[i]! * beta1 + (1 - beta1) * g;
    // Math.max keeps a NaN, as torch.amax does
    u[i] = Math.max(u[i]! * beta2, Math.abs(g) + eps);
    p[i] = p[i]! - (lrAt(lr, i) / bc1) * (m[i]! / u[i]!);
  }
}

export interface NadamStepAttrs {
  step: number; beta1: number; beta2: number; eps: number; weightDecay: number; momentumDecay: number;
  decoupledWeightDecay: boolean; maximize: boolean;
  /** Π_{k<t} μₖ (1 before the first step). */
  muProduct: number;
}

/** NAdam's momentum schedule μₜ = β₁(1 − ½·0.96^(tψ)). */
export function nadamMu(t: number, beta1: number, momentumDecay: number): number {
  return beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
}

/** One NAdam step (see optim/nadam.ts). */
export function nadamStep(p: TypedArray, grad: ArrayLike<number>, m: TypedArray, v: TypedArray, lr: ElementLr, a: NadamStepAttrs): void {
  const { beta1, beta2, eps, weightDecay, decoupledWeightDecay, maximize, step: t } = a;
  const bc2 = 1 - beta2 ** t;
  const mu = nadamMu(t, beta1, a.momentumDecay);
  const muNext = nadamMu(t + 1, beta1, a.momentumDecay);
  const prod = a.muProduct * mu;
  const prodNext = prod * muNext;
  const l2 = decoupledWeightDecay ? 0 : weightDecay;
  for (let i = 0; i < p.length; i++) {
    const lri = lrAt(lr, i);
    if (decoupledWeightDecay && weightDecay !== 0) p[i] = p[i]! * (1 - lri * weightDecay);
    let g = maximize ? -grad[i]! : grad[i]!;
    if (l2 !== 0) g += l2 * p[i]!;
    m[i] = m[i]! * beta1 + (1 - beta1) * g;
    v[i] = v[i]! * beta2 + (1 - beta2) * g * g;
    const denom = Math.sqrt(v[i]! / bc2) + eps;
    const stepped = p[i]! - ((lri * (1 - mu)) / (1 - prod)) * (g / denom);
    p[i] = stepped - ((lri * muNext) / (1 - prodNext)) * (m[i]! / denom);
  }
}
