// The worked examples of the source material, run with steadytensor: vector arithmetic, outer and
// dot products, least squares by gradient descent with autograd, and the covariance matrix as a
// mean of outer products.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { expectClose } from "./helpers/close.js";

describe("vectors and products", () => {
  it("outer([1, 2], [3, 4]) is [[3, 4], [6, 8]]", () => {
    const o = st.outer(st.tensor([1, 2]), st.tensor([3, 4]));
    expect(o.toArray()).toEqual([[3, 4], [6, 8]]);
    expect(st.tensor([1, 2]).outer(st.tensor([3, 4])).toArray()).toEqual([[3, 4], [6, 8]]);
  });

  it("scalar multiplication scales every component", () => {
    const v = st.tensor([1, -2, 3]);
    expect(st.mul(v, 2).toArray()).toEqual([2, -4, 6]);
    expect(st.mul(3, v).toArray()).toEqual([3, -6, 9]);
    expect(v.mul(0.5).toArray()).toEqual([0.5, -1, 1.5]);
    expect(v.mul(0.5).dtype).toBe("float32");
    expect(st.tensor([[1, 2], [3, 4]]).mul(-1).toArray()).toEqual([[-1, -2], [-3, -4]]);
  });

  it("dot products: [1,2,3]·[4,5,6] = 32, orthogonal vectors give 0, v·v = ‖v‖²", () => {
    expect(st.dot(st.tensor([1, 2, 3]), st.tensor([4, 5, 6])).item()).toBe(32);
    expect(st.tensor([1, 2, 3]).matmul(st.tensor([4, 5, 6])).item()).toBe(32);
    expect(st.dot(st.tensor([1, 1]), st.tensor([1, -1])).item()).toBe(0);
    const v = st.tensor([3, 4], { dtype: "float64" });
    expect(st.dot(v, v).item()).toBe(25);
    expect(st.norm(v).item()).toBe(5);
  });

  it("matrix–vector product, (AB)ᵀ = BᵀAᵀ and vector addition", () => {
    const A = st.tensor([[1, 2], [3, 4]]);
    const B = st.tensor([[0, 1], [1, 0]]);
    expect(st.matmul(A, st.tensor([1, 1])).toArray()).toEqual([3, 7]);
    expect(st.matmul(A, B).T.toArray()).toEqual(st.matmul(B.T, A.T).toArray());
    expect(st.add(st.tensor([1, 2]), st.tensor([10, 20])).toArray()).toEqual([11, 22]);
  });
});

describe("least squares by gradient descent with autograd", () => {
  it("X = [[1,2],[2,3],[3,4]], y = [2,3,4] from w = [0,0] converges to [0, 1]", () => {
    const X = st.tensor([[1, 2], [2, 3], [3, 4]], { dtype: "float64" });
    const y = st.tensor([2, 3, 4], { dtype: "float64" });
    const w = st.zeros([2], { dtype: "float64", requiresGrad: true });
    // MSE's Hessian (2/3)·XᵀX has eigenvalues 28.6 and 0.093: lr 0.05 < 2/28.6 is stable, and
    // the slow direction shrinks by 1 − 0.05·0.093 per step, so 5000 steps reach ~1e-10
    const lr = 0.05;
    let prev = Infinity;
    for (let step = 0; step < 5000; step++) {
      const loss = X.matmul(w).sub(y).square().mean();
      expect(loss.item()).toBeLessThanOrEqual(prev); // a stable step never increases a quadratic
      prev = loss.item();
      loss.backward();
      st.noGrad(() => w.sub_(w.grad!.mul(lr)));
      w.grad = null;
    }
    expectClose(w, [0, 1], { rtol: 0, atol: 1e-4 });
    expect(prev).toBeLessThan(1e-12);
    // the least-squares solution solves the normal equations XᵀX w = Xᵀy
    expectClose(st.matmul(st.matmul(X.T, X), w.detach()), st.matmul(X.T, y), { rtol: 1e-7, atol: 1e-6 });
  });
});

describe("covariance as a mean of outer products", () => {
  it("cov(Dᵀ) = n/(n−1) · mean of (dᵢ − d̄)(dᵢ − d̄)ᵀ over the rows dᵢ of D", () => {
    const D = st.tensor([[2.1, 8, -1], [2.5, 12, 0.5], [3.6, 14, 2], [4, 10, 1], [0.9, 4, -3]], { dtype: "float64" });
    const n = D.shape[0]!;
    const centered = D.sub(D.mean(0, true));
    const outers = Array.from({ length: n }, (_, i) => st.outer(centered.index(i), centered.index(i)));
    const formula = st.stack(outers).mean(0).mul(n / (n - 1));
    const c = st.cov(D.T); // cov takes variables in rows, so the data matrix is transposed
    expect(c.shape).toEqual([3, 3]);
    expectClose(c, formula, { rtol: 1e-12, atol: 1e-12 });
    // symmetric, with the per-column sample variances on the diagonal
    expectClose(c, c.T);
    expectClose(st.diagonal(c), D.var(0), { rtol: 1e-12, atol: 1e-12 });
  });
});
