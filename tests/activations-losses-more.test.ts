// The issue-15 activations (SiLU, Mish, Hardtanh, Hardswish, LogSigmoid, Softsign, cosine
// similarity) and losses (KL divergence, cosine embedding, margin ranking, triplet margin) against
// PyTorch 1.13 (tests/fixtures/rnn/{activations,losses}.json, scripts/gen-rnn-fixtures.py):
// outputs and gradients incl. the kinks and ±1e4, rtol 1e-5 / atol 1e-6; the module forms;
// extreme inputs; bad input raising typed errors.

import { expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";
import { describeOnBackends } from "./helpers/backends.js";

const TOL = { rtol: 1e-5, atol: 1e-6 };
const F = st.nn.functional;

interface ActCase {
  name: string;
  fn: string;
  options: Record<string, number>;
  input?: Tensor;
  inputs?: Tensor[];
  output: Tensor;
  g: Tensor;
  grad?: Tensor;
  grads?: Tensor[];
}
interface LossCase {
  name: string;
  fn: string;
  options: Record<string, unknown>;
  inputs: Tensor[];
  output: Tensor;
  g: Tensor;
  grads: (Tensor | null)[];
}

const acts = loadFixtures<ActCase>("rnn/activations");
const losses = loadFixtures<LossCase>("rnn/losses");

const unary: Record<string, (x: Tensor, o: Record<string, number>) => Tensor> = {
  silu: (x) => F.silu(x),
  mish: (x) => F.mish(x),
  hardtanh: (x, o) => F.hardtanh(x, o.minVal ?? -1, o.maxVal ?? 1),
  hardswish: (x) => F.hardswish(x),
  logsigmoid: (x) => F.logsigmoid(x),
  softsign: (x) => F.softsign(x),
};
const modules: Record<string, (o: Record<string, number>) => st.nn.Module> = {
  silu: () => new st.nn.SiLU(),
  mish: () => new st.nn.Mish(),
  hardtanh: (o) => new st.nn.Hardtanh(o.minVal ?? -1, o.maxVal ?? 1),
  hardswish: () => new st.nn.Hardswish(),
  logsigmoid: () => new st.nn.LogSigmoid(),
  softsign: () => new st.nn.Softsign(),
};

describeOnBackends("issue-15 activations match PyTorch (rnn/activations.json)", () => {
  for (const c of acts.cases) {
    it(c.name, () => {
      if (c.fn === "cosineSimilarity") {
        const [a, b] = c.inputs!.map((t) => t.clone().requiresGrad_()) as [Tensor, Tensor];
        const y = F.cosineSimilarity(a, b, c.options.dim, c.options.eps);
        expectClose(y, c.output, { ...TOL, message: `${c.name} output` });
        y.mul(c.g).sum().backward();
        expectClose(a.grad!, c.grads![0]!, { ...TOL, message: `${c.name} grad x1` });
        expectClose(b.grad!, c.grads![1]!, { ...TOL, message: `${c.name} grad x2` });
        const m = new st.nn.CosineSimilarity({ dim: c.options.dim, eps: c.options.eps });
        expectClose(m.call(a, b), c.output, TOL);
        return;
      }
      const x = c.input!.clone().requiresGrad_();
      const y = unary[c.fn]!(x, c.options);
      expect(y.dtype).toBe(c.output.dtype);
      expectClose(y, c.output, { ...TOL, message: `${c.name} output` });
      y.mul(c.g).sum().backward();
      expectClose(x.grad!, c.grad!, { ...TOL, message: `${c.name} grad` });
      expectClose((modules[c.fn]!(c.options) as st.nn.Module).call(c.input!), c.output, TOL);
    });
  }

  it("stays finite at ±1e4 with exact limits (forward and gradient)", () => {
    const x = st.tensor([-1e4, 1e4], { requiresGrad: true });
    const cases: [string, Tensor, number[], number[]][] = [];
    for (const [name, f] of Object.entries(unary)) {
      x.grad = null;
      const y = f(x, {});
      y.sum().backward();
      cases.push([name, y, [...y.dataSync()], [...x.grad!.dataSync()]]);
    }
    const want: Record<string, [number[], number[]]> = {
      silu: [[-0, 1e4], [0, 1]],
      mish: [[-0, 1e4], [0, 1]],
      hardtanh: [[-1, 1], [0, 0]],
      hardswish: [[0, 1e4], [0, 1]],
      logsigmoid: [[-1e4, 0], [1, 0]],
      softsign: [[-1e4 / 10001, 1e4 / 10001], [1 / 10001 ** 2, 1 / 10001 ** 2]],
    };
    for (const [name, , y, g] of cases) {
      expectClose(y, want[name]![0], { rtol: 1e-6, atol: 0, message: `${name}(±1e4)` });
      expectClose(g, want[name]![1], { rtol: 1e-5, atol: 1e-12, message: `${name}'(±1e4)` });
    }
  });

  it("cosineSimilarity of a zero vector is 0 with a zero gradient, not NaN", () => {
    const a = st.zeros([1, 3], { requiresGrad: true });
    const y = F.cosineSimilarity(a, st.tensor([[1, 2, 3]]));
    expect(y.item()).toBe(0);
    y.sum().backward();
    expect([...a.grad!.dataSync()].every(Number.isFinite)).toBe(true);
  });
});

type LossFn = (xs: Tensor[], o: Record<string, unknown>) => Tensor;
const lossFns: Record<string, LossFn> = {
  klDiv: ([a, b], o) => F.klDiv(a!, b!, o),
  cosineEmbeddingLoss: ([a, b, y], o) => F.cosineEmbeddingLoss(a!, b!, y!, o),
  marginRankingLoss: ([a, b, y], o) => F.marginRankingLoss(a!, b!, y!, o),
  tripletMarginLoss: ([a, b, c], o) => F.tripletMarginLoss(a!, b!, c!, o),
};
const lossModules: Record<string, (o: Record<string, unknown>) => { call: (...xs: Tensor[]) => Tensor }> = {
  klDiv: (o) => new st.nn.KLDivLoss(o) as unknown as { call: (...xs: Tensor[]) => Tensor },
  cosineEmbeddingLoss: (o) => new st.nn.CosineEmbeddingLoss(o) as unknown as { call: (...xs: Tensor[]) => Tensor },
  marginRankingLoss: (o) => new st.nn.MarginRankingLoss(o) as unknown as { call: (...xs: Tensor[]) => Tensor },
  tripletMarginLoss: (o) => new st.nn.TripletMarginLoss(o) as unknown as { call: (...xs: Tensor[]) => Tensor },
};

describeOnBackends("issue-15 losses match PyTorch (rnn/losses.json)", () => {
  it("covers every loss and every KL reduction", () => {
    expect(new Set(losses.cases.map((c) => c.fn)).size).toBe(4);
    expect(losses.cases.filter((c) => c.fn === "klDiv").map((c) => c.options.reduction)).toContain("batchmean");
  });
  for (const c of losses.cases) {
    it(c.name, () => {
      const xs = c.inputs.map((t, i) => (c.grads[i] !== null ? t.clone().requiresGrad_() : t));
      const y = lossFns[c.fn]!(xs, c.options);
      expectClose(y, c.output, { ...TOL, message: `${c.name} output` });
      y.mul(c.g).sum().backward();
      c.grads.forEach((g, i) => {
        if (g === null) return;
        // PyTorch's kl_div gives a NaN target gradient where the target is 0 (d/dt t·log t); ours
        // is finite there (xlogy's gradient is 0 where t = 0): compare everywhere else
        const want = [...g.dataSync()];
        const got = [...xs[i]!.grad!.dataSync()];
        const nan = want.map(Number.isNaN);
        if (c.fn === "klDiv" && i === 1) expect(nan.filter(Boolean).length).toBe(c.options.logTarget === true ? 0 : 1);
        else expect(nan.some(Boolean)).toBe(false);
        expect(got.every(Number.isFinite)).toBe(true);
        expectClose(got.filter((_, k) => !nan[k]), want.filter((_, k) => !nan[k]), { ...TOL, message: `${c.name} grad ${i}` });
      });
      expectClose(lossModules[c.fn]!(c.options).call(...c.inputs), c.output, TOL);
    });
  }

  it("prints like PyTorch", () => {
    expect(String(new st.nn.KLDivLoss({ reduction: "batchmean", logTarget: true }))).toBe("KLDivLoss(reduction=batchmean, log_target=True)");
    expect(String(new st.nn.Hardtanh())).toBe("Hardtanh(min_val=-1.0, max_val=1.0)");
  });
});

describeOnBackends("issue-15 activations and losses: bad input", () => {
  it("raises typed errors naming the function", () => {
    expect(() => F.hardtanh(st.ones([2]), 1, -1)).toThrow(st.ValueError);
    expect(() => F.silu([1, 2] as unknown as Tensor)).toThrow(/silu: expected a Tensor/);
    expect(() => F.klDiv(st.ones([2, 3]), st.ones([3, 2]))).toThrow(st.ShapeError);
    expect(() => F.klDiv(st.ones([2]), st.ones([2]), { reduction: "avg" as "mean" })).toThrow(/batchmean/);
    expect(() => F.cosineEmbeddingLoss(st.ones([4, 3]), st.ones([4, 3]), st.ones([3]))).toThrow(/target must have shape \[4\]/);
    expect(() => F.marginRankingLoss(st.ones([4]), st.ones([5]), st.ones([4]))).toThrow(st.ShapeError);
    expect(() => F.tripletMarginLoss(st.ones([4, 3]), st.ones([4, 3]), st.ones([4, 2]))).toThrow(/negative shape \[4, 2\]/);
    expect(() => F.tripletMarginLoss(st.ones([4, 3]), st.ones([4, 3]), st.ones([4, 3]), { p: 0 })).toThrow(st.ValueError);
    expect(() => F.cosineSimilarity(st.ones([2, 3]), st.ones([2, 3]), 2)).toThrow(/dim 2 is out of range/);
  });
});
