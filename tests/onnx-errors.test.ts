// ONNX export: what cannot be exported raises a clear typed error (the op and its module path),
// bad options are refused, other opsets load in ONNX Runtime, the Node form writes a file that
// ORT opens, and the test helper's comparison does fail on a model that disagrees.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { Module } from "../src/nn/module.js";
import * as browser from "../src/index.js";
import { decodeModel } from "../src/io/onnx/schema.js";
import { checkOrt, excess } from "./helpers/onnx-check.js";

st.manualSeed(3);

/** A layer whose forward takes an SVD: the `svd` kernel has no ONNX mapping. */
class Whiten extends Module<[st.Tensor], st.Tensor> {
  forward(x: st.Tensor): st.Tensor {
    return st.linalg.svd(x).U;
  }
}

/** Multiplies row i by i + 1 with a table made inside forward at the input's batch size. */
class ScaleRows extends Module<[st.Tensor], st.Tensor> {
  forward(x: st.Tensor): st.Tensor {
    return x.mul(st.arange(1, x.shape[0]! + 1).reshape([-1, 1]));
  }
}

const dir = mkdtempSync(join(tmpdir(), "steady-onnx-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("onnx export: errors", () => {
  it("an op without an ONNX mapping names the op and its module path", () => {
    const net = new st.nn.Sequential(new st.nn.Linear(3, 3), new st.nn.Sequential(new st.nn.ReLU(), new Whiten()));
    expect(() => st.onnx.export(net, [st.randn([4, 3])])).toThrow(st.ValueError);
    expect(() => st.onnx.export(net, [st.randn([4, 3])])).toThrow(/^onnx\.export: the op "svd" in module "1\.1" has no ONNX mapping/);
  });

  it("a constant made at the example's size that meets a dynamic axis is refused, not exported wrong", () => {
    const scale = new ScaleRows();
    const x = st.randn([3, 4]);
    expect(() => st.onnx.export(scale, [x], { dynamicAxes: { input: { 0: "batch" } } }))
      .toThrow(/the op "mul" in module "ScaleRows" combines a constant of shape \[3, 1\] .* with the dynamic dim batch at axis 0/);
    // with the batch static it exports
    expect(st.onnx.export(scale, [x]).length).toBeGreaterThan(0);
  });

  it("refuses bad options and arguments with the reason", () => {
    const lin = new st.nn.Linear(2, 2);
    const x = st.randn([3, 2]);
    expect(() => st.onnx.export(lin, [x], { opsetVersion: 13 })).toThrow(/opsetVersion must be an integer from 17 to 21 \(got 13\)/);
    expect(() => st.onnx.export(lin, [x], { dynamicAxes: { inpt: { 0: "batch" } } })).toThrow(/dynamicAxes names "inpt", which is no input or output \(inputs: input; outputs: output\)/);
    expect(() => st.onnx.export(lin, [x], { dynamicAxes: { input: { 2: "batch" } } })).toThrow(/names axis 2, but the input has shape \[3, 2\]/);
    expect(() => st.onnx.export(lin, [x], { inputNames: ["a", "b"] })).toThrow(/inputNames has 2 names for 1 input tensors/);
    expect(() => st.onnx.export(lin, [st.randn([1, 2])], { dynamicAxes: { input: { 0: "batch" } } })).toThrow(/"batch" \(axis 0 of "input"\) has size 1 in the example; use an example size of at least 2/);
    const e = new st.nn.Embedding(5, 2);
    expect(() => st.onnx.export(e, [st.randint(0, 5, [3, 3])], { dynamicAxes: { input: { 0: "batch", 1: "seq" } } })).toThrow(/"batch" and "seq" both have size 3 in the example/);
    expect(() => st.onnx.export({} as st.nn.Module, [x])).toThrow(/module must be an nn\.Module or a Model/);
    expect(() => st.onnx.export(lin, [[1, 2]])).toThrow(/exampleInputs hold no Tensor/);
    expect(() => browser.onnx.export(lin, [x], { path: join(dir, "x.onnx") })).toThrow(/options\.path writes a file, which needs Node/);
  });

  it("restores each module's training mode after tracing", () => {
    const net = new st.nn.Sequential(new st.nn.Linear(2, 2), new st.nn.Dropout(0.5));
    net.train();
    net.at(1).eval();
    st.onnx.export(net, [st.randn([3, 2])]);
    expect([net.training, net.at(0).training, net.at(1).training]).toEqual([true, true, false]);
  });
});

describe("onnx export: files, opsets and the checker itself", () => {
  it("st.onnx.save and export({ path }) write a model ONNX Runtime opens from disk", async () => {
    const net = new st.nn.Sequential(new st.nn.Linear(4, 3), new st.nn.Tanh());
    const x = st.randn([2, 4]);
    const file = join(dir, "net.onnx");
    const bytes = st.onnx.save(net, [x], file, { dynamicAxes: { input: { 0: "batch" } } });
    expect(readFileSync(file)).toEqual(Buffer.from(bytes));
    const other = join(dir, "net2.onnx");
    st.onnx.export(net, [x], { path: other });
    const session = await ort.InferenceSession.create(other);
    const res = await session.run({ input: new ort.Tensor("float32", x.dataSync() as Float32Array, [2, 4]) });
    expect(excess(st.noGrad(() => net.call(x)).dataSync(), res.output!.data as Float32Array)).toBeLessThanOrEqual(0);
  });

  it.each([18, 20])("opset %i (reductions take their axes as inputs) runs in ONNX Runtime", async (opset) => {
    const mha = new st.nn.MultiheadAttention(8, 2, { batchFirst: true });
    const args = (B: number) => { const x = st.randn([B, 3, 8]); return [x, x, x]; };
    const { bytes } = await checkOrt(mha, [args(2), args(5)], { opsetVersion: opset, dynamicAxes: { input: { 0: "batch" } } });
    const m = decodeModel(bytes);
    expect(m.opset_import[0]!.version).toBe(opset);
    expect(m.ir_version).toBe(opset === 18 ? 8 : 9);
  });

  it("the comparison fails when the model changes after export", async () => {
    const lin = new st.nn.Linear(3, 2);
    const x = st.randn([4, 3]);
    const session = await ort.InferenceSession.create(st.onnx.export(lin, [x]));
    st.noGrad(() => lin.bias!.add_(1e-3));
    const res = await session.run({ input: new ort.Tensor("float32", x.dataSync() as Float32Array, [4, 3]) });
    expect(excess(st.noGrad(() => lin.call(x)).dataSync(), res.output!.data as Float32Array)).toBeGreaterThan(0);
  });
});
