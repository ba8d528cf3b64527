// Module forms of the issue-15 losses: KLDivLoss (two inputs) and the pair/triplet losses
// CosineEmbeddingLoss, MarginRankingLoss, TripletMarginLoss (three inputs), printing like PyTorch.

import type { Tensor } from "../../core/tensor.js";
import { Module } from "../module.js";
import { type KLDivOptions, type KLReduction, checkKLReduction, klDiv } from "./kl-div.js";
import {
  type CosineEmbeddingOptions, type MarginRankingOptions, type TripletMarginOptions, cosineEmbeddingLoss, marginRankingLoss, tripletMarginLoss,
} from "./ranking.js";
import { type Reduction, checkReduction } from "./reduction.js";

/**
 * KL divergence of log-probability inputs from target distributions (see `klDiv`); prefer
 * `reduction: "batchmean"`, the true KL per sample.
 * @example
 * const logp = st.tensor([[0.25, 0.75]]).log();
 * new st.nn.KLDivLoss({ reduction: "batchmean" }).call(logp, st.tensor([[0.5, 0.5]])); // 0.14384 (float32)
 */
export class KLDivLoss extends Module<[Tensor, Tensor], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["input", "target"];
  /** "mean" (default, over every element as PyTorch), "batchmean" (the true KL per sample), "sum" or "none". */
  readonly reduction: KLReduction;
  /** Whether the target holds log-probabilities rather than probabilities (default false). */
  readonly logTarget: boolean;
  constructor(opts: KLDivOptions = {}) {
    super();
    this.reduction = checkKLReduction("KLDivLoss", opts.reduction);
    this.logTarget = opts.logTarget ?? false;
  }
  forward(input: Tensor, target: Tensor): Tensor { return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget }); }
  override extraRepr(): string {
    const parts: string[] = [];
    if (this.reduction !== "mean") parts.push(`reduction=${this.reduction}`);
    if (this.logTarget) parts.push("log_target=True");
    return parts.join(", ");
  }
}

/** Base of the three-input losses: `loss.call(a, b, c)` → the loss tensor. */
export abstract class TripleLoss extends Module<[Tensor, Tensor, Tensor], Tensor> {
  /** How the per-sample losses are reduced: "mean" (default), "sum" or "none". */
  readonly reduction: Reduction;
  /** The margin (default 0 for CosineEmbeddingLoss and MarginRankingLoss, 1 for TripletMarginLoss). */
  readonly margin: number;
  constructor(name: string, reduction: unknown, margin: number) {
    super();
    this.reduction = checkReduction(name, reduction);
    this.margin = margin;
  }
  override extraRepr(): string {
    return this.reduction === "mean" ? "" : `reduction=${this.reduction}`;
  }
}

/**
 * Cosine embedding loss of labelled pairs (see `cosineEmbeddingLoss`).
 * @example
 * const f32 = { dtype: "float32" } as const;
 * const x1 = st.tensor([[1, 0], [1, 0]], f32), x2 = st.tensor([[0, 1], [1, 1]], f32);
 * // pair 0 is labelled similar (cos 0: loss 1), pair 1 dissimilar (cos 0.7071: loss 0.7071 − 0.5)
 * new st.nn.CosineEmbeddingLoss({ margin: 0.5 }).call(x1, x2, st.tensor([1, -1])); // 0.60355 (float32)
 */
export class CosineEmbeddingLoss extends TripleLoss {
  static override readonly tensorInputs: readonly string[] = ["input1", "input2", "target"];
  constructor(opts: CosineEmbeddingOptions = {}) { super("CosineEmbeddingLoss", opts.reduction, opts.margin ?? 0); }
  forward(x1: Tensor, x2: Tensor, y: Tensor): Tensor { return cosineEmbeddingLoss(x1, x2, y, { reduction: this.reduction, margin: this.margin }); }
}

/**
 * Margin ranking loss max(0, −y(x₁ − x₂) + margin) (see `marginRankingLoss`).
 * @example
 * const s1 = st.tensor([3, 1], { dtype: "float32" }), s2 = st.tensor([1, 2], { dtype: "float32" });
 * // s1 should rank higher: the first pair beats the margin (loss 0), the second misses by 2
 * new st.nn.MarginRankingLoss({ margin: 1 }).call(s1, s2, st.tensor([1, 1])); // 1 (float32)
 */
export class MarginRankingLoss extends TripleLoss {
  static override readonly tensorInputs: readonly string[] = ["input1", "input2", "target"];
  constructor(opts: MarginRankingOptions = {}) { super("MarginRankingLoss", opts.reduction, opts.margin ?? 0); }
  forward(x1: Tensor, x2: Tensor, y: Tensor): Tensor { return marginRankingLoss(x1, x2, y, { reduction: this.reduction, margin: this.margin }); }
}

/**
 * Triplet margin loss on (anchor, positive, negative) (see `tripletMarginLoss`).
 * @example
 * const f32 = { dtype: "float32" } as const;
 * const a = st.tensor([[0, 0]], f32), p = st.tensor([[0, 1]], f32), n = st.tensor([[1, 0]], f32);
 * // max(0, 1 + d(a, p) − d(a, n)) with both distances ≈ 1
 * new st.nn.TripletMarginLoss({ margin: 1, p: 2 }).call(a, p, n).item(); // ≈ 1
 */
export class TripletMarginLoss extends TripleLoss {
  static override readonly tensorInputs: readonly string[] = ["anchor", "positive", "negative"];
  /** The p of the p-norm distance (default 2). */
  readonly p: number;
  /** Added to each difference before the norm, as PyTorch's pairwise_distance (default 1e-6). */
  readonly eps: number;
  /** Whether the negative distance is min(d(a, n), d(p, n)), the "distance swap" (default false). */
  readonly swap: boolean;
  constructor(opts: TripletMarginOptions = {}) {
    super("TripletMarginLoss", opts.reduction, opts.margin ?? 1);
    this.p = opts.p ?? 2;
    this.eps = opts.eps ?? 1e-6;
    this.swap = opts.swap ?? false;
  }
  forward(a: Tensor, p: Tensor, n: Tensor): Tensor {
    return tripletMarginLoss(a, p, n, { reduction: this.reduction, margin: this.margin, p: this.p, eps: this.eps, swap: this.swap });
  }
}

