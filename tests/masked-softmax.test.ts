// st.numerics.maskedSoftmax: exact values with bool and additive masks, fully masked rows (zeros
// and zero gradients, never NaN), extreme logits (±1e4, −∞ masks), NaN propagation, float64
// gradchecks and the typed errors for a bad mask.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";

const ms = st.numerics.maskedSoftmax;
const f64 = { dtype: "float64" as const };

describe("maskedSoftmax", () => {
  it("bool mask: masked entries get 0, the rest a softmax of the unmasked logits", () => {
    const x = st.tensor([[1, 2, 3], [4, 5, 6]], f64);
    const m = st.tensor([[true, true, false], [true, true, true]]);
    const e1 = Math.exp(1), e2 = Math.exp(2);
    expectClose(ms(x, m), [[e1 / (e1 + e2), e2 / (e1 + e2), 0], st.softmax(x.index(1), -1).toArray() as number[]]);
  });

  it("additive mask equals the bool mask with 0 / −∞", () => {
    const x = st.randn([3, 5], f64);
    const m = st.tensor([[true, false, true, true, false], [false, false, false, false, true], [true, true, true, true, true]]);
    const add = st.where(m, 0, -Infinity).to("float64");
    expectClose(ms(x, add), ms(x, m));
  });

  it("broadcasts the mask ([S] over [B, L, S]) and no mask is a plain softmax", () => {
    const x = st.randn([2, 3, 4], f64);
    const m = st.tensor([true, false, true, true]);
    const y = ms(x, m);
    expect(y.shape).toEqual([2, 3, 4]);
    expectClose(y.index(null, null, 1), st.zeros([2, 3], f64));
    expectClose(y.sum(-1), st.ones([2, 3], f64));
    expectClose(ms(x), st.softmax(x, -1));
    expectClose(ms(x, null, 0), st.softmax(x, 0));
  });

  it("a fully masked row gives exact zeros and zero gradients, never NaN", () => {
    const x = st.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64", requiresGrad: true });
    const m = st.tensor([[false, false, false], [true, false, true]]);
    const y = ms(x, m);
    expect(y.index(0).toArray()).toEqual([0, 0, 0]);
    expectClose(y.index(1), [1 / (1 + Math.exp(2)), 0, Math.exp(2) / (1 + Math.exp(2))]);
    y.mul(st.tensor([[1, 2, 3], [4, 5, 6]], f64)).sum().backward();
    const g = x.grad!.toArray() as number[][];
    expect(g[0]).toEqual([0, 0, 0]);
    expect(g[1]![1]).toBe(0);
    expect(g[1]!.every(Number.isFinite)).toBe(true);
    // an additive mask of −∞ everywhere behaves the same
    const xa = st.tensor([[1, 2, 3]], { dtype: "float64", requiresGrad: true });
    const ya = ms(xa, st.full([1, 3], -Infinity, f64));
    expect(ya.toArray()).toEqual([[0, 0, 0]]);
    ya.sum().backward();
    expect(xa.grad!.toArray()).toEqual([[0, 0, 0]]);
  });

  it("±1e4 logits stay finite (float32 and float64)", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const x = st.tensor([[1e4, -1e4, 0], [-1e4, -1e4, -1e4]], { dtype });
      const y = ms(x, st.tensor([[true, true, true], [true, false, true]]));
      expect(y.toArray()).toEqual([[1, 0, 0], [0.5, 0, 0.5]]);
      const ya = ms(x, st.tensor([[0, -1e4, 0], [0, 0, 0]], { dtype }));
      expect((ya.toArray() as number[][]).flat().every(Number.isFinite)).toBe(true);
      expectClose(ya.index(0), [1, 0, 0]);
    }
  });

  it("NaN in a logit propagates to its row only; +∞ gives NaN like PyTorch's softmax", () => {
    const x = st.tensor([[1, NaN, 3], [1, 2, 3]], f64);
    const y = ms(x, st.tensor([true, true, true])).toArray() as number[][];
    expect(y[0]!.every(Number.isNaN)).toBe(true);
    expect(y[1]!.every(Number.isFinite)).toBe(true);
    const yi = ms(st.tensor([[1, Infinity]], f64), st.tensor([true, true])).toArray() as number[][];
    expect(yi[0]!.some(Number.isNaN)).toBe(true);
  });

  it("masked-out NaN does not leak: a bool mask replaces the logit", () => {
    const y = ms(st.tensor([[1, NaN, 1]], f64), st.tensor([true, false, true]));
    expect(y.toArray()).toEqual([[0.5, 0, 0.5]]);
  });

  it("gradcheck and gradgradcheck (float64) with bool, additive and partly fully masked rows", () => {
    const x = st.randn([3, 4], { dtype: "float64", requiresGrad: true });
    const mb = st.tensor([[true, false, true, true], [false, false, false, false], [true, true, true, false]]);
    const ma = st.where(mb, st.randn([3, 4], f64), -Infinity);
    for (const m of [mb, ma, null]) {
      const r = st.gradcheck((t) => ms(t, m), [x]);
      expect(r.ok, r.message).toBe(true);
      const r2 = st.gradgradcheck((t) => ms(t, m), [x]);
      expect(r2.ok, r2.message).toBe(true);
    }
  });

  it("bad masks raise typed errors naming maskedSoftmax and the shapes", () => {
    const x = st.zeros([2, 3]);
    expectError(() => ms(x, st.ones([2, 4], { dtype: "bool" })), st.ShapeError, "maskedSoftmax", "[2, 4]", "[2, 3]");
    expectError(() => ms(x, st.ones([4, 2, 3], { dtype: "bool" })), st.ShapeError, "maskedSoftmax", "[4, 2, 3]");
    expectError(() => ms(x, st.ones([2, 3], { dtype: "int32" })), st.DTypeError, "maskedSoftmax", "int32");
  });
});
