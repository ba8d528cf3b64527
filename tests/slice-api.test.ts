// slice reads like JavaScript: positional numbers slice dim 0 as Array.prototype.slice does;
// per-dim ranges are arrays; NumPy's single-index form (which drops dims) is `index`. Ambiguous
// or invalid calls raise. Regression: x.slice(1, 3) on a 2-D tensor returned the element x[1][3].

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { IndexError, ValueError } from "../src/index.js";
import { expectError } from "./helpers/expect-error.js";

const grid = () => st.arange(12).reshape(3, 4); // [[0..3], [4..7], [8..11]]

describe("slice with positional numbers: dim 0, like Array.prototype.slice", () => {
  it("x.slice(1, 3) is rows 1..2 (not the element x[1][3])", () => {
    const s = grid().slice(1, 3);
    expect(s.shape).toEqual([2, 4]);
    expect(s.toArray()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
  });

  it("agrees with Array.prototype.slice on every (start, end) in -5..5, with clamping", () => {
    const rows = grid().toArray() as number[][];
    for (let a = -5; a <= 5; a++) {
      expect(grid().slice(a).toArray()).toEqual(rows.slice(a));
      for (let b = -5; b <= 5; b++) expect(grid().slice(a, b).toArray()).toEqual(rows.slice(a, b));
    }
  });

  it("a step takes every step-th row; null end means to the end", () => {
    expect(st.arange(7).slice(1, null, 3).toArray()).toEqual([1, 4]);
    expect(st.arange(7).slice(0, 7, 2).toArray()).toEqual([0, 2, 4, 6]);
  });

  it("x.slice() is the whole tensor", () => {
    expect(grid().slice().toArray()).toEqual(grid().toArray());
  });
});

describe("slice with one range per dim", () => {
  it("x.slice(null, [1, 3]) takes columns; x.slice([0, 2], [1, 3]) a block", () => {
    expect(grid().slice(null, [1, 3]).toArray()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(grid().slice([0, 2], [1, 3]).toArray()).toEqual([[1, 2], [5, 6]]);
    expect(grid().slice([null, null, 2], [-1]).toArray()).toEqual([[3], [11]]);
  });
});

describe("index: NumPy basic indexing, numbers drop dims", () => {
  it("x.index(1, 3) is the element x[1][3]; x.index(0) is row 0; x.index(null, 2) column 2", () => {
    expect(grid().index(1, 3).shape).toEqual([]);
    expect(grid().index(1, 3).item()).toBe(7);
    expect(grid().index(0).toArray()).toEqual([0, 1, 2, 3]);
    expect(grid().index(null, 2).toArray()).toEqual([2, 6, 10]);
    expect(grid().index(-1, [1, null, 2]).toArray()).toEqual([9, 11]);
    expect(st.index(grid(), [1, 2], -1).toArray()).toEqual([7]);
  });

  it("is differentiable", () => {
    const x = st.tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
    const r = st.gradcheck((a) => a.index(1, [0, 2]).square().sum(), [x]);
    expect(r.ok, r.message).toBe(true);
  });
});

describe("ambiguous or invalid slices are clear errors", () => {
  it("a non-integer is 'not an integer', not 'out of range'", () => {
    expectError(() => st.ones([2]).slice(1.5), ValueError, "slice", "start", "1.5", "not an integer");
    expectError(() => st.ones([4]).slice(0, 2.5), ValueError, "slice", "end", "2.5", "not an integer");
    expectError(() => st.ones([2, 3]).slice(null, [0.5, 2]), ValueError, "slice", "start of dim 1", "0.5", "not an integer");
    expectError(() => st.ones([2, 3]).index(1.5), ValueError, "index", "1.5", "not an integer");
  });

  it("numbers after a range, or a range after a number, name the two forms and index", () => {
    expectError(() => st.ones([2, 3]).slice(null as never, 1 as never), ValueError, "slice", "number 1", "x.index");
    expectError(() => st.ones([2, 3]).slice(1 as never, [0, 2] as never), ValueError, "slice", "mixes", "Array.prototype.slice", "x.index");
  });

  it("more than three positional numbers, a string, a too-long range, a zero step", () => {
    expectError(() => (st.ones([5]).slice as (...a: number[]) => st.Tensor)(0, 1, 1, 1), ValueError, "slice", "4 numbers");
    expectError(() => st.ones([2, 3]).slice("1:2" as never), ValueError, "slice", '"1:2"', "[start, stop, step]");
    expectError(() => st.ones([4]).slice([0, 1, 1, 1]), ValueError, "slice", "at most");
    expectError(() => st.ones([4]).slice(0, 4, 0), ValueError, "slice", "step", "positive");
  });

  it("index out of range and too many indices", () => {
    expectError(() => st.ones([2, 3]).index(2), IndexError, "index", "index 2", "size 2");
    expectError(() => st.ones([2]).slice([0, 1], [0, 1]), IndexError, "slice", "too many indices (2)", "1-D");
  });
});
