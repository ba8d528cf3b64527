// The LSTM and GRU cells' pointwise parts as primitives, `lstmCell` and `gruCell`, over fused
// forward/backward kernels (js and native): one kernel forward and one backward per step instead
// of the ~10–14 elementwise ops (and as many backward rules) of the composite form. The default of
// LSTM/GRU and their cells (fusedCell: false selects the composite); npm run bench:lstm compares them.

import { isGradEnabled } from "../core/grad-mode.js";
import type { Tensor } from "../core/tensor.js";
import { dispatchMany } from "./dispatch.js";
import { add, mul, sigmoid, sub, tanh } from "./elementwise.js";
import type { OpAttrs, OpNode } from "./op.js";
import { cat, chunk, narrow, reshape, split } from "./shape.js";

/** Whether lstmCellFused can run these (float32/float64 of one dtype, non-empty). */
export function canFuseLstmCell(gates: Tensor, c: Tensor): boolean {
  return (gates.dtype === "float32" || gates.dtype === "float64") && c.dtype === gates.dtype && c.size > 0;
}

/**
 * [h', c'] of one LSTM step from the summed gate pre-activations gates [B, 4H] (blocks i, f, g, o)
 * and the cell state c [B, H]: c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'), recorded as the
 * primitive `lstmCell` (one output hc [2, B, H], split into h' and c'). The caller checked shapes.
 */
export function lstmCellFused(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [B, H] = c.shape as [number, number];
  const [hc] = dispatchMany("lstmCell", [gates, c], [{ shape: [2, B, H], dtype: c.dtype }, { shape: [B, 4 * H], dtype: c.dtype }], null);
  // one split (its backward one cat of dh', dc') rather than two slices, whose backward would
  // write a zero-filled [2, B, H] buffer each and add them
  const [h, cNext] = split(hc!, 1, 0);
  return [reshape(h!, [B, H]), reshape(cNext!, [B, H])];
}

/**
 * Backward of `lstmCell` (saved [gates, c, hc, acts]); g = [dh', dc'] of shape [2, B, H]. Without
 * createGraph the fused kernel computes dgates and dc in one pass from the saved activations;
 * with it the same formulas (js/rnn-cell.ts) run as differentiable ops on activations recomputed
 * from `gates`, so second derivatives see their dependence on the input.
 */
export function lstmCellBackward(g: Tensor, saved: Tensor[], _a: OpAttrs["lstmCell"], _n: OpNode<"lstmCell">, needs: boolean[]): (Tensor | null)[] {
  const [gates, c, hc, acts] = saved as [Tensor, Tensor, Tensor, Tensor];
  const [B, H] = c.shape as [number, number];
  if (!isGradEnabled() && g.dtype === c.dtype) {
    const [dgates, dc] = dispatchMany("lstmCellBackward", [g, c, acts, hc], [{ shape: [B, 4 * H], dtype: c.dtype }, { shape: [B, H], dtype: c.dtype }], null);
    return [needs[0] ? dgates! : null, needs[1] ? dc! : null];
  }
  const [gi, gf, gg, go] = chunk(gates, 4, 1) as [Tensor, Tensor, Tensor, Tensor];
  const i = sigmoid(gi), f = sigmoid(gf), gt = tanh(gg), o = sigmoid(go);
  const t = tanh(add(mul(f, c), mul(i, gt)));
  const dh = reshape(narrow(g, 0, 0, 1), [B, H]);
  const dcOut = reshape(narrow(g, 0, 1, 1), [B, H]);
  const dc = add(dcOut, mul(mul(dh, o), sub(1, mul(t, t))));
  const dgates = [
    mul(mul(dc, gt), mul(i, sub(1, i))),
    mul(mul(dc, c), mul(f, sub(1, f))),
    mul(mul(dc, i), sub(1, mul(gt, gt))),
    mul(mul(dh, t), mul(o, sub(1, o))),
  ];
  return [needs[0] ? cat(dgates, 1) : null, needs[1] ? mul(dc, f) : null];
}

/** Whether gruCellFused can run these (float32/float64 of one dtype, non-empty). */
export function canFuseGruCell(gi: Tensor, gh: Tensor, h: Tensor): boolean {
  return (h.dtype === "float32" || h.dtype === "float64") && gi.dtype === h.dtype && gh.dtype === h.dtype && h.size > 0;
}

/**
 * h' of one GRU step from the input and hidden projections gi = x·W_ihᵀ + b_ih and
 * gh = h·W_hhᵀ + b_hh ([B, 3H], blocks r, z, n) and h [B, H]:
 * r = σ(giᵣ + ghᵣ), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n), h' = n + z·(h − n), recorded as
 * the primitive `gruCell`. The caller checked shapes.
 */
export function gruCellFused(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  const [B, H] = h.shape as [number, number];
  const [out] = dispatchMany("gruCell", [gi, gh, h], [{ shape: [B, H], dtype: h.dtype }, { shape: [B, 3 * H], dtype: h.dtype }], null);
  return out!;
}

/**
 * Backward of `gruCell` (saved [gi, gh, h, acts]). Fused kernel without createGraph; with it the
 * formulas of js/rnn-cell.ts as differentiable ops on activations recomputed from gi and gh.
 */
export function gruCellBackward(g: Tensor, saved: Tensor[], _a: OpAttrs["gruCell"], _n: OpNode<"gruCell">, needs: boolean[]): (Tensor | null)[] {
  const [gi, gh, h, acts] = saved as [Tensor, Tensor, Tensor, Tensor];
  const [B, H] = h.shape as [number, number];
  if (!isGradEnabled() && g.dtype === h.dtype) {
    const [dgi, dgh, dh] = dispatchMany("gruCellBackward", [g, gh, h, acts], [
      { shape: [B, 3 * H], dtype: h.dtype }, { shape: [B, 3 * H], dtype: h.dtype }, { shape: [B, H], dtype: h.dtype },
    ], null);
    return [needs[0] ? dgi! : null, needs[1] ? dgh! : null, needs[2] ? dh! : null];
  }
  const [ir, iz, inn] = chunk(gi, 3, 1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hn] = chunk(gh, 3, 1) as [Tensor, Tensor, Tensor];
  const r = sigmoid(add(ir, hr)), z = sigmoid(add(iz, hz)), n = tanh(add(inn, mul(r, hn)));
  const dz = mul(mul(g, sub(h, n)), mul(z, sub(1, z)));
  const dn = mul(mul(g, sub(1, z)), sub(1, mul(n, n)));
  const dr = mul(mul(dn, hn), mul(r, sub(1, r)));
  return [needs[0] ? cat([dr, dz, dn], 1) : null, needs[1] ? cat([dr, dz, mul(dn, r)], 1) : null, needs[2] ? mul(g, z) : null];
}
