// The symbolic dims behind dynamic axes (src/io/onnx/sym-shape.ts): polynomial arithmetic and the
// reshape rule that tells which output dims of a traced reshape are "batch", "seq" or products.

import { describe, expect, it } from "vitest";
import {
  type SymShape, broadcastSym, constDim, dimAdd, dimEval, dimMul, dimToString, reshapeSym, symDim,
} from "../src/io/onnx/sym-shape.js";

const values = new Map([["batch", 2], ["seq", 5]]);
const B = symDim("batch"), L = symDim("seq");
const str = (s: SymShape | null) => (s === null ? null : s.map(dimToString));

describe("onnx symbolic shapes", () => {
  it("adds, multiplies and evaluates dims", () => {
    const d = dimAdd(dimMul(dimMul(B, L), constDim(3)), constDim(1));
    expect(dimToString(d)).toBe("3*batch*seq + 1");
    expect(dimEval(d, values)).toBe(31);
    expect(dimToString(dimAdd(B, dimMul(B, constDim(-1))))).toBe("0");
  });

  it("merges dims into their product and splits a product back into its symbols", () => {
    expect(str(reshapeSym([B, L, constDim(8)], [2, 5, 8], [10, 8], values))).toEqual(["batch*seq", "8"]);
    expect(str(reshapeSym([dimMul(B, L), constDim(24)], [10, 24], [2, 5, 24], values))).toEqual(["batch", "seq", "24"]);
    // heads split off the feature dim stay constant; a size-1 dim inserted before seq stays 1
    expect(str(reshapeSym([B, L, constDim(8)], [2, 5, 8], [2, 5, 2, 4], values))).toEqual(["batch", "seq", "2", "4"]);
    expect(str(reshapeSym([B, L], [2, 5], [2, 1, 1, 5], values))).toEqual(["batch", "1", "1", "seq"]);
    // [batch·heads, …] → [batch, heads, …]: the symbol goes to the dim of its example size
    expect(str(reshapeSym([dimMul(B, constDim(4)), L], [8, 5], [2, 4, 5], values))).toEqual(["batch", "4", "seq"]);
  });

  it("gives up (null) where a split of a sum cannot be expressed", () => {
    const sum = dimAdd(L, constDim(1)); // seq + 1 = 6
    expect(reshapeSym([sum], [6], [2, 3], values)).toBeNull();
  });

  it("broadcasting keeps the symbol of the operand that has the full size", () => {
    const out = broadcastSym([[B, constDim(1), L], [constDim(5)]], [[2, 1, 5], [5]], [2, 1, 5]);
    expect(out.map(dimToString)).toEqual(["batch", "1", "seq"]);
  });
});
