// The data a run trains and is judged on: the seeded train/held-out split and the feature (and,
// for regression, target) standardization fitted on the training part only. `evaluate` rebuilds
// the same split from the run's seed and reuses the saved scalers.

import type * as St from "../node.js";
import type { TaskData, TaskKind } from "./datasets.js";
import type { ScalerState } from "./run-folder.js";
import type { TrainConfig } from "./train-options.js";

export interface PreparedData {
  xTrain: St.Tensor;
  yTrain: St.Tensor;
  xTest: St.Tensor;
  /** Held-out targets in the data's own units. */
  yTest: St.Tensor;
  /** Feature standardization (null for token sequences). */
  xScaler: St.data.StandardScaler | null;
  yScaler: St.data.StandardScaler | null;
}

export function prepareData(
  st: typeof St,
  data: TaskData,
  cfg: TrainConfig,
  saved?: { xScaler: ScalerState | null; yScaler: ScalerState | null },
): PreparedData {
  const split = st.data.trainTestSplit(data.x, data.y, { testSize: cfg.testSplit, seed: cfg.seed });
  // token ids are not scaled
  if (data.task === "sequence") return { ...split, xScaler: null, yScaler: null };
  const xScaler = saved?.xScaler ? st.data.StandardScaler.fromJSON(saved.xScaler) : new st.data.StandardScaler().fit(split.xTrain);
  let yScaler: St.data.StandardScaler | null = null;
  if (data.task === "regression") {
    yScaler = saved?.yScaler ? st.data.StandardScaler.fromJSON(saved.yScaler) : new st.data.StandardScaler().fit(split.yTrain);
  }
  return {
    xTrain: xScaler.transform(split.xTrain),
    yTrain: yScaler ? yScaler.transform(split.yTrain) : split.yTrain,
    xTest: xScaler.transform(split.xTest),
    yTest: split.yTest,
    xScaler,
    yScaler,
  };
}

/** Model outputs → what the user reads: class probabilities (softmax when the model gave logits) or targets in their own units. */
export function postprocess(st: typeof St, out: St.Tensor, task: TaskKind, yScaler: St.data.StandardScaler | null): St.Tensor {
  if (task === "sequence") return out; // [n, seqLen, vocab] probabilities (the model ends in softmax)
  if (task === "regression") return yScaler ? yScaler.inverseTransform(out) : out;
  const rowSums = out.sum(1);
  const isProb = (out.min().item() as number) >= 0 && st.allclose(rowSums, st.onesLike(rowSums), { atol: 1e-4, rtol: 0 });
  return isProb ? out : out.softmax(1);
}
