// st.nn.functional (alias st.nn.F): the stateless forms of the layers — activations, linear,
// dropout, normalization, embedding — and (added by the losses work) the loss functions.
// A plain list of re-exports: each family lives in its own file under functional/.

export { relu, sigmoid, tanh, leakyRelu, prelu, elu, selu, gelu, softplus, softmax, logSoftmax, SELU_ALPHA, SELU_SCALE } from "./functional/activation.js";
export type { GeluApproximate } from "./functional/activation.js";
export { linear } from "./functional/linear.js";
export { dropout } from "./functional/dropout.js";
export { batchNorm, layerNorm } from "./functional/normalization.js";
export type { BatchNormOptions } from "./functional/normalization.js";
export { embedding } from "./functional/embedding.js";
export { scaledDotProductAttention } from "./functional/attention.js";
export type { ScaledDotProductAttentionOptions } from "./functional/attention.js";
// losses (from nn/losses/; the Module forms are st.nn.MSELoss, st.nn.CrossEntropyLoss, …)
export {
  mseLoss, l1Loss, huberLoss, smoothL1Loss, crossEntropy, nllLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits,
} from "./losses/index.js";
// convolution, pooling, resizing and group/instance/RMS normalization (issue 15)
export { conv1d, conv2d, convTranspose1d, convTranspose2d } from "./functional/conv.js";
export type { Conv1dOptions, Conv2dOptions, ConvTranspose2dOptions, PaddingMode, Size2 } from "./functional/conv.js";
export { maxPool1d, maxPool2d, avgPool1d, avgPool2d, adaptiveAvgPool1d, adaptiveAvgPool2d } from "./functional/pooling.js";
export type { MaxPool2dOptions, AvgPool2dOptions } from "./functional/pooling.js";
export { interpolate } from "./functional/interpolate.js";
export type { InterpolateMode, InterpolateOptions } from "./functional/interpolate.js";
export { groupNorm, instanceNorm, rmsNorm } from "./functional/group-norm.js";
export type { InstanceNormOptions } from "./functional/group-norm.js";
// recurrent cells (issue 15)
export { rnnCell, lstmCell, gruCell } from "./functional/rnn.js";
export type { RNNNonlinearity } from "./functional/rnn.js";
// issue 15: more activations, cosine similarity and losses
export { silu, mish, hardtanh, hardswish, logsigmoid, softsign, cosineSimilarity } from "./functional/activation-more.js";
export { klDiv, cosineEmbeddingLoss, marginRankingLoss, tripletMarginLoss, pairwiseDistance } from "./losses/index.js";
