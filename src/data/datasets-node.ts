// The bundled datasets (data/ in the package), read from disk offline. Node-only: uses node:fs and zlib.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { ValueError } from "../core/errors.js";
import { tensor } from "../core/creation.js";
import type { Tensor } from "../core/tensor.js";
import { parseNumericCsv } from "./csv.js";

/** A classification dataset: features, int32 labels and the class count. */
export interface LabeledData {
  /** Features, float32 [n, features]. */
  x: Tensor;
  /** Class indices, int32 [n]. */
  y: Tensor;
  /** Number of classes (labels are 0 … numClasses − 1). */
  numClasses: number;
}

/** A regression dataset: features, float targets and the feature names. */
export interface RegressionData {
  /** Features, float32 [n, features]. */
  x: Tensor;
  /** Targets, float32 [n]. */
  y: Tensor;
  /** Names of the feature columns, in order. */
  featureNames: string[];
}

function dataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "data", "digits.csv.gz"))) return join(dir, "data");
    dir = dirname(dir);
  }
  throw new ValueError(`steadytensor datasets: the bundled data/ folder was not found in any parent of ${dirname(fileURLToPath(import.meta.url))}`);
}

function readText(file: string): string {
  const path = join(dataDir(), file);
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new ValueError(`steadytensor datasets: cannot read "${path}": ${(e as Error).message}`);
  }
  return file.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
}

function labeled(file: string, skipRows: number, scale: number): LabeledData {
  const t = parseNumericCsv(readText(file), { skipRows, delimiter: "," });
  const f = t.cols - 1;
  const x = new Float32Array(t.rows * f);
  const y = new Int32Array(t.rows);
  let numClasses = 0;
  for (let r = 0; r < t.rows; r++) {
    for (let c = 0; c < f; c++) x[r * f + c] = t.values[r * t.cols + c]! / scale;
    y[r] = t.values[r * t.cols + f]!;
    numClasses = Math.max(numClasses, y[r]! + 1);
  }
  return { x: tensor(x, { shape: [t.rows, f], dtype: "float32" }), y: tensor(y, { dtype: "int32" }), numClasses };
}

/**
 * The UCI optical digits (1797 8×8 images, pixels 0..16, classes 0–9). `normalize` divides the
 * pixels by 16 (default true).
 * @example const { x, y } = st.datasets.loadDigits(); // x: [1797, 64] float32, y: [1797] int32
 */
export function loadDigits(opts: { normalize?: boolean } = {}): LabeledData {
  return labeled("digits.csv.gz", 0, opts.normalize === false ? 1 : 16);
}

/**
 * Fisher's iris (150 × 4 in cm, 3 classes), unscaled.
 * @example const { x, y, numClasses } = st.datasets.loadIris(); // [150, 4], [150], 3
 */
export function loadIris(): LabeledData {
  return labeled("iris.csv", 1, 1);
}

/**
 * Wisconsin breast cancer (569 × 30, classes 0 malignant / 1 benign), unscaled.
 * @example const { x, y } = st.datasets.loadBreastCancer(); // [569, 30], [569]
 */
export function loadBreastCancer(): LabeledData {
  return labeled("breast_cancer.csv", 1, 1);
}

/**
 * Wine recognition (178 × 13, 3 classes), unscaled.
 * @example const { x, y } = st.datasets.loadWine(); // [178, 13], [178]
 */
export function loadWine(): LabeledData {
  return labeled("wine_data.csv", 1, 1);
}

/**
 * The diabetes regression data (442 patients × 10 raw features: age, sex, bmi, bp, s1–s6; target
 * a disease-progression score 25–346), unscaled — scikit-learn's `load_diabetes(scaled=False)`.
 * @example const { x, y } = st.datasets.loadDiabetes(); // x: [442, 10] float32, y: [442] float32
 */
export function loadDiabetes(): RegressionData {
  const xs = parseNumericCsv(readText("diabetes_data_raw.csv.gz"), { delimiter: /\s+/ });
  const ys = parseNumericCsv(readText("diabetes_target.csv.gz"), { delimiter: /\s+/ });
  if (ys.rows !== xs.rows || ys.cols !== 1) {
    throw new ValueError(`loadDiabetes: the bundled files disagree (${xs.rows} feature rows, ${ys.rows}×${ys.cols} targets)`);
  }
  return {
    x: tensor(Float32Array.from(xs.values), { shape: [xs.rows, xs.cols] }),
    y: tensor(Float32Array.from(ys.values)),
    featureNames: ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"],
  };
}
