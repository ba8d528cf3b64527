// The Keras-style training API, re-exported at the top level of the package: st.sequential,
// st.model, st.Model, st.layers, st.History, st.TerminateOnNaN (st.loadModel is in src/node.ts).

export { Model } from "./model.js";
export type { ModelOptions } from "./model.js";
export { sequential, model } from "./sequential.js";
export type { FitOptions, EvaluateOptions } from "./fit-options.js";
export type { CompileOptions } from "./compile.js";
export type { OptimizerSpec, NamedOptimizer } from "./compile-optimizers.js";
export type { LossSpec } from "./compile-losses.js";
export type { BatchIterable, ClassWeight } from "./fit-data.js";
export { History } from "./callbacks/history.js";
export type { NonFiniteStop } from "./callbacks/history.js";
export { TerminateOnNaN } from "./callbacks/terminate-on-nan.js";
export type { TerminateOnNaNOptions } from "./callbacks/terminate-on-nan.js";
export * as layers from "./layers/index.js";
