// multiHeadAttention and transformerEncoder: Keras-style attention layers over nn.MultiheadAttention
// and nn.TransformerEncoderLayer, for sequential models on [batch, steps, features] inputs.
// In a sequential model a layer has one input, so multiHeadAttention is self-attention
// (query = key = value = the input), and the causal mask is a constructor setting (Keras passes
// `use_causal_mask` at call time).

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { MultiheadAttention } from "../../nn/layers/multihead-attention.js";
import { TransformerEncoderLayer } from "../../nn/layers/transformer-encoder.js";
import type { AnyModule } from "../../nn/module.js";
import { KerasLayer, type LayerConfig } from "./keras-layer.js";

/** Options of `st.layers.multiHeadAttention`. */
export interface MultiHeadAttentionLayerOptions {
  /** Number of attention heads. */
  numHeads: number;
  /**
   * Size of each head's query and key (default: features ÷ numHeads). numHeads · keyDim must equal
   * the input's feature size: the projections are PyTorch's packed in_proj (square).
   */
  keyDim?: number;
  /** Dropout on the attention weights in training (default 0). */
  dropout?: number;
  /** Biases in the projections (default true). */
  useBias?: boolean;
  /** Each step attends only to itself and earlier steps (default false). */
  useCausalMask?: boolean;
  /** Shape of one input sample [seq, features] (needed on the first layer of a sequential model). */
  inputShape?: number[];
}

function checkHeads(who: string, numHeads: unknown): number {
  if (typeof numHeads !== "number" || !Number.isInteger(numHeads) || numHeads < 1) {
    throw new ValueError(`${who}: numHeads must be a positive integer (got ${JSON.stringify(numHeads)})`);
  }
  return numHeads;
}

function checkRate(who: string, rate: unknown): number {
  if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) throw new ValueError(`${who}: dropout must lie in [0, 1) (got ${JSON.stringify(rate)})`);
  return rate;
}

function checkSequence(who: string, inputShape: readonly number[]): number {
  if (inputShape.length !== 3) {
    throw new ValueError(`${who}: expected inputs [batch, steps, features] (got [${inputShape.join(", ")}])`);
  }
  return inputShape[2]!;
}

/**
 * Keras MultiHeadAttention as self-attention: y = softmax(QKᵀ/√keyDim)·V per head, heads
 * concatenated and projected back to the input's feature size; [batch, steps, features] →
 * the same shape. Weights are nn.MultiheadAttention's (`in_proj_weight`, `out_proj.weight`, …).
 * @example
 * const mha = st.layers.multiHeadAttention({ numHeads: 2, inputShape: [5, 8] });
 * st.sequential([mha]).predict(st.randn([3, 5, 8])).shape; // [3, 5, 8]
 */
export class MultiHeadAttentionLayer extends KerasLayer {
  readonly className = "multiHeadAttention";
  /** Number of attention heads. */
  readonly numHeads: number;
  /** Size of each head's query and key, or null for features ÷ numHeads. */
  readonly keyDim: number | undefined;
  /** Dropout on the attention weights in training. */
  readonly dropout: number;
  /** Whether the projections have biases. */
  readonly useBias: boolean;
  /** Whether each step attends only to itself and earlier steps. */
  readonly useCausalMask: boolean;

  constructor(opts: MultiHeadAttentionLayerOptions) {
    super(opts?.inputShape);
    const who = "layers.multiHeadAttention";
    this.numHeads = checkHeads(who, opts?.numHeads);
    if (opts.keyDim !== undefined && (!Number.isInteger(opts.keyDim) || opts.keyDim < 1)) {
      throw new ValueError(`${who}: keyDim must be a positive integer (got ${JSON.stringify(opts.keyDim)})`);
    }
    this.keyDim = opts.keyDim;
    this.dropout = checkRate(who, opts.dropout ?? 0);
    this.useBias = opts.useBias ?? true;
    this.useCausalMask = opts.useCausalMask ?? false;
  }

  protected buildInner(inputShape: readonly number[]): AnyModule {
    const who = "layers.multiHeadAttention";
    const features = checkSequence(who, inputShape);
    const keyDim = this.keyDim ?? features / this.numHeads;
    if (!Number.isInteger(keyDim) || keyDim * this.numHeads !== features) {
      throw new ValueError(
        `${who}: numHeads · keyDim must equal the input's features (${features}); got numHeads ${this.numHeads}` +
          `${this.keyDim === undefined ? "" : `, keyDim ${this.keyDim}`}`,
      );
    }
    return new MultiheadAttention(features, this.numHeads, { dropout: this.dropout, bias: this.useBias, batchFirst: true });
  }

  override forward(x: Tensor): Tensor {
    this.build(x.shape);
    const inner = this.inner as MultiheadAttention;
    if (inner.training !== this.training) inner.train(this.training);
    const [out] = inner.call(x, x, x, { needWeights: false, isCausal: this.useCausalMask });
    return out;
  }

  getConfig(): LayerConfig {
    return { numHeads: this.numHeads, keyDim: this.keyDim, dropout: this.dropout, useBias: this.useBias, useCausalMask: this.useCausalMask };
  }
}

/** Options of `st.layers.transformerEncoder` (KerasNLP's TransformerEncoder). */
export interface TransformerEncoderLayerOptions {
  /** Hidden size of the feed-forward block (PyTorch's dimFeedforward). */
  intermediateDim: number;
  /** Number of attention heads; must divide the input's feature size. */
  numHeads: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0). */
  dropout?: number;
  /** Feed-forward activation, "relu" (default) or "gelu". */
  activation?: "relu" | "gelu";
  /** LayerNorm epsilon (default 1e-5, as KerasNLP and PyTorch). */
  layerNormEpsilon?: number;
  /** Pre-norm (true) or post-norm (false, the default) residual blocks. */
  normalizeFirst?: boolean;
  /** Each step attends only to itself and earlier steps (default false). */
  useCausalMask?: boolean;
  /** Shape of one input sample [seq, features] (needed on the first layer of a sequential model). */
  inputShape?: number[];
}

/**
 * KerasNLP's TransformerEncoder: one encoder block (self-attention, then a feed-forward block,
 * each with a residual connection and LayerNorm) over [batch, steps, features], keeping the shape.
 * Weights are nn.TransformerEncoderLayer's (`self_attn.*`, `linear1`, `linear2`, `norm1`, `norm2`).
 * @example
 * const enc = st.layers.transformerEncoder({ intermediateDim: 16, numHeads: 2, inputShape: [5, 8] });
 * st.sequential([enc]).predict(st.randn([3, 5, 8])).shape; // [3, 5, 8]
 */
export class TransformerEncoderKerasLayer extends KerasLayer {
  readonly className = "transformerEncoder";
  /** Hidden size of the feed-forward block. */
  readonly intermediateDim: number;
  /** Number of attention heads. */
  readonly numHeads: number;
  /** Dropout in the attention and feed-forward blocks in training. */
  readonly dropout: number;
  /** Activation of the feed-forward block. */
  readonly activation: "relu" | "gelu";
  /** ε of the layer norms. */
  readonly layerNormEpsilon: number;
  /** Whether the norms come before each block (pre-norm) instead of after. */
  readonly normalizeFirst: boolean;
  /** Whether each step attends only to itself and earlier steps. */
  readonly useCausalMask: boolean;

  constructor(opts: TransformerEncoderLayerOptions) {
    super(opts?.inputShape);
    const who = "layers.transformerEncoder";
    const dim = opts?.intermediateDim;
    if (typeof dim !== "number" || !Number.isInteger(dim) || dim < 1) {
      throw new ValueError(`${who}: intermediateDim must be a positive integer (got ${JSON.stringify(dim)})`);
    }
    this.intermediateDim = dim;
    this.numHeads = checkHeads(who, opts.numHeads);
    this.dropout = checkRate(who, opts.dropout ?? 0);
    const act = opts.activation ?? "relu";
    if (act !== "relu" && act !== "gelu") throw new ValueError(`${who}: activation must be "relu" or "gelu" (got ${JSON.stringify(act)})`);
    this.activation = act;
    const eps = opts.layerNormEpsilon ?? 1e-5;
    if (typeof eps !== "number" || !(eps >= 0)) throw new ValueError(`${who}: layerNormEpsilon must be a number >= 0 (got ${JSON.stringify(eps)})`);
    this.layerNormEpsilon = eps;
    this.normalizeFirst = opts.normalizeFirst ?? false;
    this.useCausalMask = opts.useCausalMask ?? false;
  }

  protected buildInner(inputShape: readonly number[]): AnyModule {
    const who = "layers.transformerEncoder";
    const features = checkSequence(who, inputShape);
    if (features % this.numHeads !== 0) {
      throw new ValueError(`${who}: numHeads (${this.numHeads}) must divide the input's features (${features})`);
    }
    return new TransformerEncoderLayer(features, this.numHeads, {
      dimFeedforward: this.intermediateDim, dropout: this.dropout, activation: this.activation,
      layerNormEps: this.layerNormEpsilon, batchFirst: true, normFirst: this.normalizeFirst,
    });
  }

  override forward(x: Tensor): Tensor {
    this.build(x.shape);
    const inner = this.inner as TransformerEncoderLayer;
    if (inner.training !== this.training) inner.train(this.training);
    return inner.call(x, { isCausal: this.useCausalMask });
  }

  getConfig(): LayerConfig {
    return {
      intermediateDim: this.intermediateDim, numHeads: this.numHeads, dropout: this.dropout, activation: this.activation,
      layerNormEpsilon: this.layerNormEpsilon, normalizeFirst: this.normalizeFirst, useCausalMask: this.useCausalMask,
    };
  }
}
