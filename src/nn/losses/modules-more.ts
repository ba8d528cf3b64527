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
 * @example new st.nn.KLDivLoss({ reduction: "batchmean" }).call(logits.logSoftmax(-1), probs)
 */
export class KLDivLoss extends Module<[Tensor, Tensor], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["input", "target"];
  readonly reduction: KLReduction;
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
  readonly reduction: Reduction;
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

/** Cosine embedding loss of labelled pairs (see `cosineEmbeddingLoss`). @example new st.nn.CosineEmbeddingLoss({ margin: 0.5 }).call(x1, x2, y) */
export class CosineEmbeddingLoss extends TripleLoss {
  static override readonly tensorInputs: readonly string[] = ["input1", "input2", "target"];
  constructor(opts: CosineEmbeddingOptions = {}) { super("CosineEmbeddingLoss", opts.reduction, opts.margin ?? 0); }
  forward(x1: Tensor, x2: Tensor, y: Tensor): Tensor { return cosineEmbeddingLoss(x1, x2, y, { reduction: this.reduction, margin: this.margin }); }
}

/** Margin ranking loss max(0, −y(x₁ − x₂) + margin) (see `marginRankingLoss`). @example new st.nn.MarginRankingLoss({ margin: 1 }).call(s1, s2, y) */
export class MarginRankingLoss extends TripleLoss {
  static override readonly tensorInputs: readonly string[] = ["input1", "input2", "target"];
  constructor(opts: MarginRankingOptions = {}) { super("MarginRankingLoss", opts.reduction, opts.margin ?? 0); }
  forward(x1: Tensor, x2: Tensor, y: Tensor): Tensor { return marginRankingLoss(x1, x2, y, { reduction: this.reduction, margin: this.margin }); }
}

/** Triplet margin loss on (anchor, positive, negative) (see `tripletMarginLoss`). @example new st.nn.TripletMarginLoss({ margin: 1, p: 2 }).call(a, p, n) */
export class TripletMarginLoss extends TripleLoss {
  static override readonly tensorInputs: readonly string[] = ["anchor", "positive", "negative"];
  readonly p: number;
  readonly eps: number;
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

