// st.optim: optimizers (each a class around a pure update function) and learning-rate schedules.
// The pure update functions (sgdUpdate, adamUpdate, …) are public on purpose: they are the
// functional API (their JSDoc states the update rule and has a runnable example), usable without
// an Optimizer object. tests/public-api.test.ts lists every name exported here.

export { Optimizer } from "./optimizer.js";
export type { OptimizerOptions, ParamGroup, ParamGroupSpec, Params, ParamState, OptimizerStateDict, LearningRate, ElementLr } from "./optimizer.js";
export { SGD, sgdUpdate } from "./sgd.js";
export type { SGDOptions, SGDHyper } from "./sgd.js";
export { Adam, adamUpdate } from "./adam.js";
export type { AdamOptions, AdamHyper, AdamState } from "./adam.js";
export { AdamW, adamwUpdate } from "./adamw.js";
export type { AdamWOptions } from "./adamw.js";
export { RMSprop, rmspropUpdate } from "./rmsprop.js";
export type { RMSpropOptions, RMSpropHyper, RMSpropState } from "./rmsprop.js";
export { Adagrad, adagradUpdate } from "./adagrad.js";
export type { AdagradOptions, AdagradHyper } from "./adagrad.js";
export { Adadelta, adadeltaUpdate } from "./adadelta.js";
export type { AdadeltaOptions, AdadeltaHyper, AdadeltaState } from "./adadelta.js";
export { Adamax, adamaxUpdate } from "./adamax.js";
export type { AdamaxOptions, AdamaxHyper, AdamaxState } from "./adamax.js";
export { NAdam, nadamUpdate } from "./nadam.js";
export type { NAdamOptions, NAdamHyper, NAdamState } from "./nadam.js";
export * as lrScheduler from "./lr-scheduler/index.js";
// issue 15: RAdam, Rprop, L-BFGS
export { RAdam, radamUpdate } from "./radam.js";
export type { RAdamOptions, RAdamHyper, RAdamState } from "./radam.js";
export { Rprop, rpropUpdate } from "./rprop.js";
export type { RpropOptions, RpropHyper, RpropState } from "./rprop.js";
export { LBFGS } from "./lbfgs.js";
export type { LBFGSOptions, LBFGSClosure } from "./lbfgs.js";
