// PyTorch fixtures of the convolution, pooling, resizing and image normalization layers
// (scripts/gen-conv-fixtures.py → tests/fixtures/conv/layers.json): each layer is built from its
// case's constructor arguments, loads PyTorch's state dict unchanged (strict), and reproduces
// PyTorch's output, max-pool indices, input and parameter gradients and updated running
// statistics (rtol 1e-4, the tolerance for conv layers) on every backend.
import { expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { describeOnBackends } from "./helpers/backends.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";

interface ConvCase {
  name: string;
  layer: string;
  args: unknown[];
  options: Record<string, unknown>;
  train: boolean;
  params: Record<string, Tensor>;
  x: Tensor;
  y: Tensor;
  indices?: Tensor;
  g: Tensor;
  gradX: Tensor;
  paramGrads: Record<string, Tensor>;
  buffersAfter?: Record<string, Tensor>;
}

const TOL = { rtol: 1e-4, atol: 1e-5 };
type Ctor = new (...args: unknown[]) => st.nn.Module;

describeOnBackends("conv/pool/norm layers against PyTorch 1.13", () => {
  const file = loadFixtures<ConvCase>("conv/layers");
  it("covers every layer of the work", () => {
    const layers = new Set(file.cases.map((c) => c.layer));
    for (const l of ["Conv1d", "Conv2d", "ConvTranspose2d", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool2d",
      "BatchNorm2d", "GroupNorm", "InstanceNorm2d", "RMSNorm", "Upsample", "Unflatten"]) expect(layers.has(l), l).toBe(true);
  });

  for (const c of file.cases) {
    it(c.name, () => {
      const C = (st.nn as unknown as Record<string, Ctor>)[c.layer]!;
      const m = new C(...c.args, c.options);
      m.train(c.train);
      const r = m.loadStateDict(c.params);
      expect(r.missingKeys).toEqual([]);
      expect(r.unexpectedKeys).toEqual([]);
      const x = c.x.requiresGrad_();
      const out = m.call(x) as Tensor | [Tensor, Tensor];
      const y = Array.isArray(out) ? out[0] : out;
      expectClose(y, c.y, TOL);
      if (c.indices) expectClose((out as [Tensor, Tensor])[1], c.indices);
      y.mul(c.g).sum().backward();
      expectClose(x.grad!, c.gradX, TOL);
      const params = Object.fromEntries(m.namedParameters());
      expect(Object.keys(params).sort()).toEqual(Object.keys(c.paramGrads).sort());
      for (const [k, gk] of Object.entries(c.paramGrads)) expectClose(params[k]!.grad!, gk, { ...TOL, message: k });
      const sd = m.stateDict();
      for (const [k, b] of Object.entries(c.buffersAfter ?? {})) expectClose(sd[k]!, b, { ...TOL, message: k });
    });
  }
});
