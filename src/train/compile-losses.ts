// Losses for `model.compile`: Keras's names, computed per sample so sample and class weights
// apply (Keras's "sum over batch size" reduction: Σᵢ wᵢ·ℓᵢ / N). Probability losses have a logit
// form that `fit` uses when the model ends in the matching softmax/sigmoid (the stable path).

import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { Loss } from "../nn/losses/modules.js";
import { BCEWithLogitsLoss, BCELoss, CrossEntropyLoss } from "../nn/losses/modules.js";
import { binaryCrossEntropyWithLogits } from "../nn/losses/binary.js";
import { crossEntropy, nllLoss } from "../nn/losses/cross-entropy.js";

/** What `compile({loss})` accepts: a Keras name, one of our loss modules, or `(yPred, yTrue) => loss`. */
export type LossSpec = string | Loss | ((yPred: Tensor, yTrue: Tensor) => Tensor);

/** A compiled loss. `perSample` returns [N] (weights apply) or a 0-d tensor (a self-reducing loss). */
export interface ResolvedLoss {
  /** The Keras name, or the module's class name; written to the compile config. */
  name: string;
  /** The probabilities this loss takes ("softmax": rows summing to 1; "sigmoid": values in [0, 1]); null: any values. */
  takes: "softmax" | "sigmoid" | null;
  /** The activation whose logits the loss can take instead (fused with the model's final activation). */
  logitsOf: "softmax" | "sigmoid" | null;
  /** Whether `model.save` can write the loss by name. */
  serializable: boolean;
  /** The loss of the model's outputs (`fromLogits`: its pre-activation logits, when `logitsOf` matches). */
  perSample(yPred: Tensor, yTrue: Tensor, fromLogits: boolean): Tensor;
}

// Keras's backend epsilon, the clip of probabilities before the log
const EPS = 1e-7;

/** Flattens every dim after the batch dim and averages it: [N, …] → [N] (Keras averages the last axis). */
function perRow(x: Tensor): Tensor {
  return x.ndim <= 1 ? x : x.reshape([x.shape[0]!, -1]).mean(1);
}

/** The target as the prediction's shape: [N] targets fit [N, 1] outputs (Keras squeezes/expands). */
function aligned(who: string, yPred: Tensor, yTrue: Tensor): Tensor {
  let y = yTrue.dtype === yPred.dtype ? yTrue : yTrue.to(yPred.dtype);
  if (y.shape.length === yPred.shape.length - 1 && yPred.shape[yPred.ndim - 1] === 1) y = y.unsqueeze(-1);
  if (y.shape.length !== yPred.shape.length || y.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(`${who}: targets of shape ${fmtShape(yTrue.shape)} do not match the model's outputs of shape ${fmtShape(yPred.shape)}`);
  }
  return y;
}

/** Class indices [N] (int32) from targets [N] or [N, 1], integer-valued floats accepted as Keras does. */
function classIndices(who: string, yPred: Tensor, yTrue: Tensor): Tensor {
  let y = yTrue;
  if (y.ndim === yPred.ndim && y.shape[y.ndim - 1] === 1) y = y.squeeze(-1);
  if (y.ndim !== yPred.ndim - 1) {
    throw new ShapeError(`${who}: expected class indices of shape ${fmtShape(yPred.shape.slice(0, -1))} for outputs of shape ${fmtShape(yPred.shape)} (got ${fmtShape(yTrue.shape)}); one-hot targets need "categoricalCrossentropy"`);
  }
  return y.dtype === "int32" ? y : y.int();
}

/** [N, …, C] predictions and [N, …] indices → ([M, C], [M]) for losses whose class dim is 1. */
function rows(yPred: Tensor, idx: Tensor): [Tensor, Tensor] {
  const C = yPred.shape[yPred.ndim - 1]!;
  return [yPred.reshape([-1, C]), idx.reshape([-1])];
}

function sparseCce(yPred: Tensor, yTrue: Tensor, fromLogits: boolean): Tensor {
  const who = "loss sparseCategoricalCrossentropy";
  const idx = classIndices(who, yPred, yTrue);
  const N = yPred.shape[0]!;
  const [p, t] = rows(yPred, idx);
  // logits: log-softmax + NLL in one stable step; probabilities: Keras's normalize, clip, log
  const per = fromLogits
    ? crossEntropy(p, t, { reduction: "none" })
    : nllLoss(p.div(p.sum(-1, true)).clamp(EPS, 1 - EPS).log(), t, { reduction: "none" });
  return yPred.ndim > 2 ? per.reshape([N, -1]).mean(1) : per;
}

function cce(yPred: Tensor, yTrue: Tensor, fromLogits: boolean): Tensor {
  const y = aligned("loss categoricalCrossentropy", yPred, yTrue);
  const logp = fromLogits ? yPred.logSoftmax(-1) : yPred.div(yPred.sum(-1, true)).clamp(EPS, 1 - EPS).log();
  return perRow(y.mul(logp).sum(-1).neg());
}

function bce(yPred: Tensor, yTrue: Tensor, fromLogits: boolean): Tensor {
  const y = aligned("loss binaryCrossentropy", yPred, yTrue);
  if (fromLogits) return perRow(binaryCrossEntropyWithLogits(yPred, y, { reduction: "none" }));
  const p = yPred.clamp(EPS, 1 - EPS);
  return perRow(y.mul(p.log()).add(y.neg().add(1).mul(p.neg().add(1).log())).neg());
}

function huber(yPred: Tensor, yTrue: Tensor, delta = 1): Tensor {
  const a = yPred.sub(aligned("loss huber", yPred, yTrue)).abs();
  // ½a² inside |a| ≤ δ, δ·(|a| − ½δ) outside (Keras's Huber, δ = 1)
  const quad = a.clamp(null, delta);
  return perRow(quad.square().mul(0.5).add(a.sub(quad).mul(delta)));
}

interface Named {
  takes: "softmax" | "sigmoid" | null;
  fn: (yPred: Tensor, yTrue: Tensor, fromLogits: boolean) => Tensor;
}

const NAMED: Record<string, Named> = {
  sparseCategoricalCrossentropy: { takes: "softmax", fn: sparseCce },
  categoricalCrossentropy: { takes: "softmax", fn: cce },
  binaryCrossentropy: { takes: "sigmoid", fn: bce },
  meanSquaredError: { takes: null, fn: (p, y) => perRow(p.sub(aligned("loss meanSquaredError", p, y)).square()) },
  meanAbsoluteError: { takes: null, fn: (p, y) => perRow(p.sub(aligned("loss meanAbsoluteError", p, y)).abs()) },
  huber: { takes: null, fn: (p, y) => huber(p, y) },
};

const ALIASES: Record<string, string> = {
  mse: "meanSquaredError", mae: "meanAbsoluteError", huberLoss: "huber",
  sparse_categorical_crossentropy: "sparseCategoricalCrossentropy", categorical_crossentropy: "categoricalCrossentropy",
  binary_crossentropy: "binaryCrossentropy", mean_squared_error: "meanSquaredError", mean_absolute_error: "meanAbsoluteError",
};

/** The logits each of our loss modules takes (CrossEntropyLoss: softmax logits, BCEWithLogitsLoss: sigmoid logits). */
function moduleLogitsOf(m: Loss): "softmax" | "sigmoid" | null {
  if (m instanceof CrossEntropyLoss) return "softmax";
  if (m instanceof BCEWithLogitsLoss) return "sigmoid";
  return null;
}

/** Resolves `compile({loss})`. */
export function resolveLoss(spec: LossSpec): ResolvedLoss {
  if (typeof spec === "string") {
    const name = ALIASES[spec] ?? spec;
    const named = NAMED[name];
    if (named === undefined) {
      throw new ValueError(`Model.compile: unknown loss ${JSON.stringify(spec)} (expected one of ${[...Object.keys(NAMED), ...Object.keys(ALIASES)].join(", ")}, an st.nn loss module, or a function (yPred, yTrue) => loss)`);
    }
    return { name: spec, takes: named.takes, logitsOf: named.takes, serializable: true, perSample: named.fn };
  }
  if (spec instanceof Loss) {
    const logitsOf = moduleLogitsOf(spec);
    const takes = spec instanceof BCELoss ? "sigmoid" : null;
    // a module loss on logits: the model's output *is* the logits unless it ends in the activation
    return { name: spec.constructor.name, takes, logitsOf, serializable: false, perSample: (p, y) => spec.call(p, y) };
  }
  if (typeof spec === "function") {
    return { name: spec.name || "custom", takes: null, logitsOf: null, serializable: false, perSample: (p, y) => spec(p, y) };
  }
  throw new ValueError(`Model.compile: loss must be a name, an st.nn loss module or a function (got ${spec === null ? "null" : typeof spec})`);
}

/**
 * Σᵢ wᵢ·ℓᵢ / N (Keras's default reduction), or the mean when there are no weights. A 0-d
 * per-sample result (a loss module that reduces) cannot be weighted: a ValueError says so.
 */
export function reduceWeighted(lossName: string, per: Tensor, weights: Tensor | null): Tensor {
  if (per.ndim === 0) {
    if (weights !== null) throw new ValueError(`Model.fit: the loss ${lossName} returns one number per batch, so sampleWeight/classWeight cannot apply (give it reduction "none", or use a loss name)`);
    return per;
  }
  if (per.ndim !== 1) throw new ShapeError(`Model.fit: the loss ${lossName} returned shape ${fmtShape(per.shape)} (expected a scalar or one value per sample)`);
  if (weights === null) return per.mean();
  return per.mul(weights.to(per.dtype)).sum().div(per.shape[0]!);
}
