// The public names of `st` and its namespaces, as an explicit list: an accidental export (an
// internal helper such as fieldToKey or the module-tracing switches, issue 10) fails this test,
// and so does a removed one. Adding public API means adding its name here on purpose.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";

const EXPECTED: Record<string, readonly string[]> = {
  "st": [
    "AutogradError", "DTypeError", "FormatError", "Generator", "History", "IndexError", "Model", "NonFiniteError",
    "ShapeError", "SteadyError", "TerminateOnNaN", "callbacks", "io", "layers", "metrics", "model", "sequential",
    "Tensor", "ValueError", "abs", "add", "allclose", "amax", "amin", "arange", "argmax", "argmin", "autograd",
    "backendInfo", "bernoulli", "broadcastTo", "bufferPoolInfo", "cast", "cat", "ceil", "chunk", "clamp",
    "corrcoef", "cos", "cov", "data", "defaultGenerator", "detach", "diagonal", "div", "dot", "emptyLike",
    "enableGrad", "eq", "erf", "exp", "expand", "expm1", "eye", "flatten", "floor", "full", "fullLike",
    "gather", "ge", "getBackend", "gradcheck", "gradgradcheck", "gt", "index", "indexAdd", "indexSelect", "initialSeed",
    "isFinite", "isGradEnabled", "isNaN", "le", "linalg", "linspace", "listBackends", "log", "log1p",
    "logSoftmax", "logicalAnd", "logicalNot", "logicalOr", "logsumexp", "lt", "manualSeed", "maskedFill",
    "matmul", "max", "maximum", "mean", "min", "minimum", "mul", "narrow", "ne", "neg", "nn", "noGrad", "norm",
    "normal", "numerics", "oneHot", "ones", "onesLike", "optim", "outer", "pad", "permute", "pow", "prod", "profile",
    "promoteTypes", "rand", "randLike", "randint", "randn", "randnLike", "randperm", "registerBackend", "relu",
    "repeat", "reshape", "round", "rsqrt", "scalar", "scatterAdd", "seed", "setBackend", "setBufferPoolLimit",
    "setGradEnabled", "sigmoid", "sign", "sin", "slice", "sliceScatter", "softmax", "split", "sqrt", "square", "stability",
    "squeeze", "stack", "std", "sub", "sum", "tanh", "tensor", "transpose", "tril", "triu", "uniform",
    "unsqueeze", "var", "view", "where", "zeros", "zerosLike",
    "onnx",
    "LinAlgError",
    // the tensor toolbox (issue 15)
    "acos", "acosh", "addmm", "all", "any", "argsort", "asin", "asinh", "atan", "atan2", "atanh", "baddbmm", "bmm",
    "cosh", "cumprod", "cumsum", "diag", "einsum", "empty", "erfinv", "exp2", "expandAs", "flip", "fmod", "hypot",
    "kthvalue", "lerp", "log10", "log2", "logspace", "maskedSelect", "median", "meshgrid", "mm", "multinomial",
    "nonzero", "numel", "quantile", "reciprocal", "remainder", "roll", "scatter", "scatterReduce", "select", "sinh",
    "sort", "tan", "topk", "trace", "unique",
  ],
  "nn": [
    "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "CrossEntropyLoss", "Dropout", "ELU", "Embedding", "F",
    "Flatten", "GELU", "HuberLoss", "Identity", "L1", "L1L2", "L1L2Regularizer", "L1Loss", "L2", "LayerNorm",
    "LeakyReLU", "LearnedPositionalEmbedding", "Linear", "LogSoftmax", "Loss", "MSELoss", "Module",
    "ModuleDict", "ModuleList", "MultiheadAttention", "NLLLoss", "PReLU", "Parameter", "ReLU",
    "RotaryEmbedding", "SELU", "Sequential", "Sigmoid", "SinusoidalPositionalEncoding", "SmoothL1Loss",
    "Softmax", "Softplus", "Tanh", "Transformer", "TransformerDecoder", "TransformerDecoderLayer",
    "TransformerEncoder", "TransformerEncoderLayer", "applyConstraints", "clipValue", "constrain",
    "fromTorchKeyPaddingMask", "functional", "generateSquareSubsequentMask", "getConstraint", "getRegularizer",
    "init", "maxNorm", "minMaxNorm", "nonNeg", "paddingMask", "regularizationLoss", "regularize", "unitNorm",
    "utils",
    "AdaptiveAvgPool2d", "AvgPool1d", "AvgPool2d", "BatchNorm2d", "Conv1d", "Conv2d", "ConvTranspose2d", "GroupNorm", "InstanceNorm2d", "MaxPool1d", "MaxPool2d", "RMSNorm", "Unflatten", "Upsample",
    "CosineEmbeddingLoss", "CosineSimilarity", "GRU", "GRUCell", "Hardswish", "Hardtanh", "KLDivLoss", "LSTM", "LSTMCell", "LogSigmoid", "MarginRankingLoss", "Mish", "RNN", "RNNCell", "SiLU", "Softsign", "TripletMarginLoss",
  ],
  "optim": [
    "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "NAdam", "Optimizer", "RMSprop", "SGD", "adadeltaUpdate",
    "adagradUpdate", "adamUpdate", "adamaxUpdate", "adamwUpdate", "lrScheduler", "nadamUpdate", "rmspropUpdate",
    "sgdUpdate",
    "LBFGS", "RAdam", "Rprop", "radamUpdate", "rpropUpdate",
  ],
  "numerics": [
    "allclose", "assertClose", "defaultTolerances", "log1mexp", "logSigmoid", "logSoftmax", "logsumexp",
    "maskedSoftmax", "safeLog", "softmax", "softplus", "ulpDistance", "xlogy",
  ],
  "data": [
    "DataLoader", "StandardScaler", "Subset", "TensorDataset", "defaultCollate", "linearData", "makeBlobs",
    "makeRegression", "makeSpirals", "parseCsv", "parseNumericCsv", "randomSplit", "sequenceCopy",
    "sequenceReversal", "trainTestSplit",
  ],
  "callbacks": [
    "Callback", "EarlyStopping", "History", "LambdaCallback", "LearningRateScheduler", "ReduceLROnPlateau",
    "SchedulerCallback", "TerminateOnNaN",
  ],
  "metrics": [
    "AUC", "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "F1Score", "METRIC_NAMES", "MeanAbsoluteError",
    "MeanSquaredError", "Precision", "R2Score", "Recall", "SparseCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy", "TopKCategoricalAccuracy", "resolveMetric",
  ],
  "layers": [
    "ActivationLayer", "BatchNormalization", "Dense", "DropoutLayer", "EmbeddingLayer", "FlattenLayer",
    "KerasLayer", "LayerNormalization", "MultiHeadAttentionLayer", "PositionEmbeddingLayer", "TransformerEncoderKerasLayer", "activation",
    "batchNormalization", "dense", "dropout", "embedding", "flatten", "fromSpec", "layerNormalization",
    "multiHeadAttention", "positionEmbedding", "transformerEncoder",
    "Conv1DLayer", "Conv2DLayer", "GlobalAveragePooling2DLayer", "Pooling2DLayer", "averagePooling2d", "conv1d", "conv2d", "globalAveragePooling2d", "maxPooling2d",
    "GRULayer", "LSTMLayer", "SimpleRNNLayer", "gru", "lstm", "simpleRNN",
  ],
  "io": [
    "decodeSafetensors", "encodeSafetensors",
  ],
  "nn.functional": [
    "SELU_ALPHA", "SELU_SCALE", "batchNorm", "binaryCrossEntropy", "binaryCrossEntropyWithLogits",
    "crossEntropy", "dropout", "elu", "embedding", "gelu", "huberLoss", "l1Loss", "layerNorm", "leakyRelu",
    "linear", "logSoftmax", "mseLoss", "nllLoss", "prelu", "relu", "scaledDotProductAttention", "selu", "sigmoid", "smoothL1Loss", "softmax",
    "softplus", "tanh",
    "adaptiveAvgPool1d", "adaptiveAvgPool2d", "avgPool1d", "avgPool2d", "conv1d", "conv2d", "convTranspose1d", "convTranspose2d", "groupNorm", "instanceNorm", "interpolate", "maxPool1d", "maxPool2d", "rmsNorm",
    "cosineEmbeddingLoss", "cosineSimilarity", "gruCell", "hardswish", "hardtanh", "klDiv", "logsigmoid", "lstmCell", "marginRankingLoss", "mish", "pairwiseDistance", "rnnCell", "silu", "softsign", "tripletMarginLoss",
  ],
  "nn.init": [
    "calculateFanInAndFanOut", "calculateGain", "constant_", "eye_", "glorotNormal_", "glorotUniform_",
    "heNormal_", "heUniform_", "kaimingNormal_", "kaimingUniform_", "lecunNormal_", "lecunUniform_", "normal_",
    "ones_", "orthogonal_", "truncNormal_", "uniform_", "xavierNormal_", "xavierUniform_", "zeros_",
  ],
  "nn.utils": [
    "clipGradNorm", "clipGradValue", "getTotalNorm",
  ],
  "optim.lrScheduler": [
    "ChainedScheduler", "CosineAnnealingLR", "ExponentialLR", "LRScheduler", "LambdaLR", "LinearLR",
    "MultiStepLR", "OneCycleLR", "ReduceLROnPlateau", "SequentialLR", "StepLR", "linearWarmup", "mapLr",
    "CosineAnnealingWarmRestarts", "CyclicLR", "PolynomialLR",
  ],
  "linalg": [
    "corrcoef", "cov", "diagonal", "matmul", "norm", "svd", "vectorNorm",
    "cholesky", "det", "eigh", "eigvalsh", "inv", "qr", "slogdet", "solve", "solveTriangular", "svdvals",
    "cond", "lstsq", "matrixNorm", "matrixPower", "matrixRank", "multiDot", "pinv", "vecdot",
    "LinAlgError",
  ],
  "stability": [
    "AnomalyError", "detectAnomaly", "isAnomalyEnabled", "setAnomalyEnabled", "float64Shadow", "gradientNoiseScale",
    "describeDiagnosis", "formatDiagnoses", "renderReport", "sparkline", "summarize",
    "DEFAULT_THRESHOLDS", "Monitor", "monitor",
    "edgeOfStability", "lrFind", "sharpness", "adamPreconditioner", "seedSweep",
    "DEFAULT_RECIPE", "RECIPE_ACTIVATIONS", "applyCure", "buildRecipeNet", "mlpRecipe", "recipeInputs", "tryCures",
  ],
  "autograd": [
    "backward", "grad", "hvp", "vjp",
  ],
  "onnx": [
    "export", "mappedOps",
  ],
};

const NAMESPACES: Record<string, object> = {
  st,
  nn: st.nn,
  optim: st.optim,
  numerics: st.numerics,
  data: st.data,
  callbacks: st.callbacks,
  metrics: st.metrics,
  layers: st.layers,
  io: st.io,
  "nn.functional": st.nn.functional,
  "nn.init": st.nn.init,
  "nn.utils": st.nn.utils,
  "optim.lrScheduler": st.optim.lrScheduler,
  linalg: st.linalg,
  autograd: st.autograd,
  stability: st.stability,
  onnx: st.onnx,
};

describe("public API", () => {
  it.each(Object.keys(NAMESPACES))("%s exports exactly the documented names", (name) => {
    expect(Object.keys(NAMESPACES[name]!).sort()).toEqual([...EXPECTED[name]!].sort());
  });

  it("keeps the internals named in issue 10 out of every namespace", () => {
    const internals = ["fieldToKey", "traceModules", "isTracingModules", "currentModulePath", "fmtShape", "shareStorage", "setData"];
    for (const [name, ns] of Object.entries(NAMESPACES)) {
      for (const k of internals) expect(Object.keys(ns), `${name}.${k}`).not.toContain(k);
    }
  });

  it("st.nn.F is st.nn.functional", () => {
    expect(st.nn.F).toBe(st.nn.functional);
  });
});
