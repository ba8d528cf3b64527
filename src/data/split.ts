// Train/test splitting with a seeded shuffle.

import { tensor } from "../core/creation.js";
import { ValueError } from "../core/errors.js";
import { Generator } from "../core/random.js";
import { Tensor } from "../core/tensor.js";
import { indexSelect } from "../ops/indexing.js";

export interface Split {
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

/**
 * Shuffles the rows of x and y with a seeded generator and holds out `testSize` of them
 * (a fraction in (0, 1) or a count), like scikit-learn's train_test_split.
 * @example const { xTrain, xTest } = st.data.trainTestSplit(x, y, { testSize: 0.2, seed: 0 });
 */
export function trainTestSplit(x: Tensor, y: Tensor, opts: { testSize?: number; seed?: number } = {}): Split {
  const n = x.shape[0]!;
  if (y.shape[0] !== n) throw new ValueError(`trainTestSplit: x has ${n} rows but y has ${y.shape[0]}`);
  const ts = opts.testSize ?? 0.2;
  const nTest = ts < 1 ? Math.round(n * ts) : ts;
  if (!(nTest > 0 && nTest < n)) throw new ValueError(`trainTestSplit: testSize ${ts} leaves no rows on one side (n = ${n})`);
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
