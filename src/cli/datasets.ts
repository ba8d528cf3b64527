// The datasets `steady train --dataset` can name, loaded as features, targets and a task
// (classification with its classes, or regression).

import type * as St from "../node.js";
import { CliError } from "./cli-error.js";
import type { TrainConfig } from "./train-options.js";

/** What a run learns: classes, a number, or a token per position of a sequence. */
export type TaskKind = "classification" | "regression" | "sequence";

export interface TaskData {
  /** Features [n, f], or int32 tokens [n, seqLen] (sequence). */
  x: St.Tensor;
  /** int32 class indices (classification), float32 [n, 1] targets (regression) or int32 target tokens [n, seqLen] (sequence). */
  y: St.Tensor;
  task: TaskKind;
  /** Number of classes (classification), of tokens (sequence), else 0. */
  numClasses: number;
  featureNames: string[];
  /** Readable origin, e.g. "UCI digits (bundled)". */
  description: string;
  /** Name of the target (CSV: the column). */
  targetName: string;
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `x${i}`);

function classification(x: St.Tensor, y: St.Tensor, numClasses: number, description: string, targetName = "class"): TaskData {
  return { x, y, task: "classification", numClasses, featureNames: names(x.shape[1]!), description, targetName };
}

/** Loads `cfg.dataset` (seeded where synthetic) and decides the task. */
export function loadTaskData(st: typeof St, cfg: TrainConfig): TaskData {
  switch (cfg.dataset) {
    case "digits": {
      const d = st.datasets.loadDigits();
      return classification(d.x, d.y, d.numClasses, "UCI optical digits, 8×8 pixels / 16 (bundled)", "digit");
    }
    case "iris": {
      const d = st.datasets.loadIris();
      return classification(d.x, d.y, d.numClasses, "Fisher's iris (bundled)");
    }
    case "breast-cancer": {
      const d = st.datasets.loadBreastCancer();
      return classification(d.x, d.y, d.numClasses, "Wisconsin breast cancer (bundled)", "benign");
    }
    case "wine": {
      const d = st.datasets.loadWine();
      return classification(d.x, d.y, d.numClasses, "UCI wine recognition (bundled)");
    }
    case "diabetes": {
      const d = st.datasets.loadDiabetes();
      return { x: d.x, y: d.y.reshape(-1, 1), task: "regression", numClasses: 0, featureNames: d.featureNames, description: "diabetes progression (bundled)", targetName: "progression" };
    }
    case "spirals": {
      const d = st.data.makeSpirals({ nPerClass: 200, nClasses: 3, seed: cfg.seed });
      return classification(d.x, d.y, 3, `3 interleaved spirals, 600 points (synthetic, seed ${cfg.seed})`);
    }
    case "reversal":
    case "copy": {
      const opts = { nSamples: cfg.samples, length: cfg.seqLen, vocabSize: cfg.vocab, seed: cfg.seed };
      const d = cfg.dataset === "reversal" ? st.data.sequenceReversal(opts) : st.data.sequenceCopy(opts);
      const what = cfg.dataset === "reversal" ? "reverse" : "copy";
      return {
        x: d.x, y: d.y, task: "sequence", numClasses: cfg.vocab, featureNames: names(cfg.seqLen).map((n) => n.replace("x", "t")),
        description: `${what} ${cfg.samples} random sequences of ${cfg.seqLen} tokens 0..${cfg.vocab - 1} (synthetic, seed ${cfg.seed})`,
        targetName: cfg.dataset,
      };
    }
    case "blobs": {
      const d = st.data.makeBlobs({ nSamples: 600, centers: 4, nFeatures: 2, seed: cfg.seed });
      return classification(d.x, d.y, 4, `4 Gaussian blobs in 2-D, 600 points (synthetic, seed ${cfg.seed})`);
    }
  }
  if (!cfg.dataset.startsWith("csv:")) throw new CliError(`unknown dataset "${cfg.dataset}"`);
  const path = cfg.dataset.slice(4);
  const target = cfg.target ?? -1;
  // a name, or a column number given as text ("0", "-1"); parseCsv resolves both
  const d = st.data.readCsv(path, { target });
  const y = d.y!;
  const values = Array.from(y.dataSync());
  const integral = values.every((v) => Number.isInteger(v) && v >= 0 && v < 50);
  if (cfg.task === "classification" && !values.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new CliError(`--task classification needs class indices 0, 1, 2, … in column "${d.targetColumn}" of ${path}`);
  }
  const task = cfg.task === "auto" ? (integral ? "classification" : "regression") : cfg.task;
  const description = `${path} (${d.x.shape[0]} rows, target "${d.targetColumn}")`;
  if (task === "classification") {
    const numClasses = Math.max(...values) + 1;
    if (numClasses < 2) throw new CliError(`column "${d.targetColumn}" of ${path} holds a single class; nothing to classify`);
    return { x: d.x, y: y.to("int32"), task, numClasses, featureNames: d.columns, description, targetName: d.targetColumn! };
  }
  return { x: d.x, y: y.reshape(-1, 1), task, numClasses: 0, featureNames: d.columns, description, targetName: d.targetColumn! };
}
