// The LSTM cell's pointwise part as one primitive, `lstmCell`, over the fused lstmCell /
// lstmCellBackward kernels: one kernel forward and one backward per step instead of the ~14
// elementwise ops (and their ~14 backward rules) of the composite form. The default of LSTM and
// LSTMCell (fusedCell: false selects the composite); npm run bench:lstm compares the two.

import { isGradEnabled } from "../core/grad-mode.js";
import type { Tensor } from "../core/tensor.js";
import { dispatchMany } from "./dispatch.js";
import { add, mul, sigmoid, sub, tanh } from "./elementwise.js";
import type { OpAttrs, OpNode } from "./op.js";
import { cat, chunk, narrow, reshape } from "./shape.js";

/** Whether lstmCellFused can run these (float32/float64 of one dtype, non-empty). */
export function canFuseLstmCell(gates: Tensor, c: Tensor): boolean {
  return (gates.dtype === "float32" || gates.dtype === "float64") && c.dtype === gates.dtype && c.size > 0;
}

/**
 * [h', c'] of one LSTM step from the summed gate pre-activations gates [B, 4H] (blocks i, f, g, o)
 * and the cell state c [B, H]: c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'), recorded as the
 * primitive `lstmCell` (one output hc [2, B, H], sliced into h' and c'). The caller checked shapes.
 */
export function lstmCellFused(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [B, H] = c.shape as [number, number];
  const [hc] = dispatchMany("lstmCell", [gates, c], [{ shape: [2, B, H], dtype: c.dtype }, { shape: [B, 4 * H], dtype: c.dtype }], null);
  return [reshape(narrow(hc!, 0, 0, 1), [B, H]), reshape(narrow(hc!, 0, 1, 1), [B, H])];
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
