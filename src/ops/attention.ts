// Attention as one primitive, `attention`, over the attentionForward / attentionBackward kernels
// (backend.ts): the forward keeps only the log-sum-exp per query row (never the [L, S]
// probabilities), the backward recomputes them block by block from it (FlashAttention-2). Heads
// may stay interleaved ([B, L, H, E] "blhd" or [L, B, H, E] "lbhd": reshapes of a projection's
// output, no permuted copies). nn.functional.scaledDotProductAttention is the public entry point.

import { type AttentionAttrs, attentionDims } from "../backend/attention-params.js";
import { DTypeError, ShapeError, fmtShape } from "../core/errors.js";
import { isGradEnabled } from "../core/grad-mode.js";
import { tensor } from "../core/creation.js";
import type { Tensor } from "../core/tensor.js";
import { maskedSoftmax } from "../numerics/masked-softmax.js";
import { dispatchMany } from "./dispatch.js";
import { cast, mul, sub } from "./elementwise.js";
import { matmulT } from "./linalg.js";
import type { OpNode } from "./op.js";
import { sum } from "./reduce.js";
import { permute } from "./shape.js";

export type { AttentionAttrs };

export interface AttentionOptions {
  /** Multiplies q·kᵀ. */
  scale: number;
  /** Query i attends to keys j ≤ i only (top-left aligned). Default false. */
  causal?: boolean;
  /**
   * "bhld": [B, H, L, E] (default); "blhd": [B, L, H, E] (the heads of a batch-first [B, L, H·E]
   * tensor, a reshape, read in place); "lbhd": [L, B, H, E] (heads of a sequence-first [L, B, H·E]).
   */
  layout?: "bhld" | "blhd" | "lbhd";
}

/** The [L, S] bool mask of a causal call: query i attends to keys j ≤ i. */
export function causalMask(L: number, S: number): Tensor {
  const m = new Uint8Array(L * S);
  for (let i = 0; i < L; i++) for (let j = 0; j <= Math.min(i, S - 1); j++) m[i * S + j] = 1;
  return tensor(m, { shape: [L, S], dtype: "bool" });
}

/**
 * out = softmax(q·kᵀ·scale + mask)·v per (batch, head), recorded as the primitive `attention`.
 * q, k, v are 4-D in `layout` with one float dtype, equal batch and head sizes; mask is null or
 * 4-D [B|1, H|1, L|1, S|1] (batch, head, query, key order whatever the layout), bool (true =
 * attend) or additive in q's dtype. The mask gets no gradient (a float mask that needs one goes
 * through the composite form). Rows with every key masked give 0 with zero gradients.
 * @internal
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, opts: AttentionOptions): Tensor {
  const layout = opts.layout ?? "bhld";
  const dims = (t: Tensor) => attentionDims(t.shape, layout); // as [B, H, rows, features]
  for (const [name, t] of [["q", q], ["k", k], ["v", v]] as const) {
    if (t.ndim !== 4) throw new ShapeError(`attention: ${name} must be 4-D in layout ${layout} (got ${fmtShape(t.shape)})`);
    if (t.dtype !== q.dtype || (q.dtype !== "float32" && q.dtype !== "float64")) {
      throw new DTypeError(`attention: q, k, v must share one float dtype (got ${q.dtype}, ${k.dtype}, ${v.dtype})`);
    }
  }
  const [B, H, L, E] = dims(q) as [number, number, number, number];
  const [kb, kh, S, ke] = dims(k) as [number, number, number, number];
  const [vb, vh, vs, Ev] = dims(v) as [number, number, number, number];
  if (kb !== B || vb !== B || kh !== H || vh !== H || ke !== E || vs !== S) {
    throw new ShapeError(`attention: inconsistent shapes q ${fmtShape(q.shape)}, k ${fmtShape(k.shape)}, v ${fmtShape(v.shape)} (layout ${layout})`);
  }
  let kind: AttentionAttrs["mask"] = null;
  if (mask !== null) {
    const full = [B, H, L, S];
    if (mask.ndim !== 4 || mask.shape.some((n, i) => n !== 1 && n !== full[i])) {
      throw new ShapeError(`attention: mask must be 4-D and broadcastable to [${full.join(", ")}] (got ${fmtShape(mask.shape)})`);
    }
    if (mask.dtype === "bool") kind = "bool";
    else {
      kind = "additive";
      if (mask.dtype !== q.dtype) mask = cast(mask, q.dtype);
    }
  }
  const attrs: AttentionAttrs = { scale: opts.scale, causal: opts.causal ?? false, layout, mask: kind };
  const outShape = [...q.shape.slice(0, 3), Ev];
  const [out] = dispatchMany("attention", mask ? [q, k, v, mask] : [q, k, v], [
    { shape: outShape, dtype: q.dtype }, { shape: [B, H, L], dtype: q.dtype },
  ], attrs);
  return out!;
}

/**
 * Backward of `attention` (inputs [q, k, v, mask?]; saved [q, k, v, mask?, out, lse]). Without
 * createGraph the attentionBackward kernel recomputes P = exp(s − lse) block by block:
 *   D_i = Σ dOut_i∘out_i,  dv = Pᵀ·dOut,  dS = P∘(dOut·vᵀ − D),  dq = scale·dS·k,  dk = scale·dSᵀ·q.
 * With createGraph the same formulas run as differentiable ops on a recomputed P (with
 * D = Σ_j P∘dP, equal to Σ dOut∘out), so gradients of gradients flow to q, k, v and dOut.
 */
export function attentionBackward(g: Tensor, saved: Tensor[], a: AttentionAttrs, _node: OpNode<"attention">, needs: boolean[]): (Tensor | null)[] {
  const [q, k, v] = saved as [Tensor, Tensor, Tensor];
  const mask = a.mask ? saved[3]! : null;
  const out = saved[a.mask ? 4 : 3]!, lse = saved[a.mask ? 5 : 4]!;
  const tail = a.mask ? [null] : [];
  if (isGradEnabled()) return [...differentiableBackward(g, q, k, v, mask, a, needs), ...tail];
  const gq = g.dtype === q.dtype ? g : cast(g, q.dtype);
  const inputs = [q, k, v, out, gq, lse];
  if (mask) inputs.push(mask);
  const [dq, dk, dv] = dispatchMany("attentionBackward", inputs, [
    { shape: q.shape.slice(), dtype: q.dtype }, { shape: k.shape.slice(), dtype: q.dtype }, { shape: v.shape.slice(), dtype: q.dtype },
  ], a);
  return [needs[0] ? dq! : null, needs[1] ? dk! : null, needs[2] ? dv! : null, ...tail];
}

function differentiableBackward(
  g: Tensor, q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, a: AttentionAttrs, needs: boolean[],
): (Tensor | null)[] {
  // work in [B, H, rows, features]; "blhd" operands are permuted there and the gradients back
  const toBhld = (t: Tensor) => (a.layout === "bhld" ? t : permute(t, a.layout === "blhd" ? [0, 2, 1, 3] : [1, 2, 0, 3]));
  const back = (t: Tensor) => (a.layout === "bhld" ? t : permute(t, a.layout === "blhd" ? [0, 2, 1, 3] : [2, 0, 1, 3]));
  const Q = toBhld(q), K = toBhld(k), V = toBhld(v), G = toBhld(g.dtype === q.dtype ? g : cast(g, q.dtype));
  const L = Q.shape[2]!, S = K.shape[2]!;
  const P = maskedSoftmax(mul(matmulT(Q, K, false, true), a.scale), a.causal ? causalMask(L, S) : mask, -1);
  const dP = matmulT(G, V, false, true);
  const dS = mul(mul(P, sub(dP, sum(mul(dP, P), -1, true))), a.scale);
  return [
    needs[0] ? back(matmulT(dS, K, false, false)) : null,
    needs[1] ? back(matmulT(dS, Q, true, false)) : null,
    needs[2] ? back(matmulT(P, G, true, false)) : null,
  ];
}
