// RNN, LSTM, GRU and their cells against PyTorch 1.13 (tests/fixtures/rnn/rnn.json, written by
// scripts/gen-rnn-fixtures.py): PyTorch's state dicts load unchanged (same keys, same order), and
// outputs, final states and the gradients for the input, the initial states and every parameter
// match at rtol 1e-4 / atol 1e-5 (float32), on every backend.

import { expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";
import { describeOnBackends } from "./helpers/backends.js";
import { recordObservers } from "../src/ops/dispatch.js";

const TOL = { rtol: 1e-4, atol: 1e-5 };

interface Common {
  name: string;
  kind: string;
  inputSize: number;
  hiddenSize: number;
  options: Record<string, unknown>;
  params: Record<string, Tensor>;
  input: Tensor;
  inits: { h0?: Tensor; c0?: Tensor };
  grads: Record<string, Tensor>;
  paramGrads: Record<string, Tensor>;
}
interface LayerCase extends Common {
  output: Tensor;
  finals: { hN: Tensor; cN?: Tensor };
  g: Tensor;
  gFinals: { hN: Tensor; cN?: Tensor };
}
interface CellCase extends Common {
  outputs: { h: Tensor; c?: Tensor };
  gOutputs: { h: Tensor; c?: Tensor };
}

const fx = loadFixtures<LayerCase & CellCase>("rnn/rnn");

type AnyCtor = new (i: number, h: number, o: Record<string, unknown>) => st.nn.Module<[Tensor, unknown?], unknown>;

function build(c: Common): st.nn.Module<[Tensor, unknown?], unknown> {
  const Ctor = (st.nn as unknown as Record<string, AnyCtor>)[c.kind]!;
  const m = new Ctor(c.inputSize, c.hiddenSize, c.options);
  expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.params));
  expect(m.loadStateDict(c.params)).toEqual({ missingKeys: [], unexpectedKeys: [] });
  return m.eval();
}

describeOnBackends("recurrent layers match PyTorch (rnn/rnn.json)", () => {
  it("covers RNN, LSTM, GRU (2 layers, bidirectional, batchFirst, states, no bias, unbatched) and the cells", () => {
    const kinds = new Set(fx.cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNCell"]);
    expect(fx.cases.filter((c) => c.options.bidirectional === true && c.options.batchFirst === true && c.options.numLayers === 2).length).toBe(3);
  });

  it("LSTM records the fused lstmCell primitive by default, the elementwise ops with fusedCell: false, and both give the same numbers", () => {
    const c = fx.cases.find((k) => k.kind === "LSTM" && k.options.numLayers === 2 && k.options.bidirectional === true)!;
    const plain = build({ ...c, options: { ...c.options, fusedCell: false } });
    const fused = build(c);
    const opsOf = (m: st.nn.Module<[Tensor, unknown?], unknown>) => {
      const seen = new Set<string>();
      const obs = (node: { op: string }) => void seen.add(node.op);
      recordObservers.push(obs);
      try {
        const [out] = m.call(c.input.clone().requiresGrad_()) as [Tensor, unknown];
        return { out, seen };
      } finally {
        recordObservers.splice(recordObservers.indexOf(obs), 1);
      }
    };
    const a = opsOf(plain), b = opsOf(fused);
    expect(a.seen.has("lstmCell")).toBe(false);
    expect(a.seen.has("sigmoid")).toBe(true);
    expect(b.seen.has("lstmCell")).toBe(true);
    expect(b.seen.has("sigmoid")).toBe(false);
    expectClose(b.out, a.out, { rtol: 1e-6, atol: 1e-7 });
  });

  const layerCases = fx.cases.filter((k) => !k.kind.endsWith("Cell"));
  // every LSTM and GRU case once more with the composite cell (fusedCell: false; the fused primitive is the default)
  const compositeCases = layerCases.filter((k) => k.kind === "LSTM" || k.kind === "GRU").map((k) => ({ ...k, name: `${k.name} (composite cell)`, options: { ...k.options, fusedCell: false } }));
  for (const c of [...layerCases, ...compositeCases]) {
    it(c.name, () => {
      const m = build(c);
      const x = c.input.clone().requiresGrad_();
      const h0 = c.inits.h0?.clone().requiresGrad_();
      const c0 = c.inits.c0?.clone().requiresGrad_();
      let out: Tensor, hN: Tensor, cN: Tensor | undefined;
      if (c.kind === "LSTM") {
        const r = m.call(x, h0 === undefined ? undefined : [h0, c0!]) as [Tensor, [Tensor, Tensor]];
        [out, [hN, cN]] = r;
      } else [out, hN] = m.call(x, h0) as [Tensor, Tensor];
      expectClose(out, c.output, { ...TOL, message: `${c.name} output` });
      expectClose(hN, c.finals.hN, { ...TOL, message: `${c.name} hN` });
      if (cN !== undefined) expectClose(cN, c.finals.cN!, { ...TOL, message: `${c.name} cN` });
      let total = out.mul(c.g).sum().add(hN.mul(c.gFinals.hN).sum());
      if (cN !== undefined) total = total.add(cN.mul(c.gFinals.cN!).sum());
      total.backward();
      expectClose(x.grad!, c.grads.input!, { ...TOL, message: `${c.name} grad input` });
      if (h0 !== undefined) expectClose(h0.grad!, c.grads.h0!, { ...TOL, message: `${c.name} grad h0` });
      if (c0 !== undefined) expectClose(c0.grad!, c.grads.c0!, { ...TOL, message: `${c.name} grad c0` });
      const params = Object.fromEntries(m.namedParameters());
      expect(Object.keys(params)).toEqual(Object.keys(c.paramGrads));
      for (const [k, g] of Object.entries(c.paramGrads)) expectClose(params[k]!.grad!, g, { ...TOL, message: `${c.name} grad ${k}` });
    });
  }

  for (const c of fx.cases.filter((k) => k.kind.endsWith("Cell"))) {
    it(c.name, () => {
      const m = build(c);
      const x = c.input.clone().requiresGrad_();
      const h0 = c.inits.h0?.clone().requiresGrad_();
      const c0 = c.inits.c0?.clone().requiresGrad_();
      let h: Tensor, cc: Tensor | undefined;
      if (c.kind === "LSTMCell") [h, cc] = m.call(x, h0 === undefined ? undefined : [h0, c0!]) as [Tensor, Tensor];
      else h = m.call(x, h0) as Tensor;
      expectClose(h, c.outputs.h, { ...TOL, message: `${c.name} h` });
      let total = h.mul(c.gOutputs.h).sum();
      if (cc !== undefined) {
        expectClose(cc, c.outputs.c!, { ...TOL, message: `${c.name} c` });
        total = total.add(cc.mul(c.gOutputs.c!).sum());
      }
      total.backward();
      expectClose(x.grad!, c.grads.input!, { ...TOL, message: `${c.name} grad input` });
      if (h0 !== undefined) expectClose(h0.grad!, c.grads.h0!, { ...TOL, message: `${c.name} grad h0` });
      if (c0 !== undefined) expectClose(c0.grad!, c.grads.c0!, { ...TOL, message: `${c.name} grad c0` });
      const params = Object.fromEntries(m.namedParameters());
      for (const [k, g] of Object.entries(c.paramGrads)) expectClose(params[k]!.grad!, g, { ...TOL, message: `${c.name} grad ${k}` });
    });
  }
});
