// Sums and the reductions built on them with ±∞ and NaN inputs, on every backend: ∞ stays ∞ (PyTorch:
// torch.tensor([inf, 1.]).sum() is inf), ∞ − ∞ and NaN give NaN. Regression: the native sum's
// Neumaier compensation computed (∞ − ∞) and returned NaN for any row holding an infinity, so on
// native logsumexp([∞, 0]) and a log(sum(exp(1e4))) were NaN where js (and PyTorch) give ∞.

import { expect, it } from "vitest";
import * as st from "../src/index.js";
import { describeOnBackends } from "./helpers/backends.js";

const FLOATS = ["float32", "float64"] as const;

/** n values: `special` at the given positions, 1 elsewhere (n > 1024 crosses the native block size). */
function row(n: number, special: Record<number, number>): number[] {
  const v = new Array<number>(n).fill(1);
  for (const [i, x] of Object.entries(special)) v[Number(i)] = x;
  return v;
}

describeOnBackends("sums of non-finite values", () => {
  for (const dtype of FLOATS) {
    it(`${dtype}: sum and mean of a vector with ∞ are ∞, with ∞ and −∞ NaN, with NaN NaN`, () => {
      for (const n of [2, 7, 64, 1500, 5000]) {
        const sum = (special: Record<number, number>) => st.tensor(row(n, special), { dtype }).sum().item();
        expect(sum({ 0: Infinity }), `n ${n}`).toBe(Infinity);
        expect(sum({ [n - 1]: -Infinity }), `n ${n}`).toBe(-Infinity);
        expect(sum({ 0: Infinity, [n - 1]: Infinity }), `n ${n}`).toBe(Infinity);
        expect(sum({ 0: Infinity, [n - 1]: -Infinity }), `n ${n}`).toBeNaN();
        expect(sum({ [n >> 1]: NaN }), `n ${n}`).toBeNaN();
        expect(st.tensor(row(n, { 1: Infinity }), { dtype }).mean().item(), `n ${n}`).toBe(Infinity);
        expect(sum({}), `n ${n}`).toBe(n);
      }
    });

    it(`${dtype}: row and column sums keep ∞ per lane`, () => {
      const x = st.tensor([[Infinity, 1, 2], [1, 2, 3], [-Infinity, Infinity, 0]], { dtype });
      expect(x.sum(1).toArray()).toEqual([Infinity, 6, NaN]);
      expect(x.sum(0).toArray()).toEqual([NaN, Infinity, 5]);
    });

    it(`${dtype}: logsumexp([∞, 0]) is ∞ and log(sum(exp(x))) overflows to ∞, not NaN`, () => {
      expect(st.logsumexp(st.tensor([Infinity, 0], { dtype })).item()).toBe(Infinity);
      expect(st.log(st.exp(st.tensor([1e4, 1e4], { dtype })).sum()).item()).toBe(Infinity);
    });
  }

  it("float64 sums that overflow give ∞", () => {
    expect(st.tensor([1.7e308, 1.7e308], { dtype: "float64" }).sum().item()).toBe(Infinity);
    expect(st.tensor(row(3000, { 0: 1.7e308, 2000: 1.7e308 }), { dtype: "float64" }).sum().item()).toBe(Infinity);
  });
});
