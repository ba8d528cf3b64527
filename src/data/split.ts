// Train/test splitting with a seeded shuffle.

import { tensor } from "../core/creation.js";
import { DTypeError, ShapeError, ValueError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { Tensor } from "../core/tensor.js";
import { indexSelect } from "../ops/indexing.js";
import { describeValue } from "../nn/check-args.js";

/** What `trainTestSplit` returns. */
export interface Split {
  /** Training features. */
  xTrain: Tensor;
  /** Training targets. */
  yTrain: Tensor;
  /** Test features. */
  xTest: Tensor;
  /** Test targets. */
  yTest: Tensor;
}

/**
 * Shuffles the rows of x and y with a seeded generator and holds out `testSize` of them, like
 * scikit-learn's train_test_split: a fraction 0 < testSize < 1 (the test rows are
 * round(rows·testSize), which must leave at least one row on each side), or an integer count
 * 1 ≤ testSize < rows. Default 0.2, seed 0. Anything else (1.5, 0, −1, NaN, a count ≥ rows)
 * raises a ValueError naming the option and the valid range.
 * @example
 * const x = st.randn([10, 3]);
 * const y = st.arange(10);
 * const { xTrain, xTest } = st.data.trainTestSplit(x, y, { testSize: 0.2, seed: 0 }); // 8 and 2 rows
 */
export function trainTestSplit(x: Tensor, y: Tensor, opts: { testSize?: number; seed?: number } = {}): Split {
  for (const [name, t] of [["x", x], ["y", y]] as const) {
    if (!(t instanceof Tensor)) throw new DTypeError(`trainTestSplit: ${name} must be a Tensor, got ${describeValue(t)}; create one with st.tensor(...)`);
    if (t.ndim === 0) throw new ShapeError(`trainTestSplit: ${name} must have a first dim of rows (got a 0-d tensor)`);
  }
  const n = x.shape[0]!;
  if (y.shape[0] !== n) throw new ValueError(`trainTestSplit: x has ${n} rows but y has ${y.shape[0]}`);
  const ts = opts.testSize ?? 0.2;
  const range = `expected a fraction 0 < testSize < 1 or an integer count 1 <= testSize < ${n} (the number of rows)`;
  if (typeof ts !== "number" || !Number.isFinite(ts) || ts <= 0 || (ts >= 1 && !Number.isInteger(ts))) {
    throw new ValueError(`trainTestSplit: option testSize is ${typeof ts === "number" ? ts : describeValue(ts)}; ${range}`);
  }
  const nTest = ts < 1 ? Math.round(n * ts) : ts;
  if (!(nTest > 0 && nTest < n)) {
    const what = ts < 1 ? `fraction ${ts} of ${n} rows gives ${nTest} test rows, which` : `count ${ts}`;
    throw new ValueError(`trainTestSplit: option testSize ${what} leaves no rows on one side; ${range}`);
  }
  const perm = new Generator(opts.seed ?? 0).randperm(n);
  const testIdx = tensor(perm.subarray(0, nTest), { dtype: "int32" });
  const trainIdx = tensor(perm.subarray(nTest), { dtype: "int32" });
  return {
    xTrain: indexSelect(x, 0, trainIdx),
    yTrain: indexSelect(y, 0, trainIdx),
    xTest: indexSelect(x, 0, testIdx),
    yTest: indexSelect(y, 0, testIdx),
  };
}
