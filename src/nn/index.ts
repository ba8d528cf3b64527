// st.nn: modules, layers, activations, initializers and the functional forms.
// A plain list of re-exports (other parts of nn add their lines here).

export { Module, fieldToKey } from "./module.js";
export type { AnyModule, ForwardHook, ForwardPreHook, ModuleMember, LoadStateDictOptions, LoadStateDictResult } from "./module.js";
export { Parameter } from "./parameter.js";
export { traceModules, isTracingModules, currentModulePath } from "./trace.js";
export { Sequential, ModuleList, ModuleDict } from "./layers/containers.js";
export { Linear, Identity } from "./layers/linear.js";
export type { LinearOptions } from "./layers/linear.js";
export { Flatten } from "./layers/flatten.js";
export { Dropout } from "./layers/dropout.js";
export type { DropoutOptions } from "./layers/dropout.js";
export { BatchNorm1d } from "./layers/batch-norm.js";
export type { BatchNorm1dOptions } from "./layers/batch-norm.js";
export { LayerNorm } from "./layers/layer-norm.js";
export type { LayerNormOptions } from "./layers/layer-norm.js";
export { Embedding } from "./layers/embedding.js";
export type { EmbeddingOptions } from "./layers/embedding.js";
export { Sigmoid, Tanh, ReLU, LeakyReLU, PReLU, ELU, SELU, GELU, Softplus, Softmax, LogSoftmax } from "./layers/activation.js";
export * as functional from "./functional.js";
export * as F from "./functional.js";
export * as init from "./init.js";
