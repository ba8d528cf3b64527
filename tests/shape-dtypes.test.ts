// Every shape and indexing op keeps its input's dtype, as PyTorch: a bool or int32 tensor goes in,
// the same dtype comes out, with the values the same op gives on float64 (the path every other
// op test checks). Regression: triu/tril of a bool tensor returned int32, so the causal mask
// st.triu(st.ones([T, T], {dtype: "bool"}), 1) failed in maskedFill.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { DType, Tensor } from "../src/index.js";

const INPUTS: Record<"bool" | "int32", number[][]> = {
  bool: [[1, 0, 1], [0, 0, 1]],
  int32: [[1, -2, 3], [40, 5, -6]],
};

const idx = (v: number[] | number[][]) => st.tensor(v, { dtype: "int32" });

/** name → the op applied to a [2, 3] tensor (it may return several tensors). */
const ROWS: Record<string, (x: Tensor) => Tensor | Tensor[]> = {
  reshape: (x) => x.reshape([3, 2]),
  view: (x) => x.view(6),
  flatten: (x) => x.flatten(),
  squeeze: (x) => x.reshape([1, 2, 3]).squeeze(0),
  unsqueeze: (x) => x.unsqueeze(1),
  expand: (x) => x.reshape([2, 1, 3]).expand([2, 4, 3]),
  broadcastTo: (x) => x.broadcastTo([5, 2, 3]),
  permute: (x) => x.permute([1, 0]),
  transpose: (x) => x.transpose(0, 1),
  T: (x) => x.T,
  mT: (x) => x.reshape([1, 2, 3]).mT,
  slice: (x) => x.slice(null, [1, 3]),
  sliceRows: (x) => x.slice(1, 2),
  index: (x) => x.index(1),
  indexElement: (x) => x.index(1, -1),
  sliceStep: (x) => x.slice(null, [0, 3, 2]),
  narrow: (x) => x.narrow(1, 1, 2),
  cat: (x) => st.cat([x, x], 1),
  stack: (x) => st.stack([x, x], 0),
  split: (x) => x.split(2, 1),
  chunk: (x) => x.chunk(2, 0),
  pad: (x) => x.pad([1, 2]),
  padValue: (x) => x.pad([1, 0, 0, 1], 1),
  repeat: (x) => x.repeat([2, 1, 2]),
  tril: (x) => x.tril(),
  triu: (x) => x.triu(1),
  trilNeg: (x) => st.tril(x, -1),
  gather: (x) => x.gather(1, idx([[2, 0], [1, 1]])),
  indexSelect: (x) => x.indexSelect(1, idx([2, 0, 2])),
  maskedFill: (x) => x.maskedFill(st.tensor([[true, false, false], [false, true, false]]), 1),
  scatterAdd: (x) => x.scatterAdd(1, idx([[0, 2], [1, 1]]), st.onesLike(x)),
  indexAdd: (x) => x.indexAdd(0, idx([1]), st.onesLike(x).slice(0, 1)),
  where: (x) => st.where(st.tensor([[true, false, true], [true, true, false]]), x, st.zerosLike(x)),
  clone: (x) => x.clone(),
  contiguous: (x) => x.contiguous(),
};

function asList(r: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(r) ? r : [r];
}

describe.each(["bool", "int32"] as const)("shape and indexing ops keep dtype %s", (dtype) => {
  it.each(Object.keys(ROWS))("%s", (name) => {
    const f = ROWS[name]!;
    const x = st.tensor(INPUTS[dtype], { dtype });
    const got = asList(f(x));
    const ref = asList(f(x.double()));
    expect(got.length).toBe(ref.length);
    got.forEach((g, i) => {
      expect(g.dtype, `${name} of a ${dtype} tensor`).toBe(dtype as DType);
      expect(g.shape).toEqual(ref[i]!.shape);
      // the same values as on float64 (bool ops that add, like scatterAdd, saturate to true)
      const want = ref[i]!.to(dtype);
      expect(g.toArray()).toEqual(want.toArray());
    });
  });
});

describe("the causal mask idiom", () => {
  it("st.triu(st.ones([T, T], {dtype: 'bool'}), 1) is bool and masks the future in maskedFill", () => {
    const T = 3;
    const mask = st.triu(st.ones([T, T], { dtype: "bool" }), 1);
    expect(mask.dtype).toBe("bool");
    expect(mask.toArray()).toEqual([[false, true, true], [false, false, true], [false, false, false]]);
    const scores = st.zeros([T, T]).maskedFill(mask, -Infinity);
    expect(scores.toArray()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
    expect(st.softmax(scores, -1).toArray()).toEqual([[1, 0, 0], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3].map(Math.fround)]);
  });

  it("tril of a float tensor keeps float32 and float64", () => {
    expect(st.tril(st.ones([2, 2])).dtype).toBe("float32");
    expect(st.tril(st.ones([2, 2], { dtype: "float64" })).toArray()).toEqual([[1, 0], [1, 1]]);
  });
});
