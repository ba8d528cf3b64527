// Metric-learning and ranking losses (PyTorch's cosine_embedding_loss, margin_ranking_loss,
// triplet_margin_loss): losses on pairs or triplets of inputs, with a margin.

import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { shapesEqual } from "../../core/shape.js";
import { Tensor } from "../../core/tensor.js";
import { add, clamp, div, eq, minimum, mul, neg, sqrt, sub, where } from "../../ops/elementwise.js";
import { norm, sum } from "../../ops/reduce.js";
import { type ReductionOptions, checkFloatTensor, checkReduction, reduceLoss } from "./reduction.js";

/** PyTorch's ε added to each squared norm in cosine_embedding_loss. */
const COS_EPS = 1e-12;

function sameShape(loss: string, names: string[], ts: Tensor[]): void {
  ts.forEach((t, i) => checkFloatTensor(loss, t, names[i]!));
  for (let i = 1; i < ts.length; i++) {
    if (!shapesEqual(ts[0]!.shape, ts[i]!.shape)) {
      throw new ShapeError(`${loss}: ${names[0]} shape ${fmtShape(ts[0]!.shape)} and ${names[i]} shape ${fmtShape(ts[i]!.shape)} differ (expected the same shape)`);
    }
    if (ts[i]!.dtype !== ts[0]!.dtype) throw new DTypeError(`${loss}: ${names[0]} is ${ts[0]!.dtype} but ${names[i]} is ${ts[i]!.dtype} (expected the same dtype)`);
  }
}

function checkTarget(loss: string, target: unknown, want: readonly number[]): Tensor {
  if (!(target instanceof Tensor)) throw new DTypeError(`${loss}: target must be a Tensor of 1/−1 (got ${target === null ? "null" : typeof target})`);
  if (!shapesEqual(target.shape, want)) throw new ShapeError(`${loss}: target must have shape ${fmtShape(want)} (got ${fmtShape(target.shape)})`);
  return target;
}

function checkMargin(loss: string, margin: number): void {
  if (!Number.isFinite(margin)) throw new ValueError(`${loss}: margin must be a finite number (got ${margin})`);
}

export interface CosineEmbeddingOptions extends ReductionOptions {
  /** Margin in [−1, 1] below which dissimilar pairs cost nothing (default 0). */
  margin?: number;
}

/**
 * Cosine embedding loss of pairs x₁, x₂ ([N, D] or [D]) labelled y = 1 (similar) or −1 (dissimilar):
 *
 *     cos = Σ x₁x₂ / √((‖x₁‖² + ε)(‖x₂‖² + ε)),  ε = 1e-12
 *     ℓ = 1 − cos (y = 1),   max(0, cos − margin) (y = −1),   0 for any other label
 * @example
 * const f32 = { dtype: "float32" } as const;
 * st.nn.functional.cosineEmbeddingLoss(st.tensor([[1, 0]], f32), st.tensor([[0, 1]], f32), st.tensor([1])); // 1 (float32)
 */
export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, opts: CosineEmbeddingOptions = {}): Tensor {
  const name = "cosineEmbeddingLoss";
  const reduction = checkReduction(name, opts.reduction);
  const margin = opts.margin ?? 0;
  checkMargin(name, margin);
  sameShape(name, ["input1", "input2"], [x1, x2]);
  if (x1.ndim !== 1 && x1.ndim !== 2) throw new ShapeError(`${name}: inputs must be [N, D] or [D] (got ${fmtShape(x1.shape)})`);
  const y = checkTarget(name, target, x1.shape.slice(0, -1));
  const d = x1.ndim - 1;
  const prod = sum(mul(x1, x2), d);
  const m1 = add(sum(mul(x1, x1), d), COS_EPS);
  const m2 = add(sum(mul(x2, x2), d), COS_EPS);
  const cos = div(prod, sqrt(mul(m1, m2)));
  const pos = where(eq(y, 1), sub(1, cos), 0);
  const negPart = where(eq(y, -1), clamp(sub(cos, margin), 0), 0);
  return reduceLoss(add(pos, negPart), reduction);
}

export interface MarginRankingOptions extends ReductionOptions {
  /** Margin (default 0). */
  margin?: number;
}

/**
 * Margin ranking loss: ℓ = max(0, −y·(x₁ − x₂) + margin) with y = 1 when x₁ should rank higher and
 * −1 when x₂ should. x₁, x₂ and y have the same shape.
 * @example
 * const f32 = { dtype: "float32" } as const;
 * st.nn.functional.marginRankingLoss(st.tensor([1, 2], f32), st.tensor([2, 1], f32), st.tensor([1, 1])); // 0.5 (float32)
 */
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, opts: MarginRankingOptions = {}): Tensor {
  const name = "marginRankingLoss";
  const reduction = checkReduction(name, opts.reduction);
  const margin = opts.margin ?? 0;
  checkMargin(name, margin);
  sameShape(name, ["input1", "input2"], [x1, x2]);
  const y = checkTarget(name, target, x1.shape);
  return reduceLoss(clamp(add(mul(neg(y), sub(x1, x2)), margin), 0), reduction);
}

export interface TripletMarginOptions extends ReductionOptions {
  /** Margin (default 1). */
  margin?: number;
  /** The p of the p-norm distance (default 2). */
  p?: number;
  /** Added to the difference before the norm, as PyTorch's pairwise_distance (default 1e-6). */
  eps?: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance (the "distance swap", default false). */
  swap?: boolean;
}

/**
 * ‖a − b + ε‖ₚ over the last dim (PyTorch's pairwise_distance): the p-norm distance (default p 2)
 * of each pair of rows, with ε (default 1e-6) keeping the gradient finite when a = b.
 * @example
 * const a = st.tensor([[0, 0], [1, 1]], { dtype: "float32" }), b = st.tensor([[3, 4], [1, 1]], { dtype: "float32" });
 * st.nn.functional.pairwiseDistance(a, b, 2, 0); // [5, 0] (float32)
 */
export function pairwiseDistance(a: Tensor, b: Tensor, p = 2, eps = 1e-6): Tensor {
  return norm(add(sub(a, b), eps), p, -1);
}

/**
 * Triplet margin loss on anchors a, positives p and negatives n ([N, D] or [D]):
 * ℓ = max(0, margin + d(a, p) − d(a, n)), d(x, y) = ‖x − y + ε‖ₚ over the last dim; with `swap`,
 * d(a, n) is replaced by min(d(a, n), d(p, n)).
 * @example
 * const f32 = { dtype: "float32" } as const;
 * const a = st.tensor([[0, 0]], f32), p = st.tensor([[0, 1]], f32), n = st.tensor([[3, 0]], f32);
 * st.nn.functional.tripletMarginLoss(a, p, n); // 0 (float32) = max(0, 1 + 1 − 3)
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, opts: TripletMarginOptions = {}): Tensor {
  const name = "tripletMarginLoss";
  const reduction = checkReduction(name, opts.reduction);
  const margin = opts.margin ?? 1;
  const p = opts.p ?? 2;
  const eps = opts.eps ?? 1e-6;
  checkMargin(name, margin);
  if (!(p > 0)) throw new ValueError(`${name}: p must be > 0 (got ${p})`);
  sameShape(name, ["anchor", "positive", "negative"], [anchor, positive, negative]);
  if (anchor.ndim !== 1 && anchor.ndim !== 2) throw new ShapeError(`${name}: inputs must be [N, D] or [D] (got ${fmtShape(anchor.shape)})`);
  const dPos = pairwiseDistance(anchor, positive, p, eps);
  let dNeg = pairwiseDistance(anchor, negative, p, eps);
  if (opts.swap === true) dNeg = minimum(dNeg, pairwiseDistance(positive, negative, p, eps));
  return reduceLoss(clamp(sub(add(dPos, margin), dNeg), 0), reduction);
}
