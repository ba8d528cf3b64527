// st.nn layers against PyTorch: every case of tests/fixtures/layers.json (forward, input and
// parameter gradients, running statistics after the step) and a PyTorch Sequential state dict
// (tests/fixtures/state_dict.json) loaded into ours giving the same eval output; on every backend.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";
import { describeOnBackends } from "./helpers/backends.js";

interface LayerCase {
  name: string;
  module: string;
  options: Record<string, unknown>;
  train: boolean;
  params: Record<string, Tensor>;
  input: Tensor;
  upstream?: Tensor;
  output: Tensor;
  grads: Record<string, Tensor>;
  stateAfter: Record<string, Tensor>;
}

/** Float32 tolerances of the brief for layer parity (PyTorch and we may sum in different orders). */
const TOL = { rtol: 1e-5, atol: 1e-6 };

type Opts = Record<string, unknown>;
const num = (o: Opts, k: string) => o[k] as number | undefined;

/** Builds our module from a fixture's PyTorch class name and camelCased options. */
export function buildModule(name: string, o: Opts): st.nn.AnyModule {
  const nn = st.nn;
  switch (name) {
    case "Linear": return new nn.Linear(num(o, "inFeatures")!, num(o, "outFeatures")!, { bias: o.bias as boolean | undefined });
    case "Identity": return new nn.Identity();
    case "Flatten": return new nn.Flatten(num(o, "startDim"), num(o, "endDim"));
    case "Dropout": return new nn.Dropout(num(o, "p"));
    case "BatchNorm1d": return new nn.BatchNorm1d(num(o, "numFeatures")!, {
      eps: num(o, "eps"), momentum: o.momentum as number | null | undefined,
      affine: o.affine as boolean | undefined, trackRunningStats: o.trackRunningStats as boolean | undefined,
    });
    case "LayerNorm": return new nn.LayerNorm(o.normalizedShape as number[], {
      eps: num(o, "eps"), elementwiseAffine: o.elementwiseAffine as boolean | undefined,
    });
    case "Embedding": return new nn.Embedding(num(o, "numEmbeddings")!, num(o, "embeddingDim")!, { paddingIdx: num(o, "paddingIdx") });
    case "Sigmoid": return new nn.Sigmoid();
    case "Tanh": return new nn.Tanh();
    case "ReLU": return new nn.ReLU();
    case "LeakyReLU": return new nn.LeakyReLU(num(o, "negativeSlope"));
    case "PReLU": return new nn.PReLU(num(o, "numParameters"), num(o, "init"));
    case "ELU": return new nn.ELU(num(o, "alpha"));
    case "SELU": return new nn.SELU();
    case "GELU": return new nn.GELU({ approximate: o.approximate as "none" | "tanh" | undefined });
    case "Softplus": return new nn.Softplus(num(o, "beta"), num(o, "threshold"));
    case "Softmax": return new nn.Softmax(num(o, "dim"));
    case "LogSoftmax": return new nn.LogSoftmax(num(o, "dim"));
    default: throw new Error(`no builder for fixture module ${name}`);
  }
}

const layers = loadFixtures<LayerCase>("layers");

describeOnBackends("layers.json: forward, gradients and running statistics match PyTorch", () => {
  it("has the cases this file expects", () => {
    expect(layers.cases.length).toBeGreaterThanOrEqual(50);
  });

  for (const c of layers.cases) {
    it(c.name, () => {
      const m = buildModule(c.module, c.options);
      const r = m.loadStateDict(c.params);
      expect(r).toEqual({ missingKeys: [], unexpectedKeys: [] });
      m.train(c.train);
      const x = c.input.clone(); // the fixture is shared by every backend's run: .grad must not accumulate
      const differentiable = x.dtype === "float32";
      if (differentiable) x.requiresGrad_(true);
      const y = m.call(x) as Tensor;
      expectClose(y, c.output, { ...TOL, message: `${c.name} output` });
      const loss = c.upstream ? y.mul(c.upstream).sum() : y.sum();
      loss.backward();
      const params = Object.fromEntries(m.namedParameters());
      const gradNames = Object.keys(c.grads);
      expect(gradNames.sort()).toEqual([...(differentiable ? ["input"] : []), ...Object.keys(params)].sort());
      for (const [k, g] of Object.entries(c.grads)) {
        const ours = k === "input" ? x.grad : params[k]!.grad;
        expect(ours, `${c.name}: gradient of ${k}`).not.toBeNull();
        expectClose(ours!, g, { ...TOL, message: `${c.name} grad ${k}` });
      }
      const buffers = Object.fromEntries(m.namedBuffers());
      expect(Object.keys(buffers).sort()).toEqual(Object.keys(c.stateAfter).sort());
      for (const [k, b] of Object.entries(c.stateAfter)) {
        expectClose(buffers[k]!, b, { ...TOL, dtype: b.dtype, message: `${c.name} ${k} after the step` });
      }
    });
  }
});

interface StateDictCase {
  name: string;
  modules: { module: string; options: Opts }[];
  stateDict: Record<string, Tensor>;
  stateDictKeys: string[];
  input: Tensor;
  output: Tensor;
}

describeOnBackends("state_dict.json: a trained PyTorch Sequential loads into ours", () => {
  const c = loadFixtures<StateDictCase>("state_dict").cases[0]!;

  it("has PyTorch's keys in PyTorch's order, and gives PyTorch's eval output", () => {
    const net = new st.nn.Sequential(c.modules.map((d) => buildModule(d.module, d.options)));
    expect(Object.keys(net.stateDict())).toEqual(c.stateDictKeys);
    const before = net.parameters();
    net.loadStateDict(c.stateDict);
    // identity kept: loading copies into the existing parameters
    expect(net.parameters()).toEqual(before);
    net.parameters().forEach((p, i) => expect(p).toBe(before[i]));
    net.eval();
    expectClose(net.call(c.input), c.output, { ...TOL, message: "eval output" });
    // the state dict we hand back equals the one we loaded, value for value
    const ours = net.stateDict();
    for (const k of c.stateDictKeys) expectClose(ours[k]!, c.stateDict[k]!, { rtol: 0, atol: 0, dtype: c.stateDict[k]!.dtype, message: k });
  });

  it("num_batches_tracked is an int32 scalar and survives the round trip", () => {
    const net = new st.nn.Sequential(c.modules.map((d) => buildModule(d.module, d.options)));
    net.loadStateDict(c.stateDict);
    const nbt = net.stateDict()["1.num_batches_tracked"]!;
    expect(nbt.dtype).toBe("int32");
    expect(nbt.shape).toEqual([]);
    expect(nbt.item()).toBe(3); // three training steps in PyTorch
  });
});
