// Every case of tests/fixtures/ops.json (PyTorch 1.13, float64): the forward against PyTorch's
// output and, where the case has them, the gradients of (output · upstream).sum(), on every backend.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";
import { describeOnBackends } from "./helpers/backends.js";

interface OpCase {
  name: string;
  op: string;
  args: Record<string, unknown>;
  inputs: Tensor[];
  output: Tensor;
  upstream?: Tensor;
  grads?: (Tensor | null)[];
}

type Args = Record<string, unknown>;
const dims = (a: Args) => (a.dim === null || a.dim === undefined ? undefined : (a.dim as number | number[]));

/** Each fixture op as a steadytensor call. */
const OPS: Record<string, (xs: Tensor[], a: Args) => Tensor> = {
  matmul: ([x, y]) => st.matmul(x!, y!),
  cov: ([x], a) => st.cov(x!, { correction: a.correction as number }),
  corrcoef: ([x]) => st.corrcoef(x!),
  var: ([x], a) => st.var(x!, dims(a), { correction: a.correction as number, keepdim: a.keepdim as boolean }),
  std: ([x], a) => st.std(x!, dims(a), { correction: a.correction as number, keepdim: a.keepdim as boolean }),
  norm: ([x], a) => st.norm(x!, a.p as st.NormOrd, dims(a), a.keepdim as boolean),
  logsumexp: ([x], a) => st.logsumexp(x!, dims(a), a.keepdim as boolean),
  softmax: ([x], a) => st.softmax(x!, a.dim as number),
  logSoftmax: ([x], a) => st.logSoftmax(x!, a.dim as number),
  svdvals: ([x]) => st.linalg.svd(x!).S,
  gather: ([x, i], a) => st.gather(x!, a.dim as number, i!),
  scatterAdd: ([x, i, s], a) => st.scatterAdd(x!, a.dim as number, i!, s!),
  pad: ([x], a) => {
    expect(a.mode).toBe("constant");
    return st.pad(x!, a.pad as number[], a.value as number);
  },
  repeat: ([x], a) => st.repeat(x!, a.repeats as number[]),
  tril: ([x], a) => st.tril(x!, a.diagonal as number),
  triu: ([x], a) => st.triu(x!, a.diagonal as number),
};

const fixtures = loadFixtures<OpCase>("ops");

describeOnBackends(`ops.json (PyTorch ${fixtures.torch})`, () => {
  it("has a runner for every op in the file", () => {
    const missing = [...new Set(fixtures.cases.map((c) => c.op))].filter((op) => !(op in OPS));
    expect(missing).toEqual([]);
    expect(fixtures.cases.length).toBeGreaterThan(40);
  });

  for (const c of fixtures.cases) {
    describe(c.name, () => {
      it("forward matches PyTorch", () => {
        const out = OPS[c.op]!(c.inputs, c.args);
        expect(out.dtype).toBe(c.output.dtype);
        expectClose(out, c.output);
      });

      if (c.grads) {
        it("gradients match PyTorch", () => {
          // fresh leaves: the fixture tensors are shared by every backend's run, so .grad must not accumulate
          const xs = c.inputs.map((x) => (x.dtype === "float64" ? x.clone().requiresGrad_() : x));
          const out = OPS[c.op]!(xs, c.args);
          (c.upstream ? out.mul(c.upstream).sum() : out.sum()).backward();
          c.grads!.forEach((g, i) => {
            if (g === null) expect(xs[i]!.requiresGrad, `input ${i} is an index`).toBe(false);
            else expectClose(xs[i]!.grad!, g, { message: `gradient of input ${i}` });
          });
        });
      }
    });
  }

  it("svdvals: PyTorch's gradient equals U·diag(upstream)·Vh built from our U and Vh", () => {
    // for distinct singular values ∂(Σ gᵢσᵢ)/∂A = U diag(g) Vh, which is invariant to the signs
    // of the singular vectors, so this checks the factors themselves against PyTorch
    const c = fixtures.byName("svdvals-5x3");
    const { U, S, Vh } = st.linalg.svd(c.inputs[0]!);
    expectClose(S, c.output);
    const grad = st.matmul(U.mul(c.upstream!), Vh);
    expectClose(grad, c.grads![0]!, { rtol: 1e-7, atol: 1e-7 });
  });
});
