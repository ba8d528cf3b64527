// st.metrics: the streaming metrics of `compile({metrics})`, and `resolveMetric`, which turns the
// Keras names ("accuracy", "auc", "mse", …) into metric objects for a given loss and output shape.

import { ValueError } from "../../core/errors.js";
import type { Metric } from "../metric.js";
import {
  Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from "./accuracy.js";
import type { AccuracyKind } from "./accuracy.js";
import { AUC } from "./auc.js";
import { F1Score, Precision, Recall } from "./confusion.js";
import { MeanAbsoluteError, MeanSquaredError, R2Score } from "./regression.js";

export type { Metric } from "../metric.js";
export {
  Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
} from "./accuracy.js";
export type { AccuracyKind, AccuracyOptions, AutoAccuracyOptions, BinaryAccuracyOptions, TopKOptions } from "./accuracy.js";
export { Precision, Recall, F1Score } from "./confusion.js";
export type { ConfusionOptions } from "./confusion.js";
export { AUC } from "./auc.js";
export type { AUCOptions } from "./auc.js";
export { MeanSquaredError, MeanAbsoluteError, R2Score } from "./regression.js";
export type { RegressionMetricOptions } from "./regression.js";

/** What `resolveMetric` knows of the compiled model. */
export interface MetricContext {
  /** The loss name as given to `compile` (`"sparseCategoricalCrossentropy"`, `"bceWithLogits"`, …). */
  loss?: string;
  /** The model's output shape (with or without the batch dim; only the last dim is used). */
  outputShape?: number[];
  /**
   * Whether the model outputs logits rather than probabilities (binary metrics then threshold
   * sigmoid(yPred)). Default: true when the loss name says "logits", else false.
   */
  fromLogits?: boolean;
}

type Factory = (name: string, ctx: MetricContext, fromLogits: boolean) => Metric;

/** Keras's names (camelCase; snake_case and case variants are accepted too) → metric makers. */
const REGISTRY: Record<string, Factory> = {
  accuracy: (name, ctx, fromLogits) => new Accuracy({ name, kind: accuracyKindOf(ctx), fromLogits }),
  acc: (name, ctx, fromLogits) => new Accuracy({ name, kind: accuracyKindOf(ctx), fromLogits }),
  binaryAccuracy: (name, _c, fromLogits) => new BinaryAccuracy({ name, fromLogits }),
  categoricalAccuracy: (name) => new CategoricalAccuracy({ name }),
  sparseCategoricalAccuracy: (name) => new SparseCategoricalAccuracy({ name }),
  topKCategoricalAccuracy: (name) => new TopKCategoricalAccuracy({ name }),
  sparseTopKCategoricalAccuracy: (name) => new SparseTopKCategoricalAccuracy({ name }),
  precision: (name, _c, fromLogits) => new Precision({ name, fromLogits }),
  recall: (name, _c, fromLogits) => new Recall({ name, fromLogits }),
  f1: (name, _c, fromLogits) => new F1Score({ name, fromLogits }),
  f1Score: (name, _c, fromLogits) => new F1Score({ name, fromLogits }),
  auc: (name) => new AUC({ name }),
  mse: (name) => new MeanSquaredError({ name }),
  meanSquaredError: (name) => new MeanSquaredError({ name }),
  mae: (name) => new MeanAbsoluteError({ name }),
  meanAbsoluteError: (name) => new MeanAbsoluteError({ name }),
  r2: (name) => new R2Score({ name }),
  r2Score: (name) => new R2Score({ name }),
};

const normalize = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");
const BY_KEY = new Map(Object.entries(REGISTRY).map(([k, f]) => [normalize(k), f]));

/** The names `resolveMetric` accepts (camelCase; snake_case spellings work too). */
export const METRIC_NAMES: readonly string[] = Object.keys(REGISTRY);

/**
 * The accuracy a loss calls for, as Keras decides "accuracy": binary cross-entropies (and a single
 * output per sample) → binary; sparse categorical cross-entropy → sparse; categorical → categorical;
 * otherwise undefined, and `Accuracy` decides from the first batch's shapes.
 */
function accuracyKindOf(ctx: MetricContext): AccuracyKind | undefined {
  const loss = normalize(ctx.loss ?? "");
  if (loss.includes("sparse")) return "sparse";
  if (loss.includes("binary") || loss.startsWith("bce")) return "binary";
  if (loss.includes("categorical")) return "categorical";
  const shape = ctx.outputShape;
  if (shape !== undefined && (shape.length === 0 || shape[shape.length - 1] === 1)) return "binary";
  return undefined;
}

function isMetric(x: unknown): x is Metric {
  const m = x as Metric;
  return typeof x === "object" && x !== null && typeof m.name === "string" && typeof m.update === "function" &&
    typeof m.result === "function" && typeof m.reset === "function";
}

/**
 * Turns a metric spec of `compile({metrics})` into a fresh `Metric`: a `Metric` object is returned
 * as is; a name (Keras's: `"accuracy"`/`"acc"`, `"binaryAccuracy"`, `"categoricalAccuracy"`,
 * `"sparseCategoricalAccuracy"`, `"topKCategoricalAccuracy"` (k = 5),
 * `"sparseTopKCategoricalAccuracy"`, `"precision"`, `"recall"`, `"f1"`, `"auc"`, `"mse"`, `"mae"`,
 * `"r2"`, also in snake_case) makes the metric, logged under that name. `"accuracy"` becomes
 * binary, categorical or sparse categorical from the loss and output shape (see `accuracyKindOf`);
 * binary metrics threshold probabilities at 0.5, or logits at 0 when `ctx.fromLogits` (or a loss
 * name with "logits"). Unknown names raise a ValueError listing the valid ones.
 *
 * @example
 * const acc = st.metrics.resolveMetric("accuracy", { loss: "sparseCategoricalCrossentropy", outputShape: [10] });
 * acc.update(st.tensor([[0.2, 0.8], [0.6, 0.4]]), st.tensor([1, 1]));
 * acc.result(); // 0.5
 */
export function resolveMetric(spec: string | Metric, ctx: MetricContext = {}): Metric {
  if (isMetric(spec)) return spec;
  if (typeof spec !== "string") {
    throw new ValueError(`resolveMetric: a metric must be a name or a Metric object with name/reset/update/result (got ${spec === null ? "null" : typeof spec})`);
  }
  const make = BY_KEY.get(normalize(spec));
  if (make === undefined) {
    throw new ValueError(`resolveMetric: unknown metric ${JSON.stringify(spec)}; valid names: ${METRIC_NAMES.join(", ")}`);
  }
  const fromLogits = ctx.fromLogits ?? normalize(ctx.loss ?? "").includes("logits");
  return make(spec, ctx, fromLogits);
}
