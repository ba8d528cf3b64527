// Every case of tests/fixtures/losses.json (PyTorch 1.13): the loss value and the gradient of the
// input (of (output·upstream).sum() for reduction "none"), through the functional forms and the
// Module classes, at float32 rtol 1e-5 / atol 1e-6, on every backend.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";
import * as losses from "../src/nn/losses/index.js";
import { describeOnBackends } from "./helpers/backends.js";

interface LossCase {
  name: string;
  loss: string;
  options: Record<string, unknown>;
  input: Tensor;
  target: Tensor;
  weight?: Tensor;
  posWeight?: Tensor;
  upstream?: Tensor;
  output: Tensor;
  grads: { input: Tensor };
}

type Fn = (x: Tensor, t: Tensor, o: Record<string, unknown>) => Tensor;

/** PyTorch class name → functional form. */
const FUNCTIONAL: Record<string, Fn> = {
  MSELoss: losses.mseLoss,
  L1Loss: losses.l1Loss,
  HuberLoss: losses.huberLoss,
  SmoothL1Loss: losses.smoothL1Loss,
  CrossEntropyLoss: losses.crossEntropy,
  NLLLoss: losses.nllLoss,
  BCELoss: losses.binaryCrossEntropy,
  BCEWithLogitsLoss: losses.binaryCrossEntropyWithLogits,
};

/** PyTorch class name → Module class (constructed from the case's options, as in PyTorch). */
const MODULES: Record<string, new (o: Record<string, unknown>) => losses.Loss> = {
  MSELoss: losses.MSELoss,
  L1Loss: losses.L1Loss,
  HuberLoss: losses.HuberLoss,
  SmoothL1Loss: losses.SmoothL1Loss,
  CrossEntropyLoss: losses.CrossEntropyLoss,
  NLLLoss: losses.NLLLoss,
  BCELoss: losses.BCELoss,
  BCEWithLogitsLoss: losses.BCEWithLogitsLoss,
};

const TOL = { rtol: 1e-5, atol: 1e-6 };
const fixtures = loadFixtures<LossCase>("losses");

function run(c: LossCase, fn: (x: Tensor, t: Tensor, o: Record<string, unknown>) => Tensor): { out: Tensor; grad: Tensor } {
  const x = c.input.requiresGrad_(true);
  const opts: Record<string, unknown> = { ...c.options };
  if (c.weight) opts.weight = c.weight;
  if (c.posWeight) opts.posWeight = c.posWeight;
  const out = fn(x, c.target, opts);
  const [g] = st.autograd.grad(c.upstream ? out.mul(c.upstream).sum() : out, [x]);
  return { out, grad: g! };
}

describeOnBackends("losses.json fixtures (functional forms)", () => {
  it("has every loss family", () => {
    expect(new Set(fixtures.cases.map((c) => c.loss))).toEqual(new Set(Object.keys(FUNCTIONAL)));
    expect(fixtures.cases.length).toBeGreaterThanOrEqual(66);
  });

  for (const c0 of fixtures.cases) {
    it(c0.name, () => {
      const c = fixtures.byName(c0.name);
      const fn = FUNCTIONAL[c.loss];
      expect(fn, `no functional form for ${c.loss}`).toBeDefined();
      const { out, grad } = run(c, fn!);
      expect(out.dtype).toBe("float32");
      expectClose(out, c.output, { ...TOL, message: `${c.name} output` });
      expectClose(grad, c.grads.input, { ...TOL, message: `${c.name} grad` });
    });
  }
});

describeOnBackends("losses.json fixtures (Module classes)", () => {
  for (const c0 of fixtures.cases) {
    it(c0.name, () => {
      const c = fixtures.byName(c0.name);
      const Cls = MODULES[c.loss];
      expect(Cls, `no module for ${c.loss}`).toBeDefined();
      const { out, grad } = run(c, (x, t, o) => new Cls!(o).call(x, t));
      expectClose(out, c.output, { ...TOL, message: `${c.name} output` });
      expectClose(grad, c.grads.input, { ...TOL, message: `${c.name} grad` });
    });
  }
});
