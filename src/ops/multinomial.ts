// multinomial: draws category indices from rows of non-negative weights, with or without
// replacement, from the library's seeded Generator (so st.manualSeed makes runs repeatable).
// The stream of draws is this library's own, not PyTorch's: only the distribution matches.

import { tensor } from "../core/creation.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { type Generator, defaultGenerator } from "../core/random.js";
import type { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";

/** Options of {@link multinomial} (PyTorch's torch.multinomial arguments). */
export interface MultinomialOptions {
  /** Draw with replacement (default false: each category at most once per row). */
  replacement?: boolean;
  /** The generator to draw from (default: the global one, seeded by st.manualSeed). */
  generator?: Generator;
}

/**
 * For each row of `probs` (1-D: one row; 2-D: [rows, categories]) of non-negative finite weights
 * (need not sum to 1), `numSamples` category indices drawn with probability proportional to the
 * weights: an int32 tensor [numSamples] or [rows, numSamples]. Without replacement a drawn
 * category's weight drops to 0, so numSamples may not exceed the number of nonzero weights.
 * @example
 * ```ts
 * st.manualSeed(0);
 * st.multinomial(st.tensor([0.1, 0.0, 0.9]), 4, { replacement: true }) // e.g. [2, 2, 0, 2]
 * ```
 */
export function multinomial(probs: Tensor, numSamples: number, opts: MultinomialOptions = {}): Tensor {
  checkTensorArg("multinomial", "probs", probs);
  if (probs.dtype !== "float32" && probs.dtype !== "float64") throw new DTypeError(`multinomial: probs must be float32 or float64 (got ${probs.dtype})`);
  if (probs.ndim !== 1 && probs.ndim !== 2) throw new ShapeError(`multinomial: probs must be 1-D or 2-D (got shape ${fmtShape(probs.shape)})`);
  if (!Number.isInteger(numSamples) || numSamples <= 0) throw new ValueError(`multinomial: numSamples must be a positive integer (got ${numSamples})`);
  const replacement = opts.replacement ?? false;
  const g = opts.generator ?? defaultGenerator;
  const rows = probs.ndim === 1 ? 1 : probs.shape[0]!;
  const cats = probs.shape[probs.ndim - 1]!;
  if (cats === 0) throw new ShapeError("multinomial: probs has no categories (expected at least one)");
  const w = probs.dataSync();
  const out = new Int32Array(rows * numSamples);
  const row = new Float64Array(cats);
  for (let r = 0; r < rows; r++) {
    let total = 0, positive = 0;
    for (let c = 0; c < cats; c++) {
      const v = w[r * cats + c]!;
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new ValueError(`multinomial: weights must be finite and >= 0 (got ${v} at row ${r}, category ${c})`);
      }
      row[c] = v;
      total += v;
      if (v > 0) positive++;
    }
    if (total <= 0) throw new ValueError(`multinomial: row ${r} has weights summing to 0 (expected a positive sum)`);
    if (!replacement && numSamples > positive) {
      throw new ValueError(`multinomial: cannot draw ${numSamples} samples without replacement from row ${r} with ${positive} nonzero weight(s) (use replacement: true or fewer samples)`);
    }
    for (let s = 0; s < numSamples; s++) {
      // inverse CDF of one uniform draw; the last positive category absorbs rounding at the top
      const u = g.nextFloat64() * total;
      let acc = 0, pick = -1;
      for (let c = 0; c < cats; c++) {
        if (row[c]! <= 0) continue;
        pick = c;
        acc += row[c]!;
        if (u < acc) break;
      }
      out[r * numSamples + s] = pick;
      if (!replacement) {
        total -= row[pick]!;
        row[pick] = 0;
      }
    }
  }
  return tensor(out, { shape: probs.ndim === 1 ? [numSamples] : [rows, numSamples], dtype: "int32" });
}
