// st.linalg through the public API: the thin SVD of float32 and float64 matrices (reconstruction,
// orthonormal factors, ordering, PyTorch's singular values), norms, and matmul accuracy.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";
import { naiveMatmul } from "./helpers/reference.js";
import { toRef } from "./helpers/data.js";

/** ‖A‖_F computed in float64 from the values. */
const fro = (t: Tensor) => Math.hypot(...(Array.from(t.dataSync() as ArrayLike<number>)));

/** max |XᵀX − I| for a matrix with orthonormal columns. */
const orthoError = (x: Tensor) => st.matmul(x.double().T, x.double()).sub(st.eye(x.shape[1]!, x.shape[1]!, { dtype: "float64" })).abs().max().item();

describe.each([
  [50, 30],
  [30, 50],
])("svd of a random %i×%i float32 matrix", (m, n) => {
  const a = st.randn([m, n], { generator: new st.Generator(m * 100 + n) });
  const { U, S, Vh } = st.linalg.svd(a);
  const k = Math.min(m, n);

  it("returns thin factors of the input's dtype", () => {
    expect(U.shape).toEqual([m, k]);
    expect(S.shape).toEqual([k]);
    expect(Vh.shape).toEqual([k, n]);
    for (const t of [U, S, Vh]) expect(t.dtype).toBe("float32");
  });

  it("reconstructs A = U·diag(S)·Vh within 1e-5 relative", () => {
    const recon = st.matmul(U.mul(S), Vh);
    expect(fro(recon.double().sub(a.double())) / fro(a)).toBeLessThan(1e-5);
  });

  it("has orthonormal U and V", () => {
    expect(orthoError(U)).toBeLessThan(1e-5);
    expect(orthoError(Vh.T)).toBeLessThan(1e-5);
  });

  it("gives non-negative singular values in descending order, with ‖S‖ = ‖A‖_F", () => {
    const s = Array.from(S.dataSync());
    s.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(0);
      if (i > 0) expect(v).toBeLessThanOrEqual(s[i - 1]!);
    });
    expect(Math.abs(Math.hypot(...s) / fro(a) - 1)).toBeLessThan(1e-6);
  });
});

describe("svd against PyTorch and exact cases", () => {
  it("singular values match ops.json (torch.linalg.svdvals)", () => {
    const c = loadFixtures<{ name: string; inputs: Tensor[]; output: Tensor }>("ops").byName("svdvals-5x3");
    expectClose(st.linalg.svd(c.inputs[0]!).S, c.output);
    expectClose(st.linalg.svd(c.inputs[0]!.float()).S, c.output.float(), { rtol: 1e-6, atol: 1e-6 });
  });

  it("float64 reconstructs to 1e-12 and a diagonal matrix gives its sorted |entries|", () => {
    const a = st.randn([7, 4], { dtype: "float64", generator: new st.Generator(5) });
    const { U, S, Vh } = st.linalg.svd(a);
    expect(fro(st.matmul(U.mul(S), Vh).sub(a)) / fro(a)).toBeLessThan(1e-12);
    const d = st.tensor([[2, 0, 0], [0, -5, 0], [0, 0, 3]], { dtype: "float64" });
    expectClose(st.linalg.svd(d).S, [5, 3, 2], { rtol: 1e-14, atol: 1e-14 });
  });

  it("a rank-1 matrix has one nonzero singular value", () => {
    const a = st.outer(st.tensor([1, 2, 3], { dtype: "float64" }), st.tensor([4, 5], { dtype: "float64" }));
    const s = st.linalg.svd(a).S.toArray() as number[];
    expectClose(s[0]!, Math.hypot(1, 2, 3) * Math.hypot(4, 5), { rtol: 1e-14, atol: 1e-14 });
    expect(Math.abs(s[1]!)).toBeLessThan(1e-13);
  });

  it("int input gives float32 factors; a tensor requiring grad works under noGrad or detached", () => {
    expect(st.linalg.svd(st.tensor([[1, 2], [3, 4]])).S.dtype).toBe("float32");
    const w = st.randn([3, 2], { requiresGrad: true });
    expect(st.noGrad(() => st.linalg.svd(w)).S.shape).toEqual([2]);
    expect(st.linalg.svd(w.detach()).S.shape).toEqual([2]);
  });
});

describe("norms in st.linalg and matmul accuracy", () => {
  it("linalg.norm is the Frobenius norm of a matrix and the 2-norm of a vector", () => {
    const a = st.tensor([[3, 4], [0, 12]], { dtype: "float64" });
    expectClose(st.linalg.norm(a), 13);
    expectClose(st.linalg.norm(st.tensor([3, 4], { dtype: "float64" })), 5);
    expectClose(st.linalg.norm(a, 1, 1), [7, 12]);
  });

  it("float32 matmul of 64×48 by 48×40 matches the float64 naive product to float32 precision", () => {
    const g = new st.Generator(9);
    const a = st.randn([64, 48], { generator: g });
    const b = st.randn([48, 40], { generator: g });
    const ref = naiveMatmul(toRef(a), toRef(b));
    // float64 accumulation, one rounding: within one float32 ulp of the reference
    expectClose(st.matmul(a, b), ref.data.map(Math.fround), { checkShape: false, rtol: 1.3e-6, atol: 1e-6 });
  });
});
