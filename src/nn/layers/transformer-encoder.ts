// TransformerEncoderLayer and TransformerEncoder: PyTorch's modules of the same names (options,
// sub-module names and state-dict keys, post-norm by default, pre-norm with normFirst), on
// MultiheadAttention. Also the option types and helpers the decoder shares.

import type { DType } from "../../core/dtype.js";
import { ValueError, ShapeError, fmtShape } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { Module } from "../module.js";
import { type DropScratch, scratchOf, trustForward } from "../scratch.js";
import { ModuleList } from "./containers.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./layer-norm.js";
import { Linear, checkSize } from "./linear.js";
import { MultiheadAttention } from "./multihead-attention.js";
import { type TransformerActivation, feedForward, residual, runStack } from "./transformer-blocks.js";

export { type TransformerActivation, applyActivation } from "./transformer-blocks.js";

/** Options of the encoder and decoder layers (PyTorch's defaults: dimFeedforward 2048, dropout 0.1, relu, post-norm). */
export interface TransformerLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1; off in eval mode). */
  dropout?: number;
  /** Feed-forward nonlinearity (default "relu"). */
  activation?: TransformerActivation;
  /** LayerNorm eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs are [B, L, dModel] instead of [L, B, dModel] (default false, as PyTorch). */
  batchFirst?: boolean;
  /** Pre-norm: x + f(norm(x)) instead of the original post-norm norm(x + f(x)) (default false). */
  normFirst?: boolean;
  /** Biases in the linear layers, attention and LayerNorms (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** Random source of the initialization (default: the global generator). */
  generator?: Generator;
}

/** Masks of an encoder layer's forward pass (true = attend). */
export interface TransformerEncoderLayerForwardOptions {
  /** [L, L] or [B·nhead, L, L]: bool (`true` = attend) or float (added to the scores). */
  srcMask?: Tensor | null;
  /** Shape [B, L], bool `true` = a real token (PyTorch's is the opposite: see fromTorchKeyPaddingMask) or float. */
  srcKeyPaddingMask?: Tensor | null;
  /** Apply the look-ahead mask (combined with srcMask when both are given). Default false. */
  isCausal?: boolean;
}

/** @internal Resolved layer options (what a clone of the layer is built from). */
export interface ResolvedLayerOptions {
  dimFeedforward: number;
  dropout: number;
  activation: TransformerActivation;
  layerNormEps: number;
  batchFirst: boolean;
  normFirst: boolean;
  bias: boolean;
  dtype: DType | undefined;
}

/** @internal Checks and fills the defaults of the shared layer options. */
export function resolveLayerOptions(who: string, dModel: number, nhead: number, o: TransformerLayerOptions): ResolvedLayerOptions {
  checkSize(who, "dModel", dModel);
  checkSize(who, "nhead", nhead);
  if (dModel % nhead !== 0) throw new ValueError(`${who}: dModel (${dModel}) must be divisible by nhead (${nhead})`);
  const r: ResolvedLayerOptions = {
    dimFeedforward: o.dimFeedforward ?? 2048, dropout: o.dropout ?? 0.1, activation: o.activation ?? "relu",
    layerNormEps: o.layerNormEps ?? 1e-5, batchFirst: o.batchFirst ?? false, normFirst: o.normFirst ?? false,
    bias: o.bias ?? true, dtype: o.dtype,
  };
  checkSize(who, "dimFeedforward", r.dimFeedforward);
  if (!(r.dropout >= 0 && r.dropout <= 1)) throw new ValueError(`${who}: dropout must lie in [0, 1] (got ${r.dropout})`);
  const a = r.activation;
  if (a !== "relu" && a !== "gelu" && typeof a !== "function" && !(a instanceof Module)) {
    throw new ValueError(`${who}: activation must be "relu", "gelu", a function or a Module (got ${JSON.stringify(a)})`);
  }
  return r;
}

/** @internal Checks a sequence input [L, B, D] / [B, L, D] (or unbatched [L, D]) of a Transformer module. */
export function checkSequence(who: string, name: string, x: Tensor, dModel: number, batchFirst: boolean): void {
  if ((x.ndim !== 3 && x.ndim !== 2) || x.shape[x.ndim - 1] !== dModel) {
    const layout = batchFirst ? `[B, L, ${dModel}]` : `[L, B, ${dModel}]`;
    throw new ShapeError(`${who}: ${name} must be ${layout} or unbatched [L, ${dModel}] (got shape ${fmtShape(x.shape)})`);
  }
}

/**
 * One Transformer encoder block (Vaswani et al. 2017), as PyTorch's `nn.TransformerEncoderLayer`:
 *
 *   post-norm (default): x = norm1(x + SA(x));       x = norm2(x + FF(x))
 *   pre-norm (normFirst): x = x + SA(norm1(x));       x = x + FF(norm2(x))
 *
 * with SA self-attention (`self_attn`, a MultiheadAttention) and FF(x) = linear2(dropout(act(linear1(x)))),
 * each followed by dropout. Sub-modules and state-dict keys are PyTorch's (`self_attn.in_proj_weight`,
 * `linear1.weight`, `norm1.bias`, …), so PyTorch weights load unchanged. Defaults as PyTorch:
 * dimFeedforward 2048, dropout 0.1, relu, layerNormEps 1e-5, batchFirst false, normFirst false.
 * Masks: bool `true` = attend (PyTorch's bool masks mean the opposite).
 *
 * @example
 * const layer = new st.nn.TransformerEncoderLayer(32, 4, { dimFeedforward: 64, batchFirst: true });
 * const y = layer.call(st.randn([2, 10, 32]), { isCausal: true }); // [2, 10, 32]
 */
export class TransformerEncoderLayer extends Module<[Tensor, TransformerEncoderLayerForwardOptions?], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["src"];
  /** Model width d_model. */
  readonly dModel: number;
  /** Number of attention heads. */
  readonly nhead: number;
  /** @internal */
  readonly _opts: ResolvedLayerOptions;
  /** Self-attention over the sequence. */
  selfAttn: MultiheadAttention;
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
  /** LayerNorm of the feed-forward block. */
  norm2: LayerNorm;
  /** Dropout on the self-attention output. */
  dropout1: Dropout;
  /** Dropout on the feed-forward output. */
  dropout2: Dropout;
  /** Activation of the feed-forward block ("relu" by default, or "gelu"). */
  readonly activation: TransformerActivation;

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    const o = resolveLayerOptions("TransformerEncoderLayer", dModel, nhead, opts);
    const { dtype, bias } = o;
    const generator = opts.generator;
    this.dModel = dModel;
    this.nhead = nhead;
    this._opts = o;
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: o.dropout, bias, batchFirst: o.batchFirst, dtype, generator });
    this.linear1 = new Linear(dModel, o.dimFeedforward, { bias, dtype, generator });
    this.dropout = new Dropout(o.dropout);
    this.linear2 = new Linear(o.dimFeedforward, dModel, { bias, dtype, generator });
    this.normFirst = o.normFirst;
    this.norm1 = new LayerNorm(dModel, { eps: o.layerNormEps, bias, dtype });
    this.norm2 = new LayerNorm(dModel, { eps: o.layerNormEps, bias, dtype });
    this.dropout1 = new Dropout(o.dropout);
    this.dropout2 = new Dropout(o.dropout);
    this.activation = o.activation;
  }

  private get who(): string {
    return `TransformerEncoderLayer(d_model=${this.dModel}, nhead=${this.nhead})`;
  }

  /** @internal A copy with equal weights (TransformerEncoder stacks copies, like PyTorch's deepcopy). */
  _copy(): TransformerEncoderLayer {
    const c = new TransformerEncoderLayer(this.dModel, this.nhead, this._opts);
    c.loadStateDict(this.stateDict());
    return c.train(this.training);
  }

  private saBlock(x: Tensor, o: TransformerEncoderLayerForwardOptions): Tensor {
    const [y] = this.selfAttn.call(x, x, x, {
      attnMask: o.srcMask ?? null, keyPaddingMask: o.srcKeyPaddingMask ?? null, isCausal: o.isCausal ?? false, needWeights: false,
      _names: { who: this.who, attnMask: "srcMask", keyPaddingMask: "srcKeyPaddingMask" },
    });
    return this.dropout1.call(y);
  }

  private ffBlock(x: Tensor, drop: DropScratch): Tensor {
    return feedForward({ linear1: this.linear1, activation: this.activation, dropout: this.dropout, linear2: this.linear2, out: this.dropout2 }, x, drop);
  }

  forward(src: Tensor, opts: TransformerEncoderLayerForwardOptions = {}): Tensor {
    checkSequence(this.who, "src", src, this.dModel, this._opts.batchFirst);
    const drop = scratchOf(this);
    const x = residual(src, this.norm1, this.normFirst, (h) => this.saBlock(h, opts), drop);
    const out = residual(x, this.norm2, this.normFirst, (h) => this.ffBlock(h, drop), drop);
    drop(x);
    return out;
  }

  override extraRepr(): string {
    return `d_model=${this.dModel}, nhead=${this.nhead}`;
  }
}

/** Options of `TransformerEncoder`. */
export interface TransformerEncoderOptions {
  /** A final normalization applied to the last layer's output (PyTorch's `norm`; key `norm.*`). Default none. */
  norm?: LayerNorm | null;
}

/** Masks of the encoder's forward pass (true = attend). */
export interface TransformerEncoderForwardOptions {
  /** The attention mask of every layer (PyTorch's `mask`): [L, L] or [B·nhead, L, L], bool `true` = attend or float. */
  mask?: Tensor | null;
  /** Shape [B, L], bool `true` = a real token, or float. */
  srcKeyPaddingMask?: Tensor | null;
  /** Apply the look-ahead mask in every layer. Default false. */
  isCausal?: boolean;
}

/**
 * A stack of `numLayers` copies of `encoderLayer` (equal initial weights, as PyTorch's deepcopy;
 * keys `layers.0.*` … ) and an optional final `norm`, as PyTorch's `nn.TransformerEncoder`.
 *
 * @example
 * const enc = new st.nn.TransformerEncoder(new st.nn.TransformerEncoderLayer(32, 4, { dimFeedforward: 64 }), 2);
 * enc.call(st.randn([10, 2, 32]), { srcKeyPaddingMask: st.nn.paddingMask([10, 7]) }).shape // [10, 2, 32]
 */
export class TransformerEncoder extends Module<[Tensor, TransformerEncoderForwardOptions?], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["src"];
  /** Number of stacked layers. */
  readonly numLayers: number;
  /** The layers (deep copies of the given one, each initialized afresh). */
  layers: ModuleList;
  /** Final LayerNorm, or null. */
  norm: LayerNorm | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, opts: TransformerEncoderOptions = {}) {
    super();
    if (!(encoderLayer instanceof TransformerEncoderLayer)) {
      throw new ValueError(`TransformerEncoder: encoderLayer must be a TransformerEncoderLayer (got ${String((encoderLayer as object)?.constructor?.name ?? encoderLayer)})`);
    }
    checkSize("TransformerEncoder", "numLayers", numLayers);
    this.numLayers = numLayers;
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => encoderLayer._copy()));
    this.norm = opts.norm ?? null;
  }

  forward(src: Tensor, opts: TransformerEncoderForwardOptions = {}): Tensor {
    const o = { srcMask: opts.mask ?? null, srcKeyPaddingMask: opts.srcKeyPaddingMask ?? null, isCausal: opts.isCausal ?? false };
    const layers = [...this.layers] as TransformerEncoderLayer[];
    return runStack(src, layers, this.norm, (l, x) => l.call(x, o), scratchOf(this));
  }
}

// their forward keeps nothing it is given or makes (nn/scratch.ts)
trustForward(TransformerEncoderLayer, TransformerEncoder);
