// ONNX export of the convolution and pooling layers (issue 15), checked by ONNX Runtime at two
// batch sizes: Conv2d (padding, stride, dilation, groups, bias), MaxPool2d, AvgPool2d,
// AdaptiveAvgPool2d, BatchNorm2d (eval), a LeNet-style CNN through Flatten and Linear, Conv1d
// with the 1-d pools, and ConvTranspose2d with an output padding; what ONNX cannot express
// (divisorOverride, returnIndices, a dynamic height) is a clear error naming the op and module.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { decodeModel } from "../src/io/onnx/schema.js";
import { checkOrt } from "./helpers/onnx-check.js";

st.manualSeed(15);
const batch = { input: { 0: "batch" } };
const img = (b: number, c = 3, h = 12, w = 10) => st.randn([b, c, h, w]);

describe("onnx export: convolution and pooling run in ONNX Runtime with our numbers", () => {
  it("a CNN: Conv2d (padding 1; stride 2, dilation 2, groups 2), BatchNorm2d, ReLU, MaxPool2d, AvgPool2d, Flatten, Linear", async () => {
    const bn = new st.nn.BatchNorm2d(4);
    // running statistics away from their initial values, so the eval-mode export uses them
    bn.train();
    bn.call(img(6, 4).mul(2).add(1));
    const net = new st.nn.Sequential(
      new st.nn.Conv2d(3, 4, 3, { padding: 1 }),
      bn,
      new st.nn.ReLU(),
      new st.nn.MaxPool2d(2),
      new st.nn.Conv2d(4, 6, 3, { stride: 2, dilation: 2, groups: 2, padding: 2 }),
      new st.nn.AvgPool2d(2, { ceilMode: true }),
      new st.nn.Flatten(),
      new st.nn.Linear(6 * 2 * 2, 5),
    );
    const { bytes } = await checkOrt(net, [[img(2)], [img(5)]], { dynamicAxes: batch });
    const ops = decodeModel(bytes).graph.node.map((n) => n.op_type);
    expect(ops.filter((o) => o === "Conv")).toHaveLength(2);
    expect(ops).toContain("MaxPool");
    expect(ops).toContain("AveragePool");
  });

  it("AdaptiveAvgPool2d, AvgPool2d without the padding in the divisor, MaxPool2d with ceilMode and dilation", async () => {
    const net = new st.nn.Sequential(
      new st.nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
      new st.nn.MaxPool2d(2, { stride: 1, dilation: 2, ceilMode: true }),
      new st.nn.AdaptiveAvgPool2d([2, 3]),
    );
    await checkOrt(net, [[img(2, 2, 13, 11)], [img(4, 2, 13, 11)]], { dynamicAxes: batch });
  });

  it("Conv1d with MaxPool1d and AvgPool1d (the H = 1 case of the 2-d ops)", async () => {
    const net = new st.nn.Sequential(
      new st.nn.Conv1d(2, 4, 5, { padding: 2, stride: 1 }),
      new st.nn.MaxPool1d(2),
      new st.nn.AvgPool1d(3, { stride: 1 }),
    );
    await checkOrt(net, [[st.randn([3, 2, 16])], [st.randn([1, 2, 16])]], { dynamicAxes: batch });
  });

  it("ConvTranspose2d with stride 2, padding 1 and an output padding", async () => {
    const up = new st.nn.ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 });
    const { bytes } = await checkOrt(up, [[img(2, 3, 5, 4)], [img(3, 3, 5, 4)]], { dynamicAxes: batch });
    expect(decodeModel(bytes).graph.node.map((n) => n.op_type)).toContain("ConvTranspose");
  });

  it("refuses what ONNX cannot express, naming the op and its module", () => {
    const div = new st.nn.Sequential(new st.nn.AvgPool2d(2, { divisorOverride: 3 }));
    expect(() => st.onnx.export(div, [img(2)])).toThrow(/avgPool2d.*"0".*divisorOverride/);
    const idx = new st.nn.MaxPool2d(2, { returnIndices: true });
    expect(() => st.onnx.export(idx, [img(2)])).toThrow(/maxPool2d.*indices/);
    const conv = new st.nn.Conv2d(3, 2, 3);
    expect(() => st.onnx.export(conv, [img(2)], { dynamicAxes: { input: { 0: "batch", 2: "height" } } })).toThrow(/conv2d.*dynamic height or width/);
  });
});
