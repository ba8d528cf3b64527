// MultiheadAttention: PyTorch's nn.MultiheadAttention (parameters, state-dict keys, init, masks)
// on top of st.nn.functional.scaledDotProductAttention, with steadytensor's mask convention
// (bool `true` = attend) for both attnMask and keyPaddingMask.

import type { DType } from "../../core/dtype.js";
import { isFloat } from "../../core/dtype.js";
import { full, zeros } from "../../core/creation.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import { Tensor } from "../../core/tensor.js";
import { sameStorage } from "../../core/tensor-internals.js";
import { add, cast, logicalAnd, mul, where } from "../../ops/elementwise.js";
import { matmulT } from "../../ops/linalg.js";
import { attention } from "../../ops/attention.js";
import { cat, expand, permute, reshape, split, squeeze, transpose, unsqueeze } from "../../ops/shape.js";
import { maskedSoftmax } from "../../numerics/masked-softmax.js";
import { causalMask, scaledDotProductAttention } from "../functional/attention.js";
import { type DropScratch, scratchOf, trustForward } from "../scratch.js";
import { dropout as dropoutFn } from "../functional/dropout.js";
import { linear } from "../functional/linear.js";
import { constant_, xavierNormal_, xavierUniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { Linear, checkSize, floatDType } from "./linear.js";

/** Options of `MultiheadAttention` (PyTorch's names, camelCased). */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights while training (default 0). */
  dropout?: number;
  /** Biases of the input and output projections (default true). */
  bias?: boolean;
  /** Learned key and value rows appended to the keys and values (`bias_k`, `bias_v`; default false). */
  addBiasKv?: boolean;
  /** Feature size of the keys (default embedDim). */
  kdim?: number;
  /** Feature size of the values (default embedDim). */
  vdim?: number;
  /** Inputs and output are [B, L, E] instead of [L, B, E] (default false, as PyTorch). */
  batchFirst?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** Random source of the initialization (default: the global generator). */
  generator?: Generator;
}

/** Options of `MultiheadAttention.forward`: masks (true = attend) and what to return. */
export interface MultiheadAttentionForwardOptions {
  /**
   * [B, S] (or [S] unbatched): bool with `true` = attend (a real key), `false` = padding — the
   * OPPOSITE of PyTorch's key_padding_mask (convert with `st.nn.fromTorchKeyPaddingMask`) — or
   * float, added to the scores.
   */
  keyPaddingMask?: Tensor | null;
  /** [L, S] or [B·numHeads, L, S]: bool (`true` = attend) or float (added to the scores). */
  attnMask?: Tensor | null;
  /**
   * Applies the look-ahead mask (query i attends to keys j ≤ i), combined with any other mask.
   * (PyTorch 2 treats is_causal as a hint that attn_mask is causal; here it is the mask itself.)
   */
  isCausal?: boolean;
  /** Return the attention weights (default true, as PyTorch; false lets the fused kernel run). */
  needWeights?: boolean;
  /** Average the returned weights over heads → [B, L, S]; false gives [B, numHeads, L, S] (default true). */
  averageAttnWeights?: boolean;
  /**
   * @internal How a calling layer names itself and these masks in error messages (a Transformer
   * layer's srcMask is this module's attnMask).
   */
  _names?: { who: string; attnMask: string; keyPaddingMask: string };
}

/** The broadcast form of the masks of one call: bool (true = attend) or additive float, or null. */
function combineMasks(masks: Tensor[], dtype: DType): Tensor | null {
  if (masks.length === 0) return null;
  if (masks.every((m) => m.dtype === "bool")) return masks.reduce((a, b) => logicalAnd(a, b));
  const additive = masks.map((m) => (m.dtype === "bool" ? where(m, 0, -Infinity).to(dtype) : m.dtype === dtype ? m : cast(m, dtype)));
  return additive.reduce((a, b) => add(a, b));
}

/** Appends one "attend" column to a mask (the key of bias_k / bias_v). */
function padAttend(m: Tensor): Tensor {
  const shape = [...m.shape.slice(0, -1), 1];
  return cat([m, m.dtype === "bool" ? full(shape, true, { dtype: "bool" }) : zeros(shape, { dtype: m.dtype })], -1);
}

/**
 * Multi-head attention (Vaswani et al. 2017), as PyTorch's `nn.MultiheadAttention`:
 *
 *   headᵢ = softmax((Q·W_Qᵢ)(K·W_Kᵢ)ᵀ/√d + mask)·(V·W_Vᵢ),  out = concat(head₁…head_h)·W_Oᵀ + b_O
 *
 * with d = embedDim / numHeads. Inputs are [L, B, E] (or [B, L, E] with batchFirst, or unbatched
 * [L, E]); `forward(query, key, value, opts)` returns `[output, weights]`, weights null when
 * `needWeights` is false. Parameters and state-dict keys are PyTorch's: `in_proj_weight` [3E, E]
 * and `in_proj_bias` [3E] (or `q_proj_weight` [E, E], `k_proj_weight` [E, kdim], `v_proj_weight`
 * [E, vdim] when kdim/vdim differ from embedDim), `bias_k`/`bias_v` [1, 1, E] with addBiasKv,
 * `out_proj.weight`/`out_proj.bias`; init as PyTorch: xavier-uniform projections, zero biases,
 * xavier-normal bias_k/bias_v, the default Linear init for out_proj.weight.
 *
 * Masks: `true` = attend for bool masks, everywhere (PyTorch uses `true` = ignore); float masks
 * are added to the scores. A query whose keys are all masked gets a zero output (not NaN).
 *
 * @example
 * const mha = new st.nn.MultiheadAttention(16, 4, { batchFirst: true });
 * const x = st.randn([2, 5, 16]);
 * const [out, w] = mha.call(x, x, x, { isCausal: true }); // out [2, 5, 16], w [2, 5, 5]
 */
export class MultiheadAttention extends Module<[Tensor, Tensor, Tensor, MultiheadAttentionForwardOptions?], [Tensor, Tensor | null]> {
  static override readonly tensorInputs: readonly string[] = ["query", "key", "value"];
  /** Model width E (query features). */
  readonly embedDim: number;
  /** Number of heads H (E must be divisible by H). */
  readonly numHeads: number;
  /** E / H, the width of each head. */
  readonly headDim: number;
  /** Key features (default E). */
  readonly kdim: number;
  /** Value features (default E). */
  readonly vdim: number;
  /** Dropout probability on the attention weights (default 0). */
  readonly dropout: number;
  /** Inputs are [B, L, E] when true, [L, B, E] otherwise (PyTorch's default false). */
  readonly batchFirst: boolean;
  // field order = PyTorch's state-dict order (parameters first, then out_proj)
  /** The packed Q/K/V projection, [3E, E] (when kdim = vdim = E), else null. */
  inProjWeight: Parameter | null = null;
  /** The query projection [E, E] when kdim or vdim differ from E, else null. */
  qProjWeight: Parameter | null = null;
  /** The key projection [E, kdim] when kdim or vdim differ from E, else null. */
  kProjWeight: Parameter | null = null;
  /** The value projection [E, vdim] when kdim or vdim differ from E, else null. */
  vProjWeight: Parameter | null = null;
  /** The packed Q/K/V bias [3E], or null with `bias: false`. */
  inProjBias: Parameter | null = null;
  /** Bias appended to the key sequence ([1, 1, E], `addBiasKv`), or null. */
  biasK: Parameter | null = null;
  /** Bias appended to the value sequence ([1, 1, E], `addBiasKv`), or null. */
  biasV: Parameter | null = null;
  /** The output projection (E → E). */
  outProj: Linear;

  constructor(embedDim: number, numHeads: number, opts: MultiheadAttentionOptions = {}) {
    super();
    const who = "MultiheadAttention";
    checkSize(who, "embedDim", embedDim);
    checkSize(who, "numHeads", numHeads);
    if (embedDim % numHeads !== 0) {
      throw new ValueError(`${who}: embedDim (${embedDim}) must be divisible by numHeads (${numHeads}); each head gets embedDim / numHeads features`);
    }
    const kdim = opts.kdim ?? embedDim, vdim = opts.vdim ?? embedDim;
    checkSize(who, "kdim", kdim);
    checkSize(who, "vdim", vdim);
    const p = opts.dropout ?? 0;
    if (!(p >= 0 && p <= 1)) throw new ValueError(`${who}: dropout must lie in [0, 1] (got ${p})`);
    const dtype = floatDType(who, opts.dtype);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.kdim = kdim;
    this.vdim = vdim;
    this.dropout = p;
    this.batchFirst = opts.batchFirst ?? false;
    const g = { generator: opts.generator };
    if (kdim === embedDim && vdim === embedDim) {
      this.inProjWeight = new Parameter(zeros([3 * embedDim, embedDim], { dtype }));
      xavierUniform_(this.inProjWeight, 1, g);
    } else {
      this.qProjWeight = new Parameter(zeros([embedDim, embedDim], { dtype }));
      this.kProjWeight = new Parameter(zeros([embedDim, kdim], { dtype }));
      this.vProjWeight = new Parameter(zeros([embedDim, vdim], { dtype }));
      for (const w of [this.qProjWeight, this.kProjWeight, this.vProjWeight]) xavierUniform_(w, 1, g);
    }
    const bias = opts.bias ?? true;
    if (bias) this.inProjBias = new Parameter(zeros([3 * embedDim], { dtype }));
    if (opts.addBiasKv) {
      this.biasK = new Parameter(zeros([1, 1, embedDim], { dtype }));
      this.biasV = new Parameter(zeros([1, 1, embedDim], { dtype }));
      xavierNormal_(this.biasK, 1, g);
      xavierNormal_(this.biasV, 1, g);
    }
    this.outProj = new Linear(embedDim, embedDim, { bias, dtype, generator: opts.generator });
    if (this.outProj.bias !== null) constant_(this.outProj.bias, 0);
  }

  private get who(): string {
    return `MultiheadAttention(embed_dim=${this.embedDim}, num_heads=${this.numHeads})`;
  }

  /** q, k, v projected to embedDim, in the input's layout. */
  private project(query: Tensor, key: Tensor, value: Tensor, dropScratch: DropScratch): [Tensor, Tensor, Tensor] {
    const E = this.embedDim;
    if (this.inProjWeight !== null && query === key && key === value) {
      // self-attention: one [3E, E] projection, then the three column blocks (the bias whole)
      const qkv = linear(query, this.inProjWeight, this.inProjBias);
      const parts = split(qkv, E, -1) as [Tensor, Tensor, Tensor];
      if (parts.every((p) => !sameStorage(p, qkv))) dropScratch(qkv); // (split copies; a view would share it)
      return parts;
    }
    const b = this.inProjBias === null ? [null, null, null] : split(this.inProjBias, E, 0);
    if (this.inProjWeight !== null) {
      const [wq, wk, wv] = split(this.inProjWeight, E, 0) as [Tensor, Tensor, Tensor];
      return [linear(query, wq, b[0]), linear(key, wk, b[1]), linear(value, wv, b[2])];
    }
    return [linear(query, this.qProjWeight!, b[0]), linear(key, this.kProjWeight!, b[1]), linear(value, this.vProjWeight!, b[2])];
  }

  private checkInputs(query: Tensor, key: Tensor, value: Tensor): { batched: boolean; B: number; L: number; S: number } {
    const who = this.who;
    const layout = this.batchFirst ? "[B, L, E]" : "[L, B, E]";
    if (query.ndim !== 2 && query.ndim !== 3) {
      throw new ShapeError(`${who}: query must be ${layout} or unbatched [L, E] (got shape ${fmtShape(query.shape)})`);
    }
    const batched = query.ndim === 3;
    for (const [name, t, d] of [["query", query, this.embedDim], ["key", key, this.kdim], ["value", value, this.vdim]] as const) {
      if (!isFloat(t.dtype)) throw new DTypeError(`${who}: ${name} must be float32 or float64 (got ${t.dtype})`);
      if (t.ndim !== query.ndim || t.shape[t.ndim - 1] !== d) {
        const exp = batched ? (this.batchFirst ? `[B, ·, ${d}]` : `[·, B, ${d}]`) : `[·, ${d}]`;
        throw new ShapeError(`${who}: ${name} must have shape ${exp} like the query ${fmtShape(query.shape)} (got ${fmtShape(t.shape)})`);
      }
    }
    const seqDim = batched && !this.batchFirst ? 0 : batched ? 1 : 0;
    const B = batched ? query.shape[this.batchFirst ? 0 : 1]! : 1;
    if (batched && (key.shape[this.batchFirst ? 0 : 1] !== B || value.shape[this.batchFirst ? 0 : 1] !== B)) {
      throw new ShapeError(`${who}: query, key and value must have one batch size (got ${fmtShape(query.shape)}, ${fmtShape(key.shape)}, ${fmtShape(value.shape)}; layout ${layout})`);
    }
    if (key.shape[seqDim] !== value.shape[seqDim]) {
      throw new ShapeError(`${who}: key and value must have one sequence length (got key ${fmtShape(key.shape)}, value ${fmtShape(value.shape)})`);
    }
    return { batched, B, L: query.shape[seqDim]!, S: key.shape[seqDim]! };
  }

  private checkMask(who: string, name: string, m: Tensor, shapes: number[][]): void {
    const expected = shapes.map((s) => fmtShape(s)).join(" or ");
    if (!(m instanceof Tensor)) throw new DTypeError(`${who}: ${name} must be a bool or float Tensor of shape ${expected} (got ${m === null ? "null" : typeof m})`);
    if (m.dtype !== "bool" && !isFloat(m.dtype)) {
      throw new DTypeError(`${who}: ${name} must be bool (true = attend) or float (additive), got ${m.dtype}; expected shape ${expected}`);
    }
    if (!shapes.some((s) => s.length === m.ndim && s.every((n, i) => n === m.shape[i]))) {
      throw new ShapeError(`${who}: ${name} has shape ${fmtShape(m.shape)}, expected ${expected}`);
    }
  }

  forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const { batched, B, L, S } = this.checkInputs(query, key, value);
    const H = this.numHeads, D = this.headDim, E = this.embedDim, bf = this.batchFirst;
    const needWeights = opts.needWeights ?? true;
    // masks, in the broadcast layout [B, H, L, S]
    const masks: Tensor[] = [];
    const names = opts._names ?? { who: this.who, attnMask: "attnMask", keyPaddingMask: "keyPaddingMask" };
    if (opts.attnMask != null) {
      this.checkMask(names.who, names.attnMask, opts.attnMask, batched ? [[L, S], [B * H, L, S]] : [[L, S], [H, L, S]]);
      masks.push(opts.attnMask.ndim === 2 ? opts.attnMask : reshape(opts.attnMask, [B, H, L, S]));
    }
    if (opts.keyPaddingMask != null) {
      this.checkMask(names.who, names.keyPaddingMask, opts.keyPaddingMask, [batched ? [B, S] : [S]]);
      masks.push(reshape(opts.keyPaddingMask, [B, 1, 1, S]));
    }
    const causal = opts.isCausal ?? false;
    if (causal && (masks.length > 0 || needWeights || this.biasK !== null)) masks.push(causalMask(L, S));
    const useCausalFlag = causal && masks.length === 0;

    // Work batch-first [B, ·, E]: a sequence-first input is transposed once here (one copy of x for
    // self-attention) instead of permuting q, k and v apart into heads.
    const toBF = (t: Tensor): Tensor => (!batched ? unsqueeze(t, 0) : bf ? t : transpose(t, 0, 1));
    const qb = toBF(query);
    const kb = key === query ? qb : toBF(key);
    const vb = value === key ? kb : value === query ? qb : toBF(value);
    const dropScratch = scratchOf(this);
    let [q, k, v] = this.project(qb, kb, vb, dropScratch);
    // the projections and the attention output never leave this call (nn/scratch.ts)
    const scratch = [q, k, v];
    let Sk = S;
    let mask = combineMasks(masks, q.dtype);
    if (this.biasK !== null && this.biasV !== null) {
      k = cat([k, expand(this.biasK, [B, 1, E])], 1);
      v = cat([v, expand(this.biasV, [B, 1, E])], 1);
      scratch.push(k, v);
      Sk = S + 1;
      if (mask !== null) mask = padAttend(mask);
    }
    const p = this.training ? this.dropout : 0;
    let o: Tensor; // [B, L, E]
    let weights: Tensor | null = null;
    if (!needWeights && p === 0 && !(mask?.requiresGrad ?? false)) {
      // the fused primitive reads the heads of [B, ·, H·D] in place ("blhd": a reshape, no copy)
      const m4 = mask === null ? null : mask.ndim === 4 ? mask : reshape(mask, [1, 1, ...mask.shape]);
      o = reshape(attention(reshape(q, [B, L, H, D]), reshape(k, [B, Sk, H, D]), reshape(v, [B, Sk, H, D]), m4, {
        scale: 1 / Math.sqrt(D), causal: useCausalFlag, layout: "blhd",
      }), [B, L, E]);
    } else {
      // heads apart: [B, H, ·, D]
      const heads = (t: Tensor, n: number): Tensor => permute(reshape(t, [B, n, H, D]), [0, 2, 1, 3]);
      const qh = heads(q, L), kh = heads(k, Sk), vh = heads(v, Sk);
      let oh: Tensor;
      if (needWeights) {
        // the weights are returned, so they are formed here (the fused kernel never stores them)
        let w = maskedSoftmax(mul(matmulT(qh, kh, false, true), 1 / Math.sqrt(D)), mask, -1);
        if (p > 0) w = dropoutFn(w, p, true);
        oh = matmulT(w, vh, false, false);
        weights = opts.averageAttnWeights ?? true ? w.mean(1) : w;
        if (!batched) weights = squeeze(weights, 0);
      } else {
        oh = scaledDotProductAttention(qh, kh, vh, { attnMask: mask, isCausal: useCausalFlag, dropoutP: p });
      }
      o = reshape(permute(oh, [0, 2, 1, 3]), [B, L, E]);
    }
    let out = this.outProj.call(o);
    for (const t of new Set([...scratch, o])) dropScratch(t);
    out = !batched ? squeeze(out, 0) : bf ? out : transpose(out, 0, 1);
    return [out, weights];
  }

  override extraRepr(): string {
    return `embed_dim=${this.embedDim}, num_heads=${this.numHeads}`;
  }
}

// their forward keeps nothing it is given or makes (nn/scratch.ts)
trustForward(MultiheadAttention);
