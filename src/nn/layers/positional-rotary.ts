// Rotary position embeddings (RoPE, Su et al. 2021) for queries and keys: positions enter
// attention as rotations, so q·k depends on the distance between positions only.

import type { DType } from "../../core/dtype.js";
import { isFloat } from "../../core/dtype.js";
import { tensor } from "../../core/creation.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import { add, mul, neg } from "../../ops/elementwise.js";
import { cat, narrow } from "../../ops/shape.js";
import { type AnyModule, Module } from "../module.js";
import { checkSize } from "./linear.js";

/** Options of `RotaryEmbedding`. */
export interface RotaryEmbeddingOptions {
  /** Frequency base: θᵢ = base^(−2i/headDim) (default 10000). */
  base?: number;
  /** Positions precomputed at construction (default 2048); longer sequences extend the table on demand. */
  maxSeqLen?: number;
}

/**
 * Rotary position embedding (RoPE, Su et al. 2021, "RoFormer"), applied to queries and keys of
 * shape [..., L, headDim] (e.g. [B, H, L, headDim]) before attention:
 *
 *   out = x·cos(p·θ) + rotateHalf(x)·sin(p·θ),  rotateHalf([x₁, x₂]) = [−x₂, x₁],
 *   θ = [θ₀ … θ_{d/2−1}, θ₀ … θ_{d/2−1}],  θᵢ = base^(−2i/d),  p = offset + position
 *
 * This is the **half-split** form of GPT-NeoX and Hugging Face's LLaMA (dimension i is paired
 * with i + d/2), not the interleaved form of GPT-J / Meta's original LLaMA code (pairs 2i, 2i+1):
 * weights trained with the interleaved form need their q/k projection rows permuted. The angles
 * are computed in float64 and rounded once to the input's dtype. No parameters.
 *
 * `call(x, offset)` rotates one tensor; `apply(q, k, {offset})` rotates both (offset: position of
 * the first row, for decoding with a cache).
 *
 * @example
 * const rope = new st.nn.RotaryEmbedding(8);
 * const q = st.randn([2, 4, 5, 8]), k = st.randn([2, 4, 5, 8]);   // [B, H, L, headDim]
 * const [qr, kr] = rope.apply(q, k);
 * st.nn.functional.scaledDotProductAttention(qr, kr, k, { isCausal: true }).shape // [2, 4, 5, 8]
 */
export class RotaryEmbedding extends Module<[Tensor, number?], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Width of each head the rotation applies to (even). */
  readonly headDim: number;
  /** θ base of the frequencies θᵢ = base^(−2i/d) (default 10000). */
  readonly base: number;
  /** cos and sin tables [n, headDim] per dtype (float64 angles, rounded once). */
  private readonly cache = new Map<DType, { n: number; cos: Tensor; sin: Tensor }>();
  private readonly minLen: number;

  constructor(headDim: number, opts: RotaryEmbeddingOptions = {}) {
    super();
    const who = "RotaryEmbedding";
    checkSize(who, "headDim", headDim);
    if (headDim % 2 !== 0) throw new ValueError(`${who}: headDim must be even (pairs of dims rotate together; got ${headDim})`);
    const base = opts.base ?? 10000;
    if (!(base > 1) || !Number.isFinite(base)) throw new ValueError(`${who}: base must be a finite number > 1 (got ${base})`);
    this.headDim = headDim;
    this.base = base;
    this.minLen = opts.maxSeqLen ?? 2048;
    checkSize(who, "maxSeqLen", this.minLen);
  }

  private tables(n: number, dtype: DType): { cos: Tensor; sin: Tensor } {
    const hit = this.cache.get(dtype);
    if (hit !== undefined && hit.n >= n) return hit;
    const len = Math.max(n, this.minLen, 2 * (hit?.n ?? 0));
    const d = this.headDim, h = d / 2;
    const c = new Float64Array(len * d), s = new Float64Array(len * d);
    for (let i = 0; i < h; i++) {
      const theta = Math.pow(this.base, (-2 * i) / d);
      for (let p = 0; p < len; p++) {
        const a = p * theta, ca = Math.cos(a), sa = Math.sin(a);
        c[p * d + i] = ca; c[p * d + i + h] = ca;
        s[p * d + i] = sa; s[p * d + i + h] = sa;
      }
    }
    const entry = {
      n: len,
      cos: tensor(c, { shape: [len, d], dtype: "float64" }).to(dtype),
      sin: tensor(s, { shape: [len, d], dtype: "float64" }).to(dtype),
    };
    this.cache.set(dtype, entry);
    return entry;
  }

  /** Rotates x [..., L, headDim] for positions offset … offset + L − 1. */
  forward(x: Tensor, offset = 0): Tensor {
    const who = `RotaryEmbedding(head_dim=${this.headDim})`;
    if (!isFloat(x.dtype)) throw new DTypeError(`${who}: input must be float32 or float64 (got ${x.dtype})`);
    if (x.ndim < 2 || x.shape[x.ndim - 1] !== this.headDim) {
      throw new ShapeError(`${who}: expected [..., L, ${this.headDim}] (positions on dim −2; got shape ${fmtShape(x.shape)})`);
    }
    if (!Number.isInteger(offset) || offset < 0) throw new ValueError(`${who}: offset must be a non-negative integer (got ${offset})`);
    const L = x.shape[x.ndim - 2]!, h = this.headDim / 2, last = x.ndim - 1;
    const t = this.tables(offset + L, x.dtype);
    const cos = narrow(t.cos, 0, offset, L), sin = narrow(t.sin, 0, offset, L);
    const rotated = cat([neg(narrow(x, last, h, h)), narrow(x, last, 0, h)], last);
    return add(mul(x, cos), mul(rotated, sin));
  }

  /**
   * Rotates queries and keys ([..., L, headDim] each; their lengths may differ) from position
   * `offset`. Given a function instead, it is Module.apply (calls fn on this module), so walks
   * such as `model.apply(init)` still reach it.
   */
  override apply(fn: (m: AnyModule) => void): this;
  override apply(q: Tensor, k: Tensor, opts?: { offset?: number }): [Tensor, Tensor];
  override apply(q: Tensor | ((m: AnyModule) => void), k?: Tensor, opts: { offset?: number } = {}): this | [Tensor, Tensor] {
    if (typeof q === "function") return super.apply(q);
    for (const [name, t] of [["q", q], ["k", k]] as const) {
      if (!(t instanceof Tensor)) throw new DTypeError(`RotaryEmbedding.apply: ${name} must be a Tensor (got ${typeof t})`);
    }
    const offset = opts.offset ?? 0;
    return [this.call(q, offset), this.call(k!, offset)];
  }

  override extraRepr(): string {
    return `head_dim=${this.headDim}, base=${this.base}`;
  }
}
