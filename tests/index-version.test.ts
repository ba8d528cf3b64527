// Index tensors are saved tensors: gather, indexSelect, scatterAdd, indexAdd and embedding keep
// their index for the backward as a version-checked saved tensor, so changing it in place
// between forward and backward raises the usual error instead of sending the gradient to other
// rows (before, the node held the index's raw array and the gradient silently went elsewhere).

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";

const firstTwoCols = [[1, 1, 0, 0, 0], [1, 1, 0, 0, 0]];
const all = [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1]];
// name, op on x [2, 5] and an index, the index, the gradient of the sum of the result w.r.t. x
const cases: [string, (x: Tensor, idx: Tensor) => Tensor, () => Tensor, number[][]][] = [
  ["gather", (x, idx) => st.gather(x, 1, idx), () => st.tensor([[0, 1], [1, 0]], { dtype: "int32" }), firstTwoCols],
  ["indexSelect", (x, idx) => st.indexSelect(x, 0, idx), () => st.tensor([0, 1], { dtype: "int32" }), all],
  ["scatterAdd", (x, idx) => st.scatterAdd(st.zeros([2, 5]), 1, idx, x.slice(null, [0, 2])), () => st.tensor([[0, 1], [1, 0]], { dtype: "int32" }), firstTwoCols],
  ["indexAdd", (x, idx) => st.indexAdd(st.zeros([6, 5]), 0, idx, x), () => st.tensor([0, 1], { dtype: "int32" }), all],
  ["embedding", (x, idx) => st.nn.functional.embedding(idx, x), () => st.tensor([0, 1], { dtype: "int32" }), all],
];

describe("an index changed in place after the forward", () => {
  for (const [name, f, makeIdx, grad] of cases) {
    it(`${name}: backward raises the version error`, () => {
      const x = st.arange(10, { dtype: "float32" }).reshape([2, 5]).requiresGrad_(true);
      const idx = makeIdx();
      const y = f(x, idx);
      idx.add_(3);
      expect(() => y.sum().backward()).toThrow(/modified by an in-place op/);
    });

    it(`${name}: without the change the gradient lands on the indexed entries`, () => {
      const x = st.arange(10, { dtype: "float32" }).reshape([2, 5]).requiresGrad_(true);
      const y = f(x, makeIdx());
      y.sum().backward();
      expect(x.grad!.toArray()).toEqual(grad);
    });
  }
});
