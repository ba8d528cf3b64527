// The layout arithmetic of the attention kernels, shared by the tensor-level kernel table and the
// native glue: from the operands' shapes and the primitive's attributes to the AttentionParams
// (sizes and element strides) that attentionForward / attentionBackward take.

import type { AttentionParams, AttentionStrides } from "./backend.js";

/**
 * Attributes of the `attention` primitive (and its backward kernel). Inputs [q, k, v, mask?],
 * outputs [out, lse]. layout "bhld": q [B, H, L, E] (k, v, out alike); "blhd": q [B, L, H, E] —
 * the heads of a batch-first [B, L, H·E] projection, read in place; "lbhd": q [L, B, H, E], the
 * heads of a sequence-first [L, B, H·E] one (PyTorch's default). lse is [B, H, L] in all three. The mask is
 * 4-D [B|1, H|1, L|1, S|1] in (batch, head, query, key) order, broadcast by zero strides.
 */
export interface AttentionAttrs {
  scale: number;
  causal: boolean;
  layout: "bhld" | "blhd" | "lbhd";
  /** The kind of the mask input (inputs[3]), or null when there is none. */
  mask: "bool" | "additive" | null;
}

/** [B, H, rows, features] of a 4-D operand stored in `layout`. */
export function attentionDims(shape: readonly number[], layout: AttentionAttrs["layout"]): [number, number, number, number] {
  const [d0, d1, d2, d3] = shape as [number, number, number, number];
  return layout === "bhld" ? [d0, d1, d2, d3] : layout === "blhd" ? [d0, d2, d1, d3] : [d1, d2, d0, d3];
}

function strides(shape: readonly number[], layout: AttentionAttrs["layout"]): AttentionStrides {
  const [, d1, d2, d3] = shape as [number, number, number, number];
  if (layout === "bhld") return { offset: 0, batch: d1 * d2 * d3, head: d2 * d3, row: d3 };
  if (layout === "blhd") return { offset: 0, batch: d1 * d2 * d3, head: d3, row: d2 * d3 };
  return { offset: 0, batch: d2 * d3, head: d3, row: d1 * d2 * d3 }; // lbhd: [L, B, H, E]
}

/** AttentionParams of contiguous 4-D operands in `a.layout` (and a 4-D broadcast mask). */
export function attentionParams(
  q: readonly number[], k: readonly number[], v: readonly number[], mask: readonly number[] | null, a: AttentionAttrs,
): AttentionParams {
  const [B, H, L, E] = attentionDims(q, a.layout);
  const S = attentionDims(k, a.layout)[2], Ev = v[3]!;
  const out = [...q.slice(0, 3), Ev];
  let m: AttentionParams["mask"] = null;
  if (mask !== null && a.mask !== null) {
    const [mb, mh, ml, ms] = mask as [number, number, number, number];
    m = {
      kind: a.mask,
      strides: [mb === 1 ? 0 : mh * ml * ms, mh === 1 ? 0 : ml * ms, ml === 1 ? 0 : ms, ms === 1 ? 0 : 1],
    };
  }
  return {
    batch: B, heads: H, lq: L, lk: S, dk: E, dv: Ev,
    q: strides(q, a.layout), k: strides(k, a.layout), v: strides(v, a.layout), out: strides(out, a.layout),
    scale: a.scale, causal: a.causal, mask: m,
  };
}
