// float64Shadow: a layer whose float32 output cancels a large sum (x + 1e8 − 1e8 keeps only
// multiples of 8) shows a relative error near 1 in that layer and in the gradient it feeds, while a
// benign MLP stays at float32 rounding (~1e-7); the model comes back exactly as it was.

import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { float64Shadow } from "../src/stability/shadow.js";

class Cancel extends st.nn.Module {
  forward(x: st.Tensor) { return x.add(1e8).sub(1e8); }
}

const mse = (x: st.Tensor, y: st.Tensor) => (m: st.nn.AnyModule, cast: (t: st.Tensor) => st.Tensor) =>
  (m as st.nn.Sequential).call(cast(x)).sub(cast(y)).square().mean();

describe("float64Shadow", () => {
  it("exposes the cancelling layer: large output and gradient errors there, small before it", () => {
    st.manualSeed(0);
    const net = new st.nn.Sequential(new st.nn.Linear(4, 8), new Cancel(), new st.nn.Linear(8, 1));
    const x = st.randn([32, 4]);
    const y = st.randn([32, 1]);
    const r = float64Shadow(net, mse(x, y));
    const out = (n: string) => r.outputs.find((e) => e.name === n)!;
    expect(r.outputs.map((e) => e.name)).toEqual(["0", "1", "2", "Sequential"]);
    expect(out("0").relErr).toBeLessThan(1e-6);
    expect(out("1").relErr).toBeGreaterThan(0.3);
    expect(r.worstOutput!.name).not.toBe("0");
    // the last layer's weight gradient is Σ dL/dy · h, with h the corrupted output of "1"
    const g2 = r.grads.find((e) => e.name === "2.weight")!;
    expect(g2.relErr).toBeGreaterThan(0.1);
    expect(r.lossRelErr).toBeGreaterThan(1e-3);
  });

  it("a benign MLP: every output and gradient within float32 rounding", () => {
    st.manualSeed(1);
    const net = new st.nn.Sequential(new st.nn.Linear(4, 8), new st.nn.Tanh(), new st.nn.Linear(8, 1));
    const r = float64Shadow(net, mse(st.randn([32, 4]), st.randn([32, 1])));
    expect(r.outputs).toHaveLength(4);
    expect(r.grads.map((e) => e.name)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(r.worstOutput!.relErr).toBeLessThan(1e-5);
    expect(r.worstGrad!.relErr).toBeLessThan(1e-5);
    expect(r.lossRelErr).toBeLessThan(1e-6);
  });

  it("leaves parameters, dtypes, BatchNorm running statistics and .grad as they were", () => {
    st.manualSeed(2);
    const net = new st.nn.Sequential(new st.nn.Linear(3, 4), new st.nn.BatchNorm1d(4), new st.nn.Linear(4, 1));
    const x = st.randn([8, 3]);
    const y = st.randn([8, 1]);
    net.call(x).sub(y).square().mean().backward();
    const before = Object.fromEntries(Object.entries(net.stateDict()).map(([k, v]) => [k, v.toArray()]));
    const grads = net.parameters().map((p) => p.grad!.toArray());
    const r = float64Shadow(net, mse(x, y));
    expect(r.grads).toHaveLength(6);
    const after = Object.fromEntries(Object.entries(net.stateDict()).map(([k, v]) => [k, v.toArray()]));
    expect(after).toEqual(before);
    expect(net.parameters().map((p) => p.grad!.toArray())).toEqual(grads);
    expect(net.parameters().every((p) => p.dtype === "float32")).toBe(true);
  });

  it("takes a Keras-style st.Model and shadows the module it wraps", () => {
    st.manualSeed(3);
    const model = st.sequential([st.layers.dense({ units: 3, activation: "tanh", inputShape: [2] }), st.layers.dense({ units: 1 })]);
    const r = float64Shadow(model, mse(st.randn([8, 2]), st.randn([8, 1])));
    expect(r.grads).toHaveLength(4);
    expect(r.worstGrad!.relErr).toBeLessThan(1e-5);
  });

  it("rejects a float64 model and a stepFn that does not return a scalar", () => {
    const lin = new st.nn.Linear(2, 1);
    expect(() => float64Shadow(lin, (m, c) => (m as st.nn.Linear).call(c(st.ones([3, 2]))))).toThrow(/scalar loss/);
    lin.double();
    expect(() => float64Shadow(lin, (m, c) => (m as st.nn.Linear).call(c(st.ones([3, 2]))).sum())).toThrow(st.DTypeError);
  });
});
