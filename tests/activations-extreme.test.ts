// The activations at extreme inputs (±1e4, ±100, ±30, 0) against PyTorch's values, forward and
// gradient, float32 and float64, on every backend: finite is not enough, the values must be right
// (tests/fixtures/activations_extreme.json, written by scripts/gen-extreme-fixtures.py).
//
// Tolerances: assert_close's rtol per dtype, and an atol of the dtype's smallest normal number,
// because PyTorch's vectorised float32 kernels flush subnormal results to 0 where we keep the
// correctly rounded subnormal (float32 sigmoid(−100) is 3.78e-44 = 27·2⁻¹⁴⁹ here, 0 in PyTorch;
// tests/extreme-inputs.test.ts asserts our exact values).

import { expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { TOLERANCES, expectClose } from "./helpers/close.js";
import { describeOnBackends } from "./helpers/backends.js";
import { loadFixtures } from "./helpers/fixtures.js";

const F = st.nn.functional;

interface ActCase {
  name: string;
  activation: string;
  input: Tensor;
  output: Tensor;
  grads: { input: Tensor };
}

const ACTIVATIONS: Record<string, (x: Tensor) => Tensor> = {
  relu: F.relu,
  sigmoid: F.sigmoid,
  tanh: F.tanh,
  leakyRelu: (x) => F.leakyRelu(x),
  elu: (x) => F.elu(x),
  selu: F.selu,
  gelu: (x) => F.gelu(x),
  "gelu-tanh": (x) => F.gelu(x, "tanh"),
  softplus: (x) => F.softplus(x),
  "softplus-inf-threshold": (x) => F.softplus(x, 1, Infinity),
  softmax: (x) => F.softmax(x, -1),
  logSoftmax: (x) => F.logSoftmax(x, -1),
  prelu: (x) => F.prelu(x, st.tensor([0.25], { dtype: x.dtype })),
};

/** The smallest normal number of each float dtype: below it PyTorch may flush to 0. */
const SMALLEST_NORMAL = { float32: 2 ** -126, float64: 2 ** -1022 } as const;

const fixtures = loadFixtures<ActCase>("activations_extreme");

/**
 * PyTorch's values, except where PyTorch's formula overflows: its smooth softplus (threshold ∞) is
 * log1p(exp(x)), ∞ at x = 100 in float32 and at 1e4 in float64 with a NaN gradient (∞/∞). The exact
 * value there is x + log1p(e⁻ˣ), which rounds to x, with gradient σ(x), which rounds to 1 — what ours
 * gives (numerics/softplus: max(x, 0) + log1p(e^(−|x|))).
 */
function expected(c: ActCase): { output: number[]; grad: number[] } {
  const x = Array.from(c.input.dataSync());
  const output = Array.from(c.output.dataSync());
  const grad = Array.from(c.grads.input.dataSync());
  if (c.activation === "softplus-inf-threshold") {
    x.forEach((v, i) => {
      if (Number.isFinite(v) && !Number.isFinite(output[i]!)) {
        expect(v, "PyTorch overflows only for large positive x").toBeGreaterThanOrEqual(100);
        output[i] = v;
        grad[i] = 1;
      }
    });
  }
  return { output, grad };
}

describeOnBackends("activations at ±1e4, ±100, ±30 and 0 match PyTorch exactly (to rounding)", () => {
  it("has a case per activation and float dtype", () => {
    expect(fixtures.cases.length).toBe(2 * Object.keys(ACTIVATIONS).length);
  });

  for (const c of fixtures.cases) {
    it(c.name, () => {
      const dtype = c.input.dtype as "float32" | "float64";
      const tol = { rtol: TOLERANCES[dtype].rtol, atol: SMALLEST_NORMAL[dtype] };
      const x = c.input.clone().requiresGrad_(true);
      const y = ACTIVATIONS[c.activation]!(x);
      y.sum().backward();
      const want = expected(c);
      expectClose(y, want.output, { ...tol, dtype, checkShape: false, message: `${c.name} output` });
      expectClose(x.grad!, want.grad, { ...tol, dtype, checkShape: false, message: `${c.name} gradient` });
    });
  }
});
