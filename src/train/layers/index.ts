// st.layers: Keras-style layer factories (tfjs/Keras names and defaults) over our nn modules.
// Each returns an nn.Module, so the layers also work in hand-written modules and nn.Sequential.

import { ValueError } from "../../core/errors.js";
import type { ActivationName } from "./activations.js";
import {
  MultiHeadAttentionLayer, type MultiHeadAttentionLayerOptions, TransformerEncoderKerasLayer, type TransformerEncoderLayerOptions,
} from "./attention.js";
import { Dense, type DenseOptions } from "./dense.js";
import { EmbeddingLayer, type EmbeddingLayerOptions } from "./embedding.js";
import { KerasLayer, type LayerSpec } from "./keras-layer.js";
import { PositionEmbeddingLayer, type PositionEmbeddingOptions } from "./position-embedding.js";
import { BatchNormalization, type BatchNormalizationOptions, LayerNormalization, type LayerNormalizationOptions } from "./normalization.js";
import { ActivationLayer, DropoutLayer, FlattenLayer } from "./simple.js";
import { averagePooling2d, conv1d, conv2d, globalAveragePooling2d, maxPooling2d } from "./conv-factories.js";
import { GRULayer, type LSTMLayerOptions, LSTMLayer, type RecurrentLayerOptions, SimpleRNNLayer, type SimpleRNNLayerOptions } from "./recurrent.js";

export { KerasLayer, Dense, EmbeddingLayer, BatchNormalization, LayerNormalization, ActivationLayer, DropoutLayer, FlattenLayer };
export { MultiHeadAttentionLayer, TransformerEncoderKerasLayer, PositionEmbeddingLayer };
export type { MultiHeadAttentionLayerOptions, TransformerEncoderLayerOptions, PositionEmbeddingOptions };
export type { DenseOptions, EmbeddingLayerOptions, BatchNormalizationOptions, LayerNormalizationOptions, LayerSpec, ActivationName };
export type { LayerConfig } from "./keras-layer.js";
export { LSTMLayer, GRULayer, SimpleRNNLayer };
export type { RecurrentLayerOptions, LSTMLayerOptions, SimpleRNNLayerOptions };

/**
 * A fully connected layer: y = activation(x·Wᵀ + b). Keras defaults: glorotUniform weights, zero
 * bias, no activation. Without `inputShape`, the input size is read from the first batch.
 * @example const layer = st.layers.dense({ units: 10, activation: "relu", inputShape: [64] });
 */
export function dense(opts: DenseOptions): Dense {
  return new Dense(opts);
}

/**
 * Dropout with probability `rate` in training (identity in evaluation).
 * @example st.layers.dropout({ rate: 0.2 })
 */
export function dropout(opts: { rate: number; inputShape?: number[] } | number): DropoutLayer {
  return new DropoutLayer(typeof opts === "number" ? { rate: opts } : opts);
}

/**
 * Batch normalization over the last axis with Keras's defaults (momentum 0.99 — PyTorch's 0.01 —
 * and epsilon 1e-3). Uses batch statistics in training and the running ones in evaluation.
 * @example st.layers.batchNormalization()
 */
export function batchNormalization(opts: BatchNormalizationOptions = {}): BatchNormalization {
  return new BatchNormalization(opts);
}

/**
 * Layer normalization over the last axis (Keras's epsilon 1e-3).
 * @example st.layers.layerNormalization({ epsilon: 1e-5 })
 */
export function layerNormalization(opts: LayerNormalizationOptions = {}): LayerNormalization {
  return new LayerNormalization(opts);
}

/**
 * A lookup table: integer ids [batch, …] → vectors [batch, …, outputDim]; initialized U(−0.05, 0.05).
 * @example st.layers.embedding({ inputDim: 1000, outputDim: 16 })
 */
export function embedding(opts: EmbeddingLayerOptions): EmbeddingLayer {
  return new EmbeddingLayer(opts);
}

/**
 * Flattens each sample: [batch, d1, d2, …] → [batch, d1·d2·…].
 * @example st.layers.flatten({ inputShape: [8, 8] })
 */
export function flatten(opts: { inputShape?: number[] } = {}): FlattenLayer {
  return new FlattenLayer(opts);
}

/**
 * An activation by Keras name ("relu", "sigmoid", "tanh", "softmax", "gelu", "elu", "selu",
 * "softplus", "leakyRelu", "logSoftmax", "linear").
 * @example st.layers.activation("softmax")
 */
export function activation(opts: string | { activation: string; inputShape?: number[] }): ActivationLayer {
  return new ActivationLayer(typeof opts === "string" ? { activation: opts } : opts);
}

/**
 * Self-attention over [batch, steps, features] (Keras MultiHeadAttention with query = key = value):
 * softmax(QKᵀ/√keyDim)·V per head, projected back to `features`. numHeads · keyDim must equal the
 * features (keyDim defaults to features ÷ numHeads). Weights are nn.MultiheadAttention's.
 * @example
 * const m = st.sequential([
 *   st.layers.embedding({ inputDim: 100, outputDim: 32, inputShape: [10] }),
 *   st.layers.multiHeadAttention({ numHeads: 4, useCausalMask: true }),
 * ]);
 */
export function multiHeadAttention(opts: MultiHeadAttentionLayerOptions): MultiHeadAttentionLayer {
  return new MultiHeadAttentionLayer(opts);
}

/**
 * One Transformer encoder block (KerasNLP's TransformerEncoder; nn.TransformerEncoderLayer inside):
 * x + attention, LayerNorm, x + feed-forward(intermediateDim), LayerNorm — post-norm by default,
 * pre-norm with `normalizeFirst`. [batch, steps, features] → the same shape.
 * @example st.layers.transformerEncoder({ intermediateDim: 64, numHeads: 4 })
 */
export function transformerEncoder(opts: TransformerEncoderLayerOptions): TransformerEncoderKerasLayer {
  return new TransformerEncoderKerasLayer(opts);
}

/**
 * A learned vector per position added to [batch, steps, features] (KerasNLP's PositionEmbedding,
 * initialized glorotUniform; KerasNLP's returns the vectors for the caller to add, this one adds
 * them so it fits a sequential model). Steps may be fewer than `sequenceLength`.
 * @example
 * const m = st.sequential([
 *   st.layers.embedding({ inputDim: 10, outputDim: 32, inputShape: [8] }),
 *   st.layers.positionEmbedding({ sequenceLength: 8 }),
 *   st.layers.transformerEncoder({ intermediateDim: 64, numHeads: 4 }),
 * ]);
 */
export function positionEmbedding(opts: PositionEmbeddingOptions): PositionEmbeddingLayer {
  return new PositionEmbeddingLayer(opts);
}

// convolution and pooling (issue 15): channels-first like every steadytensor tensor
export { conv2d, conv1d, maxPooling2d, averagePooling2d, globalAveragePooling2d } from "./conv-factories.js";
export { Conv2DLayer, Conv1DLayer, Pooling2DLayer, GlobalAveragePooling2DLayer } from "./conv.js";
export type { Conv2DOptions, Conv1DOptions, Pooling2DOptions } from "./conv.js";
/**
 * Keras LSTM over [batch, steps, features]: the last output [batch, units], or every step's
 * [batch, steps, units] with `returnSequences` (stack them); `callWithState(x)` also returns the
 * final h and c. Keras's initializers (glorotUniform, orthogonal, forget-gate bias 1); the weights
 * are nn.LSTM's (PyTorch's names and gate order i, f, g, o).
 * @example
 * const model = st.sequential([
 *   st.layers.lstm({ units: 32, returnSequences: true, inputShape: [20, 1] }),
 *   st.layers.lstm({ units: 16 }),
 *   st.layers.dense({ units: 1 }),
 * ]);
 */
export function lstm(opts: LSTMLayerOptions): LSTMLayer {
  return new LSTMLayer(opts);
}

/**
 * Keras GRU (resetAfter: true, PyTorch's formulation) over [batch, steps, features].
 * @example st.layers.gru({ units: 32, inputShape: [20, 8] })
 */
export function gru(opts: RecurrentLayerOptions): GRULayer {
  return new GRULayer(opts);
}

/**
 * Keras SimpleRNN (Elman, tanh or relu) over [batch, steps, features].
 * @example st.layers.simpleRNN({ units: 16, returnSequences: true, inputShape: [10, 4] })
 */
export function simpleRNN(opts: SimpleRNNLayerOptions): SimpleRNNLayer {
  return new SimpleRNNLayer(opts);
}

const FACTORIES: Record<string, (config: never) => KerasLayer> = {
  dense, dropout, batchNormalization, layerNormalization, embedding, flatten, activation, multiHeadAttention, transformerEncoder,
  positionEmbedding,
  conv2d, conv1d, maxPooling2d, averagePooling2d, globalAveragePooling2d,
};
// issue 15: recurrent layers
Object.assign(FACTORIES, { lstm, gru, simpleRNN });

/**
 * Rebuilds a layer from its `toSpec()` (what config.json holds).
 * @example const layer = st.layers.fromSpec({ className: "dense", config: { units: 4, activation: "relu" } });
 */
export function fromSpec(spec: LayerSpec): KerasLayer {
  const f = spec !== null && typeof spec === "object" ? FACTORIES[spec.className] : undefined;
  if (f === undefined) {
    throw new ValueError(`layers.fromSpec: unknown layer ${JSON.stringify(spec?.className)} (expected one of ${Object.keys(FACTORIES).join(", ")})`);
  }
  return f(spec.config as never);
}
