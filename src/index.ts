// steadytensor: the public API. `import * as st from "steadytensor"`.

import "./ops/methods.js";
import "./ops/methods-shape.js";
import "./autograd/methods.js";
import "./ops/methods-linalg.js";
// the tensor toolbox's method forms (issue 15)
import "./ops/methods-toolbox.js";
import "./ops/methods-toolbox-index.js";
import "./numerics/methods-allclose.js";
import * as autogradApi from "./autograd/api.js";

export { Tensor } from "./core/tensor.js";
export type { NestedArray, GradHook } from "./core/tensor.js";
export type { DType, TypedArray } from "./core/dtype.js";
export { promoteTypes } from "./core/dtype.js";
// the error classes (fmtShape, their message helper, stays inside the package)
export { SteadyError, ShapeError, DTypeError, IndexError, NonFiniteError, AutogradError, ValueError, FormatError } from "./core/errors.js";
export { LinAlgError } from "./core/errors.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./core/grad-mode.js";
export {
  tensor, scalar, zeros, ones, full, arange, linspace, eye, zerosLike, onesLike, fullLike, emptyLike,
} from "./core/creation.js";
export type { TensorOptions } from "./core/creation.js";
export { rand, randn, randint, bernoulli, randperm, uniform, normal, randLike, randnLike } from "./core/random-creation.js";
export type { RandomOptions } from "./core/random-creation.js";
export { Generator, manualSeed, seed, initialSeed, defaultGenerator } from "./core/random.js";

export {
  neg, abs, sign, exp, expm1, log, log1p, sqrt, rsqrt, square, sin, cos, tanh, sigmoid, relu, erf, floor, ceil, round,
  cast, isFinite, isNaN, logicalNot, add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge,
  logicalAnd, logicalOr, where, clamp,
} from "./ops/elementwise.js";
export { sum, mean, prod, max, min, amax, amin, argmax, argmin, variance as var, std, logsumexp, softmax, logSoftmax, norm } from "./ops/reduce.js";
export type { Dims, VarOptions, NormOrd } from "./ops/reduce.js";
export { matmul, dot, outer, cov, corrcoef, diagonal } from "./ops/linalg.js";
export {
  reshape, view, flatten, squeeze, unsqueeze, expand, broadcastTo, permute, transpose, slice, index, sliceScatter, narrow,
  cat, stack, split, chunk, pad, repeat,
} from "./ops/shape.js";
export type { SliceArgs, SliceRange, SliceSpec } from "./ops/shape.js";
export { gather, scatterAdd, indexSelect, indexAdd, maskedFill, oneHot, tril, triu } from "./ops/indexing.js";
export type { TensorLike } from "./ops/util.js";
export * as linalg from "./ops/linalg-namespace.js";
export * as nn from "./nn/index.js";

/** Autograd: grad (with createGraph for higher order), backward, vjp, hvp. */
export const autograd = {
  /** Gradients of outputs with respect to inputs, returned rather than accumulated (torch.autograd.grad). */
  grad: autogradApi.grad,
  /** Backpropagates from tensors into the leaves' `.grad` (torch.autograd.backward). */
  backward: autogradApi.backward,
  /** f(x) and the vector-Jacobian product vᵀ·∂f/∂x. */
  vjp: autogradApi.vjp,
  /** f(x) and the Hessian-vector product H·v. */
  hvp: autogradApi.hvp,
};
export type { BackwardOptions, GradOptions } from "./autograd/api.js";
export { detach } from "./autograd/api.js";
export { profile } from "./autograd/profile.js";
export type { ProfileResult, ProfileRow, ProfileSortKey, ProfileTableOptions } from "./autograd/profile.js";
export { setBackend, getBackend, listBackends, registerBackend } from "./backend/registry.js";
export type { Backend, Kernels } from "./backend/backend.js";
export { gradcheck, gradgradcheck } from "./stability/gradcheck.js";
export type { GradcheckOptions, GradcheckReport } from "./stability/gradcheck.js";
// the numerical-stability toolkit (issue 13): monitor, diagnoses, report, …
export * as stability from "./stability/index.js";
// numerics: stable formulations and comparison utilities (allclose also at top level, like torch)
export * as numerics from "./numerics/index.js";
export { allclose } from "./numerics/compare.js";
export * as optim from "./optim/index.js";
export { backendInfo } from "./backend/info.js";
export { bufferPoolInfo, setBufferPoolLimit } from "./core/buffer-pool.js";
export type { BufferPoolInfo } from "./core/buffer-pool.js";
export type { BackendInfo, NativeStatus } from "./backend/info.js";
export * as data from "./data/index.js";
// saving and loading: safetensors bytes (st.io); files are in node.ts (st.save / st.load)
export * as io from "./io/index.js";
export * as metrics from "./train/metrics/index.js";
export * as callbacks from "./train/callbacks/index.js";
// Keras-style training: st.sequential, st.model, st.Model, st.layers, st.History, st.TerminateOnNaN
export * from "./train/index.js";
// ONNX export (issue 14): st.onnx.export(module, exampleInputs, opts) → ModelProto bytes
export * as onnx from "./io/onnx/index.js";
// the tensor toolbox (issue 15): function forms (method forms: the imports at the top)
export { tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, log2, log10, exp2, erfinv, reciprocal, atan2, remainder, fmod, hypot, lerp } from "./ops/trig.js";
export { cumsum, cumprod } from "./ops/cumulative.js";
export { sort, argsort, topk, kthvalue, median, quantile } from "./ops/sorting.js";
export type { ValuesIndices, QuantileInterpolation } from "./ops/sorting.js";
export { any, all } from "./ops/any-all.js";
export { flip, roll } from "./ops/flip.js";
export { einsum } from "./ops/einsum.js";
export { mm, bmm, addmm, baddbmm } from "./ops/mm.js";
export type { AddmmOptions } from "./ops/mm.js";
export { diag, trace } from "./ops/diag.js";
export { meshgrid, logspace, empty } from "./ops/grids.js";
export { nonzero, maskedSelect, unique } from "./ops/selection.js";
export type { UniqueOptions, UniqueResult } from "./ops/selection.js";
export { scatter, scatterReduce } from "./ops/scatter.js";
export type { ScatterReduce } from "./ops/scatter.js";
export { select, numel, expandAs } from "./ops/select.js";
export { multinomial } from "./ops/multinomial.js";
export type { MultinomialOptions } from "./ops/multinomial.js";
