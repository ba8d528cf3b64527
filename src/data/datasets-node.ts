// The bundled datasets (data/ in the package), read from disk. Node-only: uses node:fs and zlib.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { tensor } from "../core/creation.js";
import type { Tensor } from "../core/tensor.js";
import { parseNumericCsv } from "./csv.js";

export interface LabeledData {
  /** Features, float32 [n, features]. */
  x: Tensor;
  /** Class indices, int32 [n]. */
  y: Tensor;
  numClasses: number;
}

function dataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "data", "digits.csv.gz"))) return join(dir, "data");
    dir = dirname(dir);
  }
  throw new Error("steadytensor: the bundled data/ folder was not found next to the package");
}

function readText(file: string): string {
  const raw = readFileSync(join(dataDir(), file));
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
 * @example const { x, y } = st.datasets.loadDigits(); // x: [1797, 64], y: [1797]
 */
export function loadDigits(opts: { normalize?: boolean } = {}): LabeledData {
  return labeled("digits.csv.gz", 0, opts.normalize === false ? 1 : 16);
}

/** Fisher's iris (150 × 4, 3 classes). */
export function loadIris(): LabeledData {
  return labeled("iris.csv", 1, 1);
}

/** Wisconsin breast cancer (569 × 30, 2 classes). */
export function loadBreastCancer(): LabeledData {
  return labeled("breast_cancer.csv", 1, 1);
}

/** Wine recognition (178 × 13, 3 classes). */
export function loadWine(): LabeledData {
  return labeled("wine_data.csv", 1, 1);
}
