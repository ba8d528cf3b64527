// Transformer: PyTorch's nn.Transformer (an encoder stack and a decoder stack with final
// LayerNorms, xavier-uniform init), with the options passed as one object.

import { ShapeError, fmtShape } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { xavierUniform_ } from "../init.js";
import { generateSquareSubsequentMask } from "../masks.js";
import { Module } from "../module.js";
import { LayerNorm } from "./layer-norm.js";
import { TransformerDecoder, TransformerDecoderLayer, type TransformerDecoderForwardOptions } from "./transformer-decoder.js";
import {
  TransformerEncoder, TransformerEncoderLayer, type TransformerEncoderForwardOptions, type TransformerLayerOptions,
} from "./transformer-encoder.js";

/** What Transformer calls as its encoder: TransformerEncoder or a module with its forward signature. */
export type EncoderLike = Module<[Tensor, TransformerEncoderForwardOptions?], Tensor>;
/** What Transformer calls as its decoder: TransformerDecoder or a module with its forward signature. */
export type DecoderLike = Module<[Tensor, Tensor, TransformerDecoderForwardOptions?], Tensor>;

/** Options of `Transformer` (PyTorch's defaults: dModel 512, nhead 8, 6 + 6 layers). */
export interface TransformerOptions extends TransformerLayerOptions {
  /** Model width (default 512). */
  dModel?: number;
  /** Attention heads (default 8). */
  nhead?: number;
  /** Encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Decoder layers (default 6). */
  numDecoderLayers?: number;
  /** Use this encoder instead of building one (PyTorch's custom_encoder). */
  customEncoder?: EncoderLike | null;
  /** Use this decoder instead of building one (PyTorch's custom_decoder). */
  customDecoder?: DecoderLike | null;
}

/** Masks of `Transformer.forward` (true = attend). */
export interface TransformerForwardOptions {
  /** Encoder self-attention mask [S, S] (or [B·nhead, S, S]): bool `true` = attend, or float. */
  srcMask?: Tensor | null;
  /** Decoder self-attention mask [T, T]: bool `true` = attend (generateSquareSubsequentMask(T)), or float. */
  tgtMask?: Tensor | null;
  /** Decoder cross-attention mask [T, S]: bool `true` = attend, or float. */
  memoryMask?: Tensor | null;
  /** Shape [B, S], bool `true` = a real source token (PyTorch's is the opposite: fromTorchKeyPaddingMask). */
  srcKeyPaddingMask?: Tensor | null;
  /** Shape [B, T], bool `true` = a real target token. */
  tgtKeyPaddingMask?: Tensor | null;
  /** Shape [B, S], bool `true` = a real memory position (usually srcKeyPaddingMask). */
  memoryKeyPaddingMask?: Tensor | null;
}

/**
 * The encoder-decoder Transformer (Vaswani et al. 2017), as PyTorch's `nn.Transformer`:
 *
 *   memory = encoder(src, srcMask, srcKeyPaddingMask)
 *   out    = decoder(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask)
 *
 * `encoder` is a TransformerEncoder of numEncoderLayers layers with a final LayerNorm
 * (`encoder.norm`), `decoder` likewise (`decoder.norm`); every weight matrix starts
 * xavier-uniform, as PyTorch. Options and defaults are PyTorch's, camelCased, in one object:
 * dModel 512, nhead 8, 6 + 6 layers, dimFeedforward 2048, dropout 0.1, activation "relu",
 * layerNormEps 1e-5, batchFirst false, normFirst false. Masks: bool `true` = attend.
 *
 * @example
 * const model = new st.nn.Transformer({ dModel: 32, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 64, batchFirst: true });
 * const src = st.randn([2, 9, 32]), tgt = st.randn([2, 6, 32]);
 * model.call(src, tgt, { tgtMask: st.nn.Transformer.generateSquareSubsequentMask(6) }).shape // [2, 6, 32]
 */
export class Transformer extends Module<[Tensor, Tensor, TransformerForwardOptions?], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["src", "tgt"];
  /** Model width d_model. */
  readonly dModel: number;
  /** Number of attention heads. */
  readonly nhead: number;
  /** Inputs are [B, L, d] when true, [L, B, d] otherwise (PyTorch's default false). */
  readonly batchFirst: boolean;
  /** The encoder stack. */
  encoder: EncoderLike;
  /** The decoder stack. */
  decoder: DecoderLike;

  constructor(opts: TransformerOptions = {}) {
    super();
    const dModel = opts.dModel ?? 512, nhead = opts.nhead ?? 8;
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = opts.batchFirst ?? false;
    const ln = { eps: opts.layerNormEps ?? 1e-5, bias: opts.bias ?? true, dtype: opts.dtype };
    this.encoder = opts.customEncoder
      ?? (new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, opts), opts.numEncoderLayers ?? 6, { norm: new LayerNorm(dModel, ln) }));
    this.decoder = opts.customDecoder
      ?? (new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, opts), opts.numDecoderLayers ?? 6, { norm: new LayerNorm(dModel, ln) }));
    // PyTorch's _reset_parameters: xavier-uniform for every parameter with more than one dim
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p, 1, { generator: opts.generator });
  }

  /** The look-ahead mask (bool, `true` = attend); see `st.nn.generateSquareSubsequentMask`. */
  static generateSquareSubsequentMask(n: number): Tensor {
    return generateSquareSubsequentMask(n);
  }

  forward(src: Tensor, tgt: Tensor, opts: TransformerForwardOptions = {}): Tensor {
    const who = `Transformer(d_model=${this.dModel}, nhead=${this.nhead})`;
    const batched = src.ndim === 3;
    if (src.ndim !== tgt.ndim || (batched && src.shape[this.batchFirst ? 0 : 1] !== tgt.shape[this.batchFirst ? 0 : 1])) {
      throw new ShapeError(`${who}: src and tgt must have one batch size (got src ${fmtShape(src.shape)}, tgt ${fmtShape(tgt.shape)}; layout ${this.batchFirst ? "[B, L, E]" : "[L, B, E]"})`);
    }
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new ShapeError(`${who}: the feature size of src and tgt must equal d_model=${this.dModel} (got src ${fmtShape(src.shape)}, tgt ${fmtShape(tgt.shape)})`);
    }
    const memory = this.encoder.call(src, { mask: opts.srcMask ?? null, srcKeyPaddingMask: opts.srcKeyPaddingMask ?? null });
    return this.decoder.call(tgt, memory, {
      tgtMask: opts.tgtMask ?? null, memoryMask: opts.memoryMask ?? null,
      tgtKeyPaddingMask: opts.tgtKeyPaddingMask ?? null, memoryKeyPaddingMask: opts.memoryKeyPaddingMask ?? null,
    });
  }

  override extraRepr(): string {
    return `d_model=${this.dModel}, nhead=${this.nhead}`;
  }
}
