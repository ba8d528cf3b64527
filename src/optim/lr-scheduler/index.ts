// st.optim.lrScheduler: learning-rate schedules with PyTorch's semantics (the constructor takes the
// initial step; call step() after optimizer.step()).

export { LRScheduler, mapLr } from "./lr-scheduler.js";
export type { LrValue } from "./lr-scheduler.js";
export { StepLR } from "./step-lr.js";
export type { StepLROptions } from "./step-lr.js";
export { MultiStepLR } from "./multi-step-lr.js";
export type { MultiStepLROptions } from "./multi-step-lr.js";
export { ExponentialLR } from "./exponential-lr.js";
export type { ExponentialLROptions } from "./exponential-lr.js";
export { CosineAnnealingLR } from "./cosine-annealing-lr.js";
export type { CosineAnnealingLROptions } from "./cosine-annealing-lr.js";
export { LinearLR, linearWarmup } from "./linear-lr.js";
export type { LinearLROptions } from "./linear-lr.js";
export { OneCycleLR } from "./one-cycle-lr.js";
export type { OneCycleLROptions } from "./one-cycle-lr.js";
export { ReduceLROnPlateau } from "./reduce-lr-on-plateau.js";
export type { ReduceLROnPlateauOptions } from "./reduce-lr-on-plateau.js";
export { LambdaLR } from "./lambda-lr.js";
export type { LambdaLROptions, LrLambda } from "./lambda-lr.js";
export { SequentialLR } from "./sequential-lr.js";
export type { SequentialLROptions } from "./sequential-lr.js";
export { ChainedScheduler } from "./chained-scheduler.js";
// issue 15
export { CosineAnnealingWarmRestarts } from "./cosine-annealing-warm-restarts.js";
export type { CosineAnnealingWarmRestartsOptions } from "./cosine-annealing-warm-restarts.js";
export { CyclicLR } from "./cyclic-lr.js";
export type { CyclicLROptions, CyclicMode } from "./cyclic-lr.js";
export { PolynomialLR } from "./polynomial-lr.js";
export type { PolynomialLROptions } from "./polynomial-lr.js";
