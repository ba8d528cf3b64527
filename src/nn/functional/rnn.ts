// One time step of the recurrent cells (Elman RNN, LSTM, GRU) as composites of tensor ops, with
// PyTorch's weight layout and gate order, so a PyTorch state dict computes the same numbers.
// The sequence layers (nn/layers/rnn.ts) project the whole input sequence through W_ih in one
// GEMM first and call the `*Step` forms with that projection; the `*Cell` forms do both.

import { isFloat } from "../../core/dtype.js";
import { DTypeError, ShapeError, fmtShape } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import { add, mul, relu, sigmoid, sub, tanh } from "../../ops/elementwise.js";
import { chunk } from "../../ops/shape.js";
import { canFuseGruCell, canFuseLstmCell, gruCellFused, lstmCellFused } from "../../ops/rnn-cell.js";
import { linear } from "./linear.js";

/** Elman RNN nonlinearity. */
export type RNNNonlinearity = "tanh" | "relu";

/** @internal Checks the shared cell arguments: 2-D x [B, I], h [B, H], weights [G·H, I] / [G·H, H]. */
function checkCell(op: string, gates: number, x: Tensor, h: Tensor, wIh: Tensor, wHh: Tensor): void {
  for (const [name, t] of [["input", x], ["hx", h], ["weightIh", wIh], ["weightHh", wHh]] as const) {
    if (!(t instanceof Tensor)) throw new DTypeError(`${op}: ${name} must be a Tensor (got ${t === null ? "null" : typeof t})`);
    if (!isFloat(t.dtype)) throw new DTypeError(`${op}: ${name} must be float32 or float64 (got ${t.dtype})`);
  }
  if (wHh.ndim !== 2 || wHh.shape[0] !== gates * wHh.shape[1]!) {
    throw new ShapeError(`${op}: weightHh must be [${gates}·hidden, hidden] (got ${fmtShape(wHh.shape)})`);
  }
  const H = wHh.shape[1]!;
  if (wIh.ndim !== 2 || wIh.shape[0] !== gates * H) throw new ShapeError(`${op}: weightIh must be [${gates * H}, inputSize] (got ${fmtShape(wIh.shape)})`);
  if (x.ndim !== 2 || x.shape[1] !== wIh.shape[1]) {
    throw new ShapeError(`${op}: input must be [batch, ${wIh.shape[1]}] (got ${fmtShape(x.shape)})`);
  }
  if (h.ndim !== 2 || h.shape[0] !== x.shape[0] || h.shape[1] !== H) {
    throw new ShapeError(`${op}: hidden state must be [${x.shape[0]}, ${H}] (got ${fmtShape(h.shape)})`);
  }
}

/**
 * Elman step from the input projection gi = x·W_ihᵀ + b_ih:  h' = act(gi + h·W_hhᵀ + b_hh).
 * @internal the sequence layer's inner loop
 */
export function rnnStep(gi: Tensor, h: Tensor, wHh: Tensor, bHh: Tensor | null, nonlinearity: RNNNonlinearity): Tensor {
  const pre = add(gi, linear(h, wHh, bHh));
  return nonlinearity === "relu" ? relu(pre) : tanh(pre);
}

/**
 * LSTM step from the input projection gi = x·W_ihᵀ + b_ih ([B, 4H], gates i, f, g, o):
 *
 *     [i f g o] = gi + h·W_hhᵀ + b_hh
 *     c' = σ(f)⊙c + σ(i)⊙tanh(g),   h' = σ(o)⊙tanh(c')
 * @internal the sequence layer's inner loop
 */
export function lstmStep(gi: Tensor, h: Tensor, c: Tensor, wHh: Tensor, bHh: Tensor | null, fused = true): [Tensor, Tensor] {
  const gates = add(gi, linear(h, wHh, bHh));
  // The pointwise part as one primitive (ops/rnn-cell.ts) by default. Measured (npm run
  // bench:lstm, a layer's training step, B 50/H 32 and B 64/H 128, two runs): 1.4–1.8× the
  // composite's speed on native (its lstmCell kernel: vectorized sigmoid/tanh, one pass), 1.02–1.16×
  // on js. With the TypeScript kernel alone native was 0.77×/0.72× (the composite's kernels won).
  return fused && canFuseLstmCell(gates, c) ? lstmCellFused(gates, c) : lstmPointwise(gates, c);
}

/**
 * @internal The composite form of the LSTM cell's pointwise part (the reference the fused
 * primitive is tested against): [i f g o] = gates, c' = σ(f)⊙c + σ(i)⊙tanh(g), h' = σ(o)⊙tanh(c').
 */
export function lstmPointwise(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = chunk(gates, 4, 1) as [Tensor, Tensor, Tensor, Tensor];
  const c2 = add(mul(sigmoid(f), c), mul(sigmoid(i), tanh(g)));
  return [mul(sigmoid(o), tanh(c2)), c2];
}

/**
 * GRU step from the input projection gi = x·W_ihᵀ + b_ih ([B, 3H], gates r, z, n):
 *
 *     gh = h·W_hhᵀ + b_hh
 *     r = σ(gi_r + gh_r),  z = σ(gi_z + gh_z),  n = tanh(gi_n + r⊙gh_n)
 *     h' = (1 − z)⊙n + z⊙h = n + z⊙(h − n)
 * @internal the sequence layer's inner loop
 */
export function gruStep(gi: Tensor, h: Tensor, wHh: Tensor, bHh: Tensor | null, fused = true): Tensor {
  const gh = linear(h, wHh, bHh);
  // the pointwise part as one primitive (ops/rnn-cell.ts) by default, as for the LSTM cell
  if (fused && canFuseGruCell(gi, gh, h)) return gruCellFused(gi, gh, h);
  const [ir, iz, inn] = chunk(gi, 3, 1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hn] = chunk(gh, 3, 1) as [Tensor, Tensor, Tensor];
  const r = sigmoid(add(ir, hr));
  const z = sigmoid(add(iz, hz));
  const n = tanh(add(inn, mul(r, hn)));
  return add(n, mul(z, sub(h, n)));
}

/**
 * One Elman RNN step, PyTorch's RNNCell: h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act tanh
 * (default) or relu. x [B, I], h [B, H], W_ih [H, I], W_hh [H, H], biases [H] or null.
 * @example
 * const h = st.nn.functional.rnnCell(st.ones([2, 3]), st.zeros([2, 4]), st.ones([4, 3]), st.ones([4, 4]));
 * // tanh(3) everywhere
 */
export function rnnCell(
  x: Tensor, h: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor | null = null, bHh: Tensor | null = null, nonlinearity: RNNNonlinearity = "tanh",
): Tensor {
  checkCell("rnnCell", 1, x, h, wIh, wHh);
  return rnnStep(linear(x, wIh, bIh), h, wHh, bHh, nonlinearity);
}

/**
 * One LSTM step, PyTorch's LSTMCell (gate order i, f, g, o in the rows of W_ih [4H, I] and
 * W_hh [4H, H]); returns [h', c'] (formulas at lstmStep). The pointwise part runs as one `lstmCell`
 * primitive (default; `fused: false` composes it from elementwise ops, same numbers, slower).
 * @example
 * const [h, c] = st.nn.functional.lstmCell(st.ones([2, 3]), st.zeros([2, 4]), st.zeros([2, 4]), st.ones([16, 3]), st.ones([16, 4]));
 */
export function lstmCell(
  x: Tensor, h: Tensor, c: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor | null = null, bHh: Tensor | null = null, opts: { fused?: boolean } = {},
): [Tensor, Tensor] {
  checkCell("lstmCell", 4, x, h, wIh, wHh);
  if (!(c instanceof Tensor) || c.ndim !== 2 || c.shape[0] !== h.shape[0] || c.shape[1] !== h.shape[1]) {
    throw new ShapeError(`lstmCell: cell state must have the hidden state's shape ${fmtShape(h.shape)} (got ${c instanceof Tensor ? fmtShape(c.shape) : typeof c})`);
  }
  return lstmStep(linear(x, wIh, bIh), h, c, wHh, bHh, opts.fused ?? true);
}

/**
 * One GRU step, PyTorch's GRUCell (gate order r, z, n; the reset gate multiplies h·W_hn + b_hn,
 * as in PyTorch and cuDNN); returns h' (formulas at gruStep). The pointwise part runs as one
 * `gruCell` primitive (default; `fused: false` composes it from elementwise ops, same numbers).
 * @example
 * const h = st.nn.functional.gruCell(st.ones([2, 3]), st.zeros([2, 4]), st.ones([12, 3]), st.ones([12, 4]));
 */
export function gruCell(
  x: Tensor, h: Tensor, wIh: Tensor, wHh: Tensor, bIh: Tensor | null = null, bHh: Tensor | null = null, opts: { fused?: boolean } = {},
): Tensor {
  checkCell("gruCell", 3, x, h, wIh, wHh);
  return gruStep(linear(x, wIh, bIh), h, wHh, bHh, opts.fused ?? true);
}
