// Transformer modules against PyTorch 1.13 (tests/fixtures/transformer/layers.json, written by
// scripts/gen-transformer-fixtures.py): each layer type pre- and post-norm with relu and gelu, the
// encoder and decoder stacks, and 2+2-layer Transformers with look-ahead and padding masks, in eval
// mode. PyTorch's state dict loads unchanged (strict, same keys in the same order); the outputs and
// the gradients of sum(output · g) match at float32 rtol 1e-4 / atol 1e-5, on every backend.

import { expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";
import { describeOnBackends } from "./helpers/backends.js";

const TOL = { rtol: 1e-4, atol: 1e-5 };

interface LayerCase {
  name: string;
  kind: "TransformerEncoderLayer" | "TransformerDecoderLayer" | "TransformerEncoder" | "TransformerDecoder" | "Transformer";
  options: {
    dModel: number; nhead: number; dimFeedforward: number; activation?: "relu" | "gelu"; normFirst?: boolean; batchFirst?: boolean;
    numLayers?: number; norm?: boolean; numEncoderLayers?: number; numDecoderLayers?: number;
  };
  params: Record<string, Tensor>;
  inputs: Record<string, Tensor>;
  masks: Record<string, Tensor>;
  output: Tensor;
  upstream: Tensor;
  grads: Record<string, Tensor>;
  paramGrads: Record<string, Tensor>;
}

const fx = loadFixtures<LayerCase>("transformer/layers");

/** Our module for a fixture case, built from its options (weights come from the fixture). */
function build(c: LayerCase): st.nn.AnyModule {
  const o = c.options;
  const layer = { dimFeedforward: o.dimFeedforward, activation: o.activation, normFirst: o.normFirst, batchFirst: o.batchFirst };
  switch (c.kind) {
    case "TransformerEncoderLayer": return new st.nn.TransformerEncoderLayer(o.dModel, o.nhead, layer);
    case "TransformerDecoderLayer": return new st.nn.TransformerDecoderLayer(o.dModel, o.nhead, layer);
    case "TransformerEncoder":
      return new st.nn.TransformerEncoder(new st.nn.TransformerEncoderLayer(o.dModel, o.nhead, layer), o.numLayers!, {
        norm: o.norm ? new st.nn.LayerNorm(o.dModel) : null,
      });
    case "TransformerDecoder":
      return new st.nn.TransformerDecoder(new st.nn.TransformerDecoderLayer(o.dModel, o.nhead, layer), o.numLayers!, {
        norm: o.norm ? new st.nn.LayerNorm(o.dModel) : null,
      });
    case "Transformer": return new st.nn.Transformer({ ...o });
  }
}

function run(m: st.nn.AnyModule, c: LayerCase, inputs: Record<string, Tensor>): Tensor {
  const ms = c.masks;
  switch (c.kind) {
    case "TransformerEncoderLayer": return m.call(inputs.src, ms);
    case "TransformerEncoder": return m.call(inputs.src, ms);
    case "TransformerDecoderLayer":
    case "TransformerDecoder": return m.call(inputs.tgt, inputs.memory, ms);
    case "Transformer": return m.call(inputs.src, inputs.tgt, ms);
  }
}

describeOnBackends("Transformer modules match PyTorch (transformer/layers.json)", () => {
  it("covers every layer type pre- and post-norm with relu and gelu, the stacks and the 2+2 Transformer", () => {
    const names = fx.cases.map((c) => c.name);
    for (const k of ["encoder", "decoder"]) {
      for (const v of ["post-relu", "post-gelu", "pre-relu", "pre-gelu"]) expect(names).toContain(`${k}-layer-${v}`);
    }
    expect(names).toEqual(expect.arrayContaining(["encoder-2-norm", "decoder-2", "transformer-2-2-post-relu", "transformer-2-2-pre-gelu-bf"]));
  });

  for (const c of fx.cases) {
    it(c.name, () => {
      const m = build(c);
      expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.params));
      expect(m.loadStateDict(c.params)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      m.eval();
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, t]) => [k, t.clone().requiresGrad_()]));
      const out = run(m, c, inputs);
      expectClose(out, c.output, { ...TOL, message: `${c.name} output` });
      out.mul(c.upstream).sum().backward();
      for (const [k, g] of Object.entries(c.grads)) expectClose(inputs[k]!.grad!, g, { ...TOL, message: `${c.name} grad ${k}` });
      const params = Object.fromEntries(m.namedParameters());
      for (const [k, g] of Object.entries(c.paramGrads)) {
        expect(params[k], `${c.name}: parameter ${k}`).toBeDefined();
        expectClose(params[k]!.grad!, g, { ...TOL, message: `${c.name} grad ${k}` });
      }
    });
  }
});
