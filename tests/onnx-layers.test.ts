// ONNX export of the basic layers, checked by ONNX Runtime: each model is exported once, loaded
// by onnxruntime-node and run at two batch sizes (and two sequence lengths where the axis is
// dynamic); every output matches our forward within 1e-5 relative (1e-5 absolute floor).

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { Module } from "../src/nn/module.js";
import { decodeModel } from "../src/io/onnx/schema.js";
import { checkOrt } from "./helpers/onnx-check.js";

st.manualSeed(14);
const batch = { input: { 0: "batch" } };

/** Runs several activation modules on one input and returns all their outputs. */
class Fanout extends Module<[st.Tensor], st.Tensor[]> {
  constructor(readonly acts: st.nn.Module[]) {
    super();
    acts.forEach((a, i) => this.registerModule(`act${i}`, a));
  }
  forward(x: st.Tensor): st.Tensor[] {
    return this.acts.map((a) => a.call(x) as st.Tensor);
  }
}

/** Inputs with the values where activations change form: 0, ±small, ±large, softplus's threshold. */
function activationInput(b: number): st.Tensor {
  const special = [0, 1e-3, -1e-3, 20, -20, 25, -25, 3.5];
  const x = st.randn([b, 8]).mul(3);
  return x.add(st.tensor(special).reshape([1, 8]).mul(st.tensor(b % 2 === 0 ? 1 : 0.5)));
}

describe("onnx export: layers run in ONNX Runtime with our numbers", () => {
  it("Linear at batch 3 and 7", async () => {
    const { bytes } = await checkOrt(new st.nn.Linear(5, 4), [[st.randn([3, 5])], [st.randn([7, 5])]], { dynamicAxes: batch });
    const m = decodeModel(bytes);
    expect(m.opset_import[0]!.version).toBe(17);
    expect(m.ir_version).toBe(8);
    expect(m.graph.node.map((n) => n.op_type)).toEqual(["Gemm"]);
    // parameters keep their state-dict names as initializers
    expect(m.graph.initializer.map((t) => t.name).sort()).toEqual(["bias", "weight"]);
    expect(m.graph.input[0]!.type.tensor_type.shape.dim[0]).toEqual({ dim_param: "batch" });
  });

  it("every activation (sigmoid … softplus, GELU exact and tanh) in one graph", async () => {
    const prelu = new st.nn.PReLU();
    const acts = [
      new st.nn.Sigmoid(), new st.nn.Tanh(), new st.nn.ReLU(), new st.nn.LeakyReLU(0.1), prelu, new st.nn.ELU(), new st.nn.SELU(),
      new st.nn.GELU(), new st.nn.GELU({ approximate: "tanh" }), new st.nn.Softmax(-1), new st.nn.LogSoftmax(-1), new st.nn.Softplus(),
    ];
    const { session } = await checkOrt(new Fanout(acts), [[activationInput(4)], [activationInput(9)]], { dynamicAxes: batch });
    expect(session.outputNames).toHaveLength(12);
  });

  it("LayerNorm over the last dim with dynamic batch and sequence", async () => {
    const ln = new st.nn.LayerNorm(6);
    st.noGrad(() => { ln.weight!.copy_(st.randn([6])); ln.bias!.copy_(st.randn([6])); });
    await checkOrt(ln, [[st.randn([2, 3, 6])], [st.randn([5, 4, 6])]], { dynamicAxes: { input: { 0: "batch", 1: "seq" } } });
  });

  it("BatchNorm1d in eval mode uses its running statistics", async () => {
    const bn = new st.nn.BatchNorm1d(4);
    bn.train();
    st.noGrad(() => bn.call(st.randn([16, 4]).mul(3).add(1))); // running stats move away from 0 / 1
    await checkOrt(bn, [[st.randn([3, 4])], [st.randn([6, 4])]], { dynamicAxes: batch });
  });

  it("Dropout in eval mode is the identity", async () => {
    const { bytes } = await checkOrt(new st.nn.Dropout(0.5), [[st.randn([3, 4])], [st.randn([8, 4])]], { dynamicAxes: batch });
    expect(decodeModel(bytes).graph.node.map((n) => n.op_type)).toEqual(["Identity"]);
  });

  it("Embedding gathers int32 ids with dynamic batch and sequence", async () => {
    const ids = (b: number, s: number) => st.randint(0, 10, [b, s]);
    const { bytes } = await checkOrt(new st.nn.Embedding(10, 4), [[ids(2, 3)], [ids(4, 6)]], { dynamicAxes: { input: { 0: "batch", 1: "seq" } } });
    expect(decodeModel(bytes).graph.node.some((n) => n.op_type === "Gather")).toBe(true);
  });

  it("nn.Sequential of Linear, ReLU, Dropout, Linear, LogSoftmax", async () => {
    const net = new st.nn.Sequential(new st.nn.Linear(6, 16), new st.nn.ReLU(), new st.nn.Dropout(0.2), new st.nn.Linear(16, 3), new st.nn.LogSoftmax(-1));
    const { session } = await checkOrt(net, [[st.randn([2, 6])], [st.randn([11, 6])]], {
      dynamicAxes: { features: { 0: "batch" } }, inputNames: ["features"], outputNames: ["logp"],
    });
    expect([session.inputNames, session.outputNames]).toEqual([["features"], ["logp"]]);
  });

  it("a float64 model stays float64 (Linear, LayerNorm, exact GELU)", async () => {
    const net = new st.nn.Sequential(new st.nn.Linear(4, 6), new st.nn.LayerNorm(6), new st.nn.GELU()).double();
    const x = (b: number) => st.randn([b, 4], { dtype: "float64" });
    const { bytes } = await checkOrt(net, [[x(3)], [x(6)]], { dynamicAxes: batch });
    expect(decodeModel(bytes).graph.output[0]!.type.tensor_type.elem_type).toBe(11); // DOUBLE
  });

  it("a Keras-style st.sequential model", async () => {
    const model = st.sequential([
      st.layers.dense({ units: 12, activation: "relu", inputShape: [5] }),
      st.layers.dense({ units: 8, activation: "tanh" }),
      st.layers.dense({ units: 3, activation: "softmax" }),
    ]);
    await checkOrt(model, [[st.randn([4, 5])], [st.randn([9, 5])]], { dynamicAxes: batch });
  });
});
