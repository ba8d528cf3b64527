// TransformerDecoderLayer and TransformerDecoder: PyTorch's modules of the same names (masked
// self-attention, cross-attention over the encoder's memory, feed-forward; post- or pre-norm).

import type { Tensor } from "../../core/tensor.js";
import { ValueError } from "../../core/errors.js";
import { Module } from "../module.js";
import { type DropScratch, scratchOf, trustForward } from "../scratch.js";
import { ModuleList } from "./containers.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./layer-norm.js";
import { Linear, checkSize } from "./linear.js";
import { MultiheadAttention } from "./multihead-attention.js";
import { feedForward, residual, runStack } from "./transformer-blocks.js";
import {
  type ResolvedLayerOptions, type TransformerActivation, type TransformerLayerOptions, checkSequence, resolveLayerOptions,
} from "./transformer-encoder.js";

/** Masks of a decoder layer's forward pass (true = attend). */
export interface TransformerDecoderForwardOptions {
  /** Self-attention mask [T, T] or [B·nhead, T, T]: bool `true` = attend (e.g. generateSquareSubsequentMask(T)) or float. */
  tgtMask?: Tensor | null;
  /** Cross-attention mask [T, S] or [B·nhead, T, S]: bool `true` = attend or float. */
  memoryMask?: Tensor | null;
  /** Shape [B, T], bool `true` = a real target token (PyTorch's is the opposite), or float. */
  tgtKeyPaddingMask?: Tensor | null;
  /** Shape [B, S], bool `true` = a real source token (PyTorch's is the opposite), or float. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Apply the look-ahead mask in self-attention (instead of, or combined with, tgtMask). Default false. */
  tgtIsCausal?: boolean;
  /** Apply a look-ahead mask in cross-attention (query i sees memory positions ≤ i). Default false. */
  memoryIsCausal?: boolean;
}

/**
 * One Transformer decoder block, as PyTorch's `nn.TransformerDecoderLayer`:
 *
 *   post-norm (default): x = norm1(x + SA(x)); x = norm2(x + CA(x, memory)); x = norm3(x + FF(x))
 *   pre-norm (normFirst): x = x + SA(norm1(x)); x = x + CA(norm2(x), memory); x = x + FF(norm3(x))
 *
 * SA is `self_attn`, CA `multihead_attn` (queries from the target, keys and values from the
 * memory), FF(x) = linear2(dropout(act(linear1(x)))); keys as PyTorch (`multihead_attn.out_proj.weight`,
 * `norm3.weight`, …). Defaults as TransformerEncoderLayer. Masks: bool `true` = attend.
 *
 * @example
 * const layer = new st.nn.TransformerDecoderLayer(32, 4, { dimFeedforward: 64, batchFirst: true });
 * const tgt = st.randn([2, 6, 32]), memory = st.randn([2, 9, 32]);
 * layer.call(tgt, memory, { tgtMask: st.nn.generateSquareSubsequentMask(6) }).shape // [2, 6, 32]
 */
export class TransformerDecoderLayer extends Module<[Tensor, Tensor, TransformerDecoderForwardOptions?], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["tgt", "memory"];
  /** Model width d_model. */
  readonly dModel: number;
  /** Number of attention heads. */
  readonly nhead: number;
  /** @internal */
  readonly _opts: ResolvedLayerOptions;
  /** Masked self-attention over the target. */
  selfAttn: MultiheadAttention;
  /** Cross-attention from the target to the encoder's memory. */
  multiheadAttn: MultiheadAttention;
  /** Feed-forward input projection (d_model → dim_feedforward). */
  linear1: Linear;
  /** Dropout inside the feed-forward block. */
  dropout: Dropout;
  /** Feed-forward output projection (dim_feedforward → d_model). */
  linear2: Linear;
  /** Pre-norm (LayerNorm before each block) when true; post-norm (PyTorch's default) otherwise. */
  readonly normFirst: boolean;
  /** LayerNorm of the self-attention block. */
  norm1: LayerNorm;
  /** LayerNorm of the cross-attention block. */
  norm2: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  norm3: LayerNorm;
  /** Dropout on the self-attention output. */
  dropout1: Dropout;
  /** Dropout on the cross-attention output. */
  dropout2: Dropout;
  /** Dropout on the feed-forward output. */
  dropout3: Dropout;
  /** Activation of the feed-forward block ("relu" by default, or "gelu"). */
  readonly activation: TransformerActivation;

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    const o = resolveLayerOptions("TransformerDecoderLayer", dModel, nhead, opts);
    const { dtype, bias } = o;
    const generator = opts.generator;
    this.dModel = dModel;
    this.nhead = nhead;
    this._opts = o;
    const mha = { dropout: o.dropout, bias, batchFirst: o.batchFirst, dtype, generator };
    this.selfAttn = new MultiheadAttention(dModel, nhead, mha);
    this.multiheadAttn = new MultiheadAttention(dModel, nhead, mha);
    this.linear1 = new Linear(dModel, o.dimFeedforward, { bias, dtype, generator });
    this.dropout = new Dropout(o.dropout);
    this.linear2 = new Linear(o.dimFeedforward, dModel, { bias, dtype, generator });
    this.normFirst = o.normFirst;
    const ln = { eps: o.layerNormEps, bias, dtype };
    this.norm1 = new LayerNorm(dModel, ln);
    this.norm2 = new LayerNorm(dModel, ln);
    this.norm3 = new LayerNorm(dModel, ln);
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    this.dropout3 = new Dropout(o.dropout);
    this.activation = o.activation;
  }

  private get who(): string {
    return `TransformerDecoderLayer(d_model=${this.dModel}, nhead=${this.nhead})`;
  }

  /** @internal A copy with equal weights (TransformerDecoder stacks copies, like PyTorch's deepcopy). */
  _copy(): TransformerDecoderLayer {
    const c = new TransformerDecoderLayer(this.dModel, this.nhead, this._opts);
    c.loadStateDict(this.stateDict());
    return c.train(this.training);
  }

  private saBlock(x: Tensor, o: TransformerDecoderForwardOptions): Tensor {
    const [y] = this.selfAttn.call(x, x, x, {
      attnMask: o.tgtMask ?? null, keyPaddingMask: o.tgtKeyPaddingMask ?? null, isCausal: o.tgtIsCausal ?? false, needWeights: false,
      _names: { who: this.who, attnMask: "tgtMask", keyPaddingMask: "tgtKeyPaddingMask" },
    });
    return this.dropout1.call(y);
  }

  private mhaBlock(x: Tensor, memory: Tensor, o: TransformerDecoderForwardOptions): Tensor {
    const [y] = this.multiheadAttn.call(x, memory, memory, {
      attnMask: o.memoryMask ?? null, keyPaddingMask: o.memoryKeyPaddingMask ?? null, isCausal: o.memoryIsCausal ?? false, needWeights: false,
      _names: { who: this.who, attnMask: "memoryMask", keyPaddingMask: "memoryKeyPaddingMask" },
    });
    return this.dropout2.call(y);
  }

  private ffBlock(x: Tensor, drop: DropScratch): Tensor {
    return feedForward({ linear1: this.linear1, activation: this.activation, dropout: this.dropout, linear2: this.linear2, out: this.dropout3 }, x, drop);
  }

  forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderForwardOptions = {}): Tensor {
    checkSequence(this.who, "tgt", tgt, this.dModel, this._opts.batchFirst);
    checkSequence(this.who, "memory", memory, this.dModel, this._opts.batchFirst);
    const drop = scratchOf(this);
    const x1 = residual(tgt, this.norm1, this.normFirst, (h) => this.saBlock(h, opts), drop);
    const x2 = residual(x1, this.norm2, this.normFirst, (h) => this.mhaBlock(h, memory, opts), drop);
    drop(x1);
    const out = residual(x2, this.norm3, this.normFirst, (h) => this.ffBlock(h, drop), drop);
    drop(x2);
    return out;
  }

  override extraRepr(): string {
    return `d_model=${this.dModel}, nhead=${this.nhead}`;
  }
}

/** Options of `TransformerDecoder`. */
export interface TransformerDecoderOptions {
  /** A final normalization of the last layer's output (key `norm.*`). Default none. */
  norm?: LayerNorm | null;
}

/**
 * A stack of `numLayers` copies of `decoderLayer` (equal initial weights; keys `layers.N.*`) and an
 * optional final `norm`, as PyTorch's `nn.TransformerDecoder`; every layer gets the same memory
 * and masks.
 *
 * @example
 * const dec = new st.nn.TransformerDecoder(new st.nn.TransformerDecoderLayer(32, 4, { dimFeedforward: 64 }), 2);
 * dec.call(st.randn([6, 2, 32]), st.randn([9, 2, 32]), { tgtIsCausal: true }).shape // [6, 2, 32]
 */
export class TransformerDecoder extends Module<[Tensor, Tensor, TransformerDecoderForwardOptions?], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["tgt", "memory"];
  /** Number of stacked layers. */
  readonly numLayers: number;
  /** The layers (deep copies of the given one, each initialized afresh). */
  layers: ModuleList;
  /** Final LayerNorm, or null. */
  norm: LayerNorm | null;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, opts: TransformerDecoderOptions = {}) {
    super();
    if (!(decoderLayer instanceof TransformerDecoderLayer)) {
      throw new ValueError(`TransformerDecoder: decoderLayer must be a TransformerDecoderLayer (got ${String((decoderLayer as object)?.constructor?.name ?? decoderLayer)})`);
    }
    checkSize("TransformerDecoder", "numLayers", numLayers);
    this.numLayers = numLayers;
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => decoderLayer._copy()));
    this.norm = opts.norm ?? null;
  }

  forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderForwardOptions = {}): Tensor {
    const layers = [...this.layers] as TransformerDecoderLayer[];
    return runStack(tgt, layers, this.norm, (l, x) => l.call(x, memory, opts), scratchOf(this));
  }
}

// their forward keeps nothing it is given or makes (nn/scratch.ts)
trustForward(TransformerDecoderLayer, TransformerDecoder);
