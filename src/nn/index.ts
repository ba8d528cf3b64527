// st.nn: modules, layers, activations, initializers and the functional forms.
// A plain list of re-exports (other parts of nn add their lines here).

// Internal helpers stay out of this list (tests/public-api.test.ts snapshots it): fieldToKey, the
// module tracing switches (trace.ts) and the like are imported by path inside the package.
export { Module } from "./module.js";
export type { AnyModule, ForwardHook, ForwardPreHook, ModuleMember, LoadStateDictOptions, LoadStateDictResult } from "./module.js";
export { Parameter } from "./parameter.js";
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
// attention and the Transformer (issue 12): modules, masks (bool true = attend), positional encodings
export { MultiheadAttention } from "./layers/multihead-attention.js";
export type { MultiheadAttentionOptions, MultiheadAttentionForwardOptions } from "./layers/multihead-attention.js";
export { generateSquareSubsequentMask, paddingMask, fromTorchKeyPaddingMask } from "./masks.js";
export type { PaddingMaskOptions } from "./masks.js";
export { TransformerEncoderLayer, TransformerEncoder } from "./layers/transformer-encoder.js";
export type {
  TransformerActivation, TransformerLayerOptions, TransformerEncoderLayerForwardOptions, TransformerEncoderOptions, TransformerEncoderForwardOptions,
} from "./layers/transformer-encoder.js";
export { TransformerDecoderLayer, TransformerDecoder } from "./layers/transformer-decoder.js";
export type { TransformerDecoderForwardOptions, TransformerDecoderOptions } from "./layers/transformer-decoder.js";
export { Transformer } from "./layers/transformer.js";
export type { TransformerOptions, TransformerForwardOptions, EncoderLike, DecoderLike } from "./layers/transformer.js";
export { SinusoidalPositionalEncoding, LearnedPositionalEmbedding } from "./layers/positional.js";
export type { SinusoidalPositionalEncodingOptions, LearnedPositionalEmbeddingOptions } from "./layers/positional.js";
export { RotaryEmbedding } from "./layers/positional-rotary.js";
export type { RotaryEmbeddingOptions } from "./layers/positional-rotary.js";
export * as functional from "./functional.js";
export * as F from "./functional.js";
export * as init from "./init.js";
// losses, regularizers, constraints and st.nn.utils (gradient clipping)
export { Loss, MSELoss, L1Loss, HuberLoss, SmoothL1Loss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss } from "./losses/index.js";
export type {
  Reduction, ReductionOptions, HuberOptions, SmoothL1Options, CrossEntropyOptions, NLLOptions, BCEOptions, BCEWithLogitsOptions,
} from "./losses/index.js";
export { L1, L2, L1L2, L1L2Regularizer, regularize, getRegularizer, regularizationLoss } from "./regularizers.js";
export type { Regularizer, RegularizerLike } from "./regularizers.js";
export { clipValue, maxNorm, nonNeg, unitNorm, minMaxNorm, constrain, getConstraint, applyConstraints } from "./constraints.js";
export type { Constraint, ConstraintLike, MinMaxNormOptions } from "./constraints.js";
export * as utils from "./utils/index.js";
// convolution, pooling, resizing and image normalization layers (issue 15)
export { Conv1d, Conv2d, ConvTranspose2d } from "./layers/conv.js";
export type { Conv1dLayerOptions, Conv2dLayerOptions, ConvTranspose2dLayerOptions } from "./layers/conv.js";
export { MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, AdaptiveAvgPool2d, Upsample } from "./layers/pooling.js";
export type { UpsampleOptions } from "./layers/pooling.js";
export { BatchNorm2d, GroupNorm, InstanceNorm2d, RMSNorm } from "./layers/group-norm.js";
export type { GroupNormOptions, InstanceNorm2dOptions, RMSNormOptions } from "./layers/group-norm.js";
export { Unflatten } from "./layers/flatten.js";
// recurrent layers and cells (issue 15)
export { RNN, LSTM, GRU } from "./layers/rnn.js";
export type { RNNBaseOptions, RNNOptions } from "./layers/rnn.js";
export { RNNCell, LSTMCell, GRUCell } from "./layers/rnn-cell.js";
export type { RNNCellBaseOptions, RNNCellOptions } from "./layers/rnn-cell.js";
// issue 15: more activations and losses
export { SiLU, Mish, Hardtanh, Hardswish, LogSigmoid, Softsign, CosineSimilarity } from "./layers/activation-more.js";
export { KLDivLoss, CosineEmbeddingLoss, MarginRankingLoss, TripletMarginLoss } from "./losses/index.js";
export type { KLDivOptions, KLReduction, CosineEmbeddingOptions, MarginRankingOptions, TripletMarginOptions } from "./losses/index.js";
