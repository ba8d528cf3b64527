// Scaled dot-product attention, softmax(q·kᵀ·scale + mask)·v, the core of every transformer layer.
// This file validates the arguments (shapes, dtypes, the mask) and builds the composite form
// (matmul, masked softmax, dropout, matmul); the fused primitive (ops/attention.ts) takes over
// when it can run the call, with the same results and no [L, S] probability matrix kept.

import { isFloat } from "../../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import { broadcastShapes, sizeOf } from "../../core/shape.js";
import { Tensor } from "../../core/tensor.js";
import { attention, causalMask } from "../../ops/attention.js";
import { cast, mul } from "../../ops/elementwise.js";
import { matmulT } from "../../ops/linalg.js";
import { expand, reshape } from "../../ops/shape.js";
import { maskedSoftmax } from "../../numerics/masked-softmax.js";
import { dropout } from "./dropout.js";

/** Options of `scaledDotProductAttention`. */
export interface ScaledDotProductAttentionOptions {
  /**
   * Optional mask broadcastable to [..., L, S]: bool (`true` = attend, unlike PyTorch's
   * key_padding_mask where `true` = ignore; see `st.nn.fromTorchKeyPaddingMask`) or float
   * (added to the scores; −∞ masks). Default none.
   */
  attnMask?: Tensor | null;
  /** Query i attends to keys j ≤ i only (top-left aligned, as PyTorch). Not with attnMask. Default false. */
  isCausal?: boolean;
  /** Dropout probability on the attention weights (always applied when > 0, as PyTorch). Default 0. */
  dropoutP?: number;
  /** Score scale; default 1/√E with E the query's last dim. */
  scale?: number | null;
  /** Random source of the dropout (default the global generator). */
  generator?: Generator;
}

/** The checked and normalized arguments of one attention call. */
export interface AttentionArgs {
  q: Tensor;
  k: Tensor;
  v: Tensor;
  /** The mask (bool, or float in q's dtype) or null. */
  mask: Tensor | null;
  causal: boolean;
  scale: number;
  dropoutP: number;
  /** Broadcast batch dims of q, k, v and the mask. */
  batch: number[];
  L: number;
  S: number;
}

// the [L, S] look-ahead mask (re-exported for the layers)
export { causalMask };

const who = "scaledDotProductAttention";

function describe(t: unknown): string {
  return t instanceof Tensor ? `shape ${fmtShape(t.shape)}` : t === null ? "null" : typeof t;
}

/** Validates q [..., L, E], k [..., S, E], v [..., S, Ev] and the options; throws the typed errors. */
export function checkAttentionArgs(q: Tensor, k: Tensor, v: Tensor, opts: ScaledDotProductAttentionOptions): AttentionArgs {
  for (const [name, t] of [["query", q], ["key", k], ["value", v]] as const) {
    if (!(t instanceof Tensor)) throw new DTypeError(`${who}: ${name} must be a Tensor (got ${describe(t)})`);
    if (!isFloat(t.dtype)) throw new DTypeError(`${who}: ${name} must be float32 or float64 (got ${t.dtype})`);
    if (t.ndim < 2) throw new ShapeError(`${who}: ${name} must have shape [..., L, E] with at least 2 dims (got ${fmtShape(t.shape)})`);
  }
  if (k.dtype !== q.dtype || v.dtype !== q.dtype) {
    throw new DTypeError(`${who}: query, key and value must have one dtype (got ${q.dtype}, ${k.dtype}, ${v.dtype})`);
  }
  const L = q.shape[q.ndim - 2]!, E = q.shape[q.ndim - 1]!;
  const S = k.shape[k.ndim - 2]!;
  if (k.shape[k.ndim - 1] !== E) {
    throw new ShapeError(`${who}: key's last dim must equal query's (E = ${E}); got query ${fmtShape(q.shape)}, key ${fmtShape(k.shape)}`);
  }
  if (v.shape[v.ndim - 2] !== S) {
    throw new ShapeError(`${who}: value must have S = ${S} rows like key (got key ${fmtShape(k.shape)}, value ${fmtShape(v.shape)})`);
  }
  let batch: number[];
  try {
    batch = broadcastShapes(who, broadcastShapes(who, q.shape.slice(0, -2), k.shape.slice(0, -2)), v.shape.slice(0, -2));
  } catch {
    throw new ShapeError(
      `${who}: the batch dims of query ${fmtShape(q.shape)}, key ${fmtShape(k.shape)} and value ${fmtShape(v.shape)} do not broadcast together`,
    );
  }
  const causal = opts.isCausal ?? false;
  const dropoutP = opts.dropoutP ?? 0;
  if (!(dropoutP >= 0 && dropoutP < 1)) throw new ValueError(`${who}: dropoutP must lie in [0, 1) (got ${dropoutP})`);
  const scale = opts.scale ?? 1 / Math.sqrt(E);
  if (typeof scale !== "number" || Number.isNaN(scale)) throw new ValueError(`${who}: scale must be a number (got ${String(scale)})`);
  let mask = opts.attnMask ?? null;
  if (mask !== null) {
    if (causal) {
      // as PyTorch: the two ways of masking are exclusive (combine them into one mask instead)
      throw new ValueError(`${who}: attnMask and isCausal cannot both be given; fold the causal mask into attnMask`);
    }
    const expected = `[${[...batch, L, S].join(", ")}] (broadcastable; [..., L, S] with L = ${L} queries and S = ${S} keys)`;
    if (!(mask instanceof Tensor)) throw new DTypeError(`${who}: attnMask must be a bool or float Tensor of shape ${expected} (got ${describe(mask)})`);
    if (mask.dtype !== "bool" && !isFloat(mask.dtype)) {
      throw new DTypeError(`${who}: attnMask must be bool (true = attend) or float (additive), got ${mask.dtype}; expected shape ${expected}`);
    }
    let full: number[] | null;
    try {
      full = broadcastShapes(who, [...batch, L, S], mask.shape);
    } catch {
      full = null;
    }
    if (full === null || full.length !== batch.length + 2 || full.some((n, i) => n !== [...batch, L, S][i])) {
      throw new ShapeError(`${who}: attnMask has shape ${fmtShape(mask.shape)}, expected ${expected}`);
    }
    if (mask.dtype !== "bool" && mask.dtype !== q.dtype) mask = cast(mask, q.dtype);
  }
  return { q, k, v, mask, causal, scale, dropoutP, batch, L, S };
}

/** softmax(q·kᵀ·scale + mask)·v as differentiable tensor ops (the reference form; dropout runs here). */
export function attentionComposite(a: AttentionArgs, generator?: Generator): Tensor {
  const scores = mul(matmulT(a.q, a.k, false, true), a.scale);
  const mask = a.causal ? causalMask(a.L, a.S) : a.mask;
  let p = maskedSoftmax(scores, mask, -1);
  if (a.dropoutP > 0) p = dropout(p, a.dropoutP, true, generator);
  return matmulT(p, a.v, false, false);
}

/**
 * Scaled dot-product attention over q [..., L, E], k [..., S, E], v [..., S, Ev] (batch dims
 * broadcast):
 *
 *   out = dropout(maskedSoftmax(q·kᵀ·scale, mask))·v   → [..., L, Ev]
 *
 * `attnMask` is bool (`true` = attend) or float (additive), broadcastable to [..., L, S];
 * `isCausal` masks keys j > i. A query row with every key masked gives 0 (and zero gradients),
 * never NaN. Defaults: no mask, isCausal false, dropoutP 0, scale 1/√E.
 *
 * @example
 * const q = st.randn([2, 4, 5, 8]); // [batch, heads, L, E]
 * const out = st.nn.functional.scaledDotProductAttention(q, q, q, { isCausal: true }); // [2, 4, 5, 8]
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: ScaledDotProductAttentionOptions = {}): Tensor {
  const a = checkAttentionArgs(q, k, v, opts);
  // the primitive has no dropout and gives the mask no gradient: those cases take the composite
  if (a.dropoutP > 0 || (a.mask !== null && a.mask.requiresGrad)) return attentionComposite(a, opts.generator);
  return attentionPrimitive(a);
}

/**
 * Runs the `attention` primitive on [..., L, E] operands: the batch dims become (B, H) =
 * (product of all but the last, the last), so a mask broadcast over heads ([B, 1, L, S]) or over
 * the batch ([H, L, S]) keeps its zero strides instead of being materialized.
 */
export function attentionPrimitive(a: AttentionArgs): Tensor {
  const nb = a.batch.length;
  const B = nb > 1 ? sizeOf(a.batch.slice(0, -1)) : 1, H = nb > 0 ? a.batch[nb - 1]! : 1;
  const as4 = (t: Tensor) => {
    const full = [...a.batch, ...t.shape.slice(-2)];
    const e = t.ndim === full.length && t.shape.every((n, i) => n === full[i]) ? t : expand(t, full);
    return reshape(e, [B, H, ...t.shape.slice(-2)]);
  };
  let mask: Tensor | null = null;
  if (a.mask !== null) {
    // left-pad to [...batch, L|1, S|1]; the leading batch dims are kept only if some is not 1
    const m = a.mask;
    const padded = [...new Array<number>(nb + 2 - m.ndim).fill(1), ...m.shape];
    const lead = padded.slice(0, Math.max(nb - 1, 0));
    const last = nb > 0 ? padded[nb - 1]! : 1;
    const ls = padded.slice(nb);
    const broadLead = lead.every((n) => n === 1);
    let mt = reshape(m, padded);
    // a mask that varies over some leading batch dims but not all is materialized over them (rare)
    if (!broadLead && lead.some((n, i) => n !== a.batch[i])) mt = expand(mt, [...a.batch.slice(0, -1), last, ...ls]);
    mask = reshape(mt, [broadLead ? 1 : B, last, ...ls]);
  }
  const out = attention(as4(a.q), as4(a.k), as4(a.v), mask, { scale: a.scale, causal: a.causal });
  return reshape(out, [...a.batch, a.L, a.v.shape[a.v.ndim - 1]!]);
}
