// The layout arithmetic of the attention kernels, shared by the tensor-level kernel table and the
// native glue: from the operands' shapes and the primitive's attributes to the AttentionParams
// (sizes and element strides) that attentionForward / attentionBackward take.

import type { AttentionParams, AttentionStrides } from "./backend.js";

/**
 * Attributes of the `attention` primitive (and its backward kernel). Inputs [q, k, v, mask?],
 * outputs [out, lse]. layout "bhld": q [B, H, L, E] (k, v, out alike); "blhd": q [B, L, H, E] —
 * the heads of a [B, L, H·E] projection, read in place. lse is [B, H, L] in both. The mask is
 * 4-D [B|1, H|1, L|1, S|1] in (batch, head, query, key) order, broadcast by zero strides.
 */
export interface AttentionAttrs {
  scale: number;
  causal: boolean;
  layout: "bhld" | "blhd";
  /** The kind of the mask input (inputs[3]), or null when there is none. */
  mask: "bool" | "additive" | null;
}

function strides(shape: readonly number[], layout: AttentionAttrs["layout"]): AttentionStrides {
  const [, d1, d2, d3] = shape as [number, number, number, number];
  const batch = d1 * d2 * d3;
  return layout === "bhld" ? { offset: 0, batch, head: d2 * d3, row: d3 } : { offset: 0, batch, head: d3, row: d2 * d3 };
}

/** AttentionParams of contiguous 4-D operands in `a.layout` (and a 4-D broadcast mask). */
export function attentionParams(
  q: readonly number[], k: readonly number[], v: readonly number[], mask: readonly number[] | null, a: AttentionAttrs,
): AttentionParams {
  const bhld = a.layout === "bhld";
  const B = q[0]!, H = bhld ? q[1]! : q[2]!, L = bhld ? q[2]! : q[1]!;
  const S = bhld ? k[2]! : k[1]!;
  const E = q[3]!, Ev = v[3]!;
  const out = bhld ? [B, H, L, Ev] : [B, L, H, Ev];
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
