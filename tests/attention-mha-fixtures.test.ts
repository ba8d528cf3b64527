// MultiheadAttention and scaledDotProductAttention against PyTorch 1.13 (fixtures written by
// scripts/gen-transformer-fixtures.py): outputs, attention weights and the gradients of
// sum(output · g) for the inputs and every parameter; PyTorch's state dicts load unchanged
// (strict) with PyTorch's keys in PyTorch's order. float32, rtol 1e-4 / atol 1e-5, every backend.

import { expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";
import { describeOnBackends } from "./helpers/backends.js";

const TOL = { rtol: 1e-4, atol: 1e-5 };

interface SdpaCase {
  name: string;
  inputs: { q: Tensor; k: Tensor; v: Tensor };
  options: { isCausal?: boolean; scale?: number };
  attnMask?: Tensor;
  output: Tensor;
  upstream: Tensor;
  grads: Record<"q" | "k" | "v", Tensor>;
}

interface MhaCase {
  name: string;
  options: { embedDim: number; numHeads: number; batchFirst?: boolean; addBiasKv?: boolean; bias?: boolean; kdim?: number; vdim?: number };
  selfAttention: boolean;
  params: Record<string, Tensor>;
  inputs: Record<string, Tensor>;
  masks: { attnMask?: Tensor; keyPaddingMask?: Tensor };
  call: { needWeights?: boolean; averageAttnWeights?: boolean };
  output: Tensor;
  weights: Tensor | null;
  upstream: Tensor;
  grads: Record<string, Tensor>;
  paramGrads: Record<string, Tensor>;
}

const sdpa = loadFixtures<SdpaCase>("transformer/sdpa");
const mha = loadFixtures<MhaCase>("transformer/mha");

describeOnBackends("scaledDotProductAttention matches PyTorch (transformer/sdpa.json)", () => {
  it("has every mask kind", () => {
    expect(sdpa.cases.map((c) => c.name)).toEqual(
      ["sdpa-nomask", "sdpa-scale", "sdpa-bool", "sdpa-additive", "sdpa-causal", "sdpa-padding", "sdpa-3d"],
    );
  });
  for (const c of sdpa.cases) {
    it(c.name, () => {
      const q = c.inputs.q.clone().requiresGrad_(), k = c.inputs.k.clone().requiresGrad_(), v = c.inputs.v.clone().requiresGrad_();
      const out = st.nn.functional.scaledDotProductAttention(q, k, v, { ...c.options, attnMask: c.attnMask ?? null });
      expectClose(out, c.output, { ...TOL, message: `${c.name} output` });
      out.mul(c.upstream).sum().backward();
      for (const [n, t] of [["q", q], ["k", k], ["v", v]] as const) expectClose(t.grad!, c.grads[n], { ...TOL, message: `${c.name} grad ${n}` });
    });
  }
});

/** Our MultiheadAttention for a fixture case (random init; the test loads PyTorch's weights). */
export function buildMha(o: MhaCase["options"]): st.nn.MultiheadAttention {
  return new st.nn.MultiheadAttention(o.embedDim, o.numHeads, {
    batchFirst: o.batchFirst, addBiasKv: o.addBiasKv, bias: o.bias, kdim: o.kdim, vdim: o.vdim,
  });
}

describeOnBackends("MultiheadAttention matches PyTorch (transformer/mha.json)", () => {
  it("covers self, cross, kdim ≠ embedDim, needWeights on and off, bias_k/bias_v", () => {
    expect(mha.cases.length).toBe(5);
    expect(mha.cases.some((c) => c.call.needWeights === false)).toBe(true);
    expect(mha.cases.some((c) => c.options.kdim !== undefined)).toBe(true);
  });
  for (const c of mha.cases) {
    it(c.name, () => {
      const m = buildMha(c.options);
      expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.params));
      expect(m.loadStateDict(c.params)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      m.eval();
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, t.clone().requiresGrad_()]));
      const q = inputs.query!;
      const [out, w] = c.selfAttention
        ? m.call(q, q, q, { ...c.masks, ...c.call })
        : m.call(q, inputs.key!, inputs.value!, { ...c.masks, ...c.call });
      expectClose(out, c.output, { ...TOL, message: `${c.name} output` });
      if (c.weights === null) expect(w).toBeNull();
      else expectClose(w!, c.weights, { ...TOL, message: `${c.name} weights` });
      out.mul(c.upstream).sum().backward();
      for (const [k, g] of Object.entries(c.grads)) expectClose(inputs[k]!.grad!, g, { ...TOL, message: `${c.name} grad ${k}` });
      const params = Object.fromEntries(m.namedParameters());
      expect(Object.keys(params).sort()).toEqual(Object.keys(c.paramGrads).sort());
      for (const [k, g] of Object.entries(c.paramGrads)) expectClose(params[k]!.grad!, g, { ...TOL, message: `${c.name} grad ${k}` });
    });
  }
});
