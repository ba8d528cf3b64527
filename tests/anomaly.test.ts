// Anomaly mode (detectAnomaly / setAnomalyEnabled): the first kernel that produces a
// NaN/Inf is named — op, module, forward/backward, counts, input ranges, the caller's line — in
// forward, backward, under noGrad and in optimizer updates; propagation is not reported; healthy
// runs raise nothing; nothing stays registered afterwards.

import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { modulePathsWanted } from "../src/core/module-path.js";
import { backwardObservers } from "../src/autograd/engine.js";
import { recordObservers } from "../src/ops/record.js";
import { AnomalyError, type AnomalyReport, detectAnomaly, isAnomalyEnabled, setAnomalyEnabled } from "../src/stability/anomaly.js";

/** Runs fn in anomaly mode, expecting it to throw; returns the report. */
function thrown(fn: () => unknown): AnomalyReport {
  try {
    detectAnomaly(fn);
  } catch (e) {
    expect(e).toBeInstanceOf(st.NonFiniteError);
    expect(e).toBeInstanceOf(AnomalyError);
    return (e as AnomalyError).report;
  }
  throw new Error("detectAnomaly did not throw");
}

class NaiveSoftmax extends st.nn.Module {
  forward(x: st.Tensor) {
    const e = x.exp();
    return e.div(e.sum(-1, true));
  }
}

class Encoder extends st.nn.Module {
  layers = new st.nn.ModuleList([new st.nn.Linear(2, 2), new NaiveSoftmax()]);
  forward(x: st.Tensor) {
    let h = x;
    for (const l of this.layers.children()) h = (l as st.nn.Module).call(h);
    return h;
  }
}

class Net extends st.nn.Module {
  encoder = new Encoder();
  forward(x: st.Tensor) { return this.encoder.call(x); }
}

describe("detectAnomaly", () => {
  it("a naive exp/sum softmax on large logits: names exp, the module path, forward, counts and the caller's line", () => {
    const net = new Net();
    st.noGrad(() => {
      const lin = net.encoder.layers.children()[0] as st.nn.Linear;
      lin.weight.copy_(st.tensor([[100, 0], [0, 1]]));
      lin.bias!.fill_(0);
    });
    const r = thrown(() => net.call(st.tensor([[1, 0], [2, 0]])));
    expect(r.op).toBe("exp");
    expect(r.modulePath).toBe("encoder.layers.1");
    expect(r.phase).toBe("forward");
    // exp(100) and exp(200) overflow float32; exp(0) does not
    expect([r.nan, r.posInf, r.negInf]).toEqual([0, 2, 0]);
    expect(r.inputs[0]!.min).toBe(0);
    expect(r.inputs[0]!.max).toBe(200);
    expect(r.source).toMatch(/anomaly\.test\.ts:\d+:\d+$/);
    expect(r.message).toMatch(/op "exp" in module "encoder\.layers\.1" \(forward\).*0 NaN, 2 \+Inf, 0 -Inf.*in \[0, 200\].*anomaly\.test\.ts/);
  });

  it("warnOnly collects one report for the op that produced the Inf, not for sum/div that propagate it", () => {
    const { result, reports } = detectAnomaly(() => new NaiveSoftmax().call(st.tensor([[0, 100]])), { warnOnly: true });
    expect(result.toArray()).toEqual([[0, NaN]]);
    expect(reports.map((r) => r.op)).toEqual(["exp"]);
    expect(reports[0]!.modulePath).toBe("NaiveSoftmax");
  });

  it("a hand-written -log(softmax) names log and its module: softmax underflows to 0 first", () => {
    class HandNLL extends st.nn.Module {
      forward(logits: st.Tensor) { return logits.softmax(-1).log().neg(); }
    }
    const net = new st.nn.Sequential(new st.nn.Identity(), new HandNLL());
    const r = thrown(() => net.call(st.tensor([[0, 200]], { dtype: "float32" })));
    expect(r.op).toBe("log");
    expect(r.modulePath).toBe("1");
    expect([r.nan, r.posInf, r.negInf]).toEqual([0, 0, 1]);
    expect(r.inputs[0]!.min).toBe(0);
  });

  it("LayerNorm with eps 0 on a constant row names the layerNorm kernel and the layer", () => {
    const net = new st.nn.Sequential(new st.nn.Linear(3, 3), new st.nn.LayerNorm(3, { eps: 0 }));
    const x = st.tensor([[1, 1, 1], [1, 2, 3]]);
    st.noGrad(() => {
      const lin = net.children()[0] as st.nn.Linear;
      lin.weight.copy_(st.eye(3));
      lin.bias!.fill_(0);
    });
    const r = thrown(() => net.call(x));
    expect(r.op).toBe("layerNorm");
    expect(r.modulePath).toBe("1");
    expect(r.phase).toBe("forward");
    expect(r.message).toMatch(/op "layerNorm" in module "1"/);
  });

  it("the norm of a parameter at zero: forward is finite, the NaN/Inf appears only in backward, in the module that ran norm", () => {
    class Scale extends st.nn.Module {
      w = new st.nn.Parameter(st.zeros([3]));
      forward(x: st.Tensor) { return x.mul(this.w.square().sum().sqrt()); } // a hand-written L2 norm
    }
    const net = new st.nn.Sequential(new Scale());
    const { result: loss, reports } = detectAnomaly(() => net.call(st.ones([2])).sum(), { warnOnly: true });
    expect(reports).toEqual([]);
    expect(loss.item()).toBe(0);
    const r = thrown(() => loss.backward());
    expect(r.phase).toBe("backward");
    expect(r.modulePath).toBe("0");
    expect(r.forwardOp).toBe("sqrt");
    expect(r.message).toMatch(/\(backward \(gradient of/);
    // the backward kernel runs from loss.backward(); the forward sqrt was called in Scale.forward
    expect(r.source).toMatch(/anomaly\.test\.ts:\d+:\d+$/);
    expect(r.forwardSource).toMatch(/anomaly\.test\.ts:\d+:\d+$/);
    expect(r.forwardSource).not.toBe(r.source);
  });

  it("NaN produced under noGrad is reported with gradEnabled false", () => {
    const r = thrown(() => st.noGrad(() => st.tensor([4, -1]).sqrt()));
    expect(r.op).toBe("sqrt");
    expect(r.gradEnabled).toBe(false);
    expect(r.nan).toBe(1);
    expect(r.message).toMatch(/forward under noGrad/);
  });

  it("an optimizer step with lr NaN: the in-place sgdStep and its non-finite attribute", () => {
    const p = new st.nn.Parameter(st.tensor([1.5, 2.5]));
    const opt = new st.optim.SGD([p], { lr: 0.1 });
    p.grad = st.tensor([1.5, 1.5]);
    opt.paramGroups[0]!.lr = NaN;
    const r = thrown(() => opt.step());
    expect(r.op).toBe("sgdStep");
    expect(r.inPlace).toBe(true);
    expect(r.tensorIndex).toBe(0);
    expect(r.nan).toBe(2);
    expect(r.badAttrs).toEqual(["lr = NaN"]);
  });

  it("an Adam step with a huge (finite) gradient: the second moment overflows, named as adamStep's updated state", () => {
    const p = new st.nn.Parameter(st.tensor([1.5, 2.5]));
    const opt = new st.optim.Adam([p], { lr: 0.1 });
    p.grad = st.tensor([3e38, 1.5]);
    const r = thrown(() => opt.step());
    expect(r.op).toBe("adamStep");
    expect(r.inPlace).toBe(true);
    expect(r.posInf).toBeGreaterThan(0);
    expect(r.inputs[1]!.max).toBeCloseTo(3e38, -33);
    expect(r.badAttrs).toEqual([]);
  });

  it("BatchNorm running statistics: a NaN momentum poisons only the running averages, named in the BatchNorm module", () => {
    const bn = new st.nn.BatchNorm1d(4);
    const net = new st.nn.Sequential(new st.nn.Linear(3, 4), bn);
    bn.momentum = NaN; // (the constructor refuses it; a later assignment does not)
    const { result, reports } = detectAnomaly(() => net.call(st.randn([8, 3])), { warnOnly: true });
    expect((result.toArray() as number[][]).flat().every(Number.isFinite)).toBe(true); // the batch output itself is fine
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0]!.modulePath).toBe("1");
    expect(reports[0]!.shape).toEqual([4]);
    expect(reports[0]!.nan).toBe(4);
    expect((bn.runningMean!.toArray() as number[]).every(Number.isNaN)).toBe(true);
  });

  it("a healthy training run (MLP, BatchNorm, Adam, noGrad eval) raises nothing and leaves nothing registered", () => {
    st.manualSeed(0);
    const net = new st.nn.Sequential(new st.nn.Linear(4, 8), new st.nn.BatchNorm1d(8), new st.nn.ReLU(), new st.nn.Linear(8, 1));
    const opt = new st.optim.Adam(net.parameters(), { lr: 1e-2 });
    const x = st.randn([16, 4]);
    const y = x.sum(1, true);
    const { result, reports } = detectAnomaly(() => {
      let l = 0;
      for (let i = 0; i < 3; i++) {
        opt.zeroGrad();
        const loss = net.call(x).sub(y).square().mean();
        loss.backward();
        opt.step();
        l = loss.item();
      }
      net.eval();
      st.noGrad(() => net.call(x));
      return l;
    }, { warnOnly: true });
    expect(Number.isFinite(result)).toBe(true);
    expect(reports).toEqual([]);
    // off again: nothing left registered anywhere (dispatch, graph recording, the engine)
    expect(isAnomalyEnabled()).toBe(false);
    expect(modulePathsWanted()).toBe(false);
    expect(recordObservers).toHaveLength(0);
    expect(backwardObservers).toHaveLength(0);
  });

  it("Model.fit under anomaly mode: a diverging SGD run stops at the first non-finite kernel with a report", async () => {
    st.manualSeed(4);
    const model = st.sequential([st.layers.dense({ units: 4, activation: "relu", inputShape: [2] }), st.layers.dense({ units: 1 })]);
    model.compile({ optimizer: { name: "sgd", learningRate: 1e12 }, loss: "mse" });
    const x = st.randn([32, 2]);
    const y = x.sum(1, true);
    const err = await detectAnomaly(() => model.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0 })).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AnomalyError);
    const r = (err as AnomalyError).report;
    expect(r.nan + r.posInf + r.negInf).toBeGreaterThan(0);
    expect(r.message).toContain(`op "${r.op}"`);
    expect(isAnomalyEnabled()).toBe(false);
  });

  it("async functions are checked until they settle", async () => {
    const { reports } = await detectAnomaly(async () => {
      await Promise.resolve();
      return st.tensor([0]).log();
    }, { warnOnly: true });
    expect(reports.map((r) => r.op)).toEqual(["log"]);
    await expect(detectAnomaly(async () => st.tensor([-1]).sqrt())).rejects.toThrow(/op "sqrt"/);
    expect(isAnomalyEnabled()).toBe(false);
  });

  it("setAnomalyEnabled switches the checks globally (off by default)", () => {
    expect(isAnomalyEnabled()).toBe(false);
    expect(setAnomalyEnabled(true)).toBe(false);
    try {
      expect(() => st.tensor([0]).log()).toThrow(st.NonFiniteError);
      const got: string[] = [];
      setAnomalyEnabled(true, { warnOnly: true, onReport: (r) => got.push(r.op) });
      st.tensor([1e30], { dtype: "float32" }).square();
      expect(got).toEqual(["square"]);
    } finally {
      expect(setAnomalyEnabled(false)).toBe(true);
    }
    expect(st.tensor([0]).log().item()).toBe(-Infinity);
    expect(modulePathsWanted()).toBe(false);
  });

  it("an input already non-finite from outside is reported at its first use, with a note", () => {
    const x = st.tensor([NaN, 1]);
    const { reports } = detectAnomaly(() => x.mul(2).add(1), { warnOnly: true });
    expect(reports.map((r) => r.op)).toEqual(["mul"]);
    expect(reports[0]!.inputAlreadyNonFinite).toBe(true);
  });

  it("rejects a non-function", () => {
    expect(() => detectAnomaly(3 as never)).toThrow(st.ValueError);
  });
});
