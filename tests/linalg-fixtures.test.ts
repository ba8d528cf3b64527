// st.linalg against PyTorch (tests/fixtures/linalg/linalg.json, scripts/gen-linalg-fixtures.py):
// every case's outputs, and for float64 cases the gradients of Σᵢ⟨outputᵢ, upstreamᵢ⟩ with
// respect to each input. Sign-ambiguous factors are compared squared (the "_sq" functions), QR
// as is (both sides use LAPACK's Householder signs).

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";

interface LinalgCase {
  name: string;
  fn: string;
  options: Record<string, unknown>;
  inputs: Tensor[];
  outputs: Tensor[];
  upstream?: (Tensor | null)[];
  grads?: (Tensor | null)[];
}

const ord = (v: unknown) => (v === "Infinity" || v === Infinity ? Infinity : v === "-Infinity" || v === -Infinity ? -Infinity : v) as st.linalg.MatrixNormOrd;

/** steadytensor's counterpart of each fixture function, returning the outputs in the file's order. */
const FNS: Record<string, (xs: Tensor[], o: Record<string, any>) => Tensor[]> = {
  solve: ([a, b], o) => [st.linalg.solve(a!, b!, { left: o.left ?? true })],
  solveTriangular: ([a, b], o) => [st.linalg.solveTriangular(a!, b!, { upper: o.upper, left: o.left, unitriangular: o.unitriangular })],
  inv: ([a]) => [st.linalg.inv(a!)],
  det: ([a]) => [st.linalg.det(a!)],
  slogdet: ([a]) => { const r = st.linalg.slogdet(a!); return [r.logabsdet, r.sign]; },
  cholesky: ([a], o) => [st.linalg.cholesky(a!, { upper: o.upper ?? false })],
  qr: ([a], o) => { const r = st.linalg.qr(a!, { mode: o.mode ?? "reduced" }); return [r.Q, r.R]; },
  eigh_sq: ([a], o) => { const r = st.linalg.eigh(a!, { UPLO: o.UPLO ?? "L" }); return [r.eigenvalues, r.eigenvectors.square()]; },
  eigvalsh: ([a], o) => [st.linalg.eigvalsh(a!, { UPLO: o.UPLO ?? "L" })],
  svd_sq: ([a]) => { const r = st.linalg.svd(a!); return [r.U.square(), r.S, r.Vh.square()]; },
  svdvals: ([a]) => [st.linalg.svdvals(a!)],
  pinv: ([a], o) => [st.linalg.pinv(a!, { hermitian: o.hermitian ?? false })],
  lstsq: ([a, b]) => [st.linalg.lstsq(a!, b!).solution],
  matrixNorm: ([a], o) => [st.linalg.matrixNorm(a!, ord(o.ord))],
  cond: ([a], o) => [st.linalg.cond(a!, ord(o.p ?? 2))],
  matrixPower: ([a], o) => [st.linalg.matrixPower(a!, o.n)],
  multiDot: (xs) => [st.linalg.multiDot(xs)],
  vecdot: ([a, b]) => [st.linalg.vecdot(a!, b!)],
};

const fixtures = loadFixtures<LinalgCase>("linalg/linalg");

describe("st.linalg against PyTorch fixtures", () => {
  it("covers every function of the fixture file", () => {
    for (const c of fixtures.cases) expect(FNS[c.fn], c.fn).toBeDefined();
    expect(fixtures.cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of fixtures.cases) {
    const dtype = c.inputs[0]!.dtype;
    // float32 at the tolerance (rtol 1e-5, atol 1e-6): PyTorch runs LAPACK in float32, we
    // factor in float64 and round, so the two differ by PyTorch's own float32 error (a few ulps
    // times the small condition numbers of these inputs); float64 agrees to ~1e-12
    const tol = dtype === "float32" ? { rtol: 1e-5, atol: 1e-6 } : { rtol: 1e-9, atol: 1e-10 };

    it(`${c.name}: outputs`, () => {
      const outs = FNS[c.fn]!(c.inputs, c.options);
      expect(outs.length).toBe(c.outputs.length);
      outs.forEach((o, i) => {
        expect(o.shape, `output ${i} shape`).toEqual(c.outputs[i]!.shape);
        expectClose(o, c.outputs[i]!, { ...tol, message: `${c.name} output ${i}` });
      });
    });

    if (c.grads) {
      it(`${c.name}: gradients`, () => {
        const xs = c.inputs.map((x) => x.detach().clone().requiresGrad_(true));
        const outs = FNS[c.fn]!(xs, c.options);
        let total: Tensor | null = null;
        outs.forEach((o, i) => {
          const u = c.upstream![i];
          if (!u) return;
          const t = o.mul(u).sum();
          total = total ? total.add(t) : t;
        });
        const gs = st.autograd.grad(total!, xs, { allowUnused: true });
        // pinv(hermitian) reads A as symmetric: PyTorch's general pinv backward and our eigh-based
        // one agree on symmetric directions, i.e. on the gradient's symmetric part
        const part = (t: Tensor) => (c.options.hermitian ? t.add(t.transpose(-2, -1)).mul(0.5) : t);
        c.grads!.forEach((g, i) => {
          if (g) expectClose(part(gs[i]!), part(g), { ...tol, message: `${c.name} grad ${i}` });
        });
      });
    }
  }
});
