// Bad input to the convolution and pooling functions and layers gets a typed error naming the
// function, what it got and what it expected (issue 15): wrong channel counts, a kernel larger
// than the padded input, bad groups, bad options. Plus exact small values of the Keras-style
// layers (channels-first, TensorFlow's "same") and Unflatten.
import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";

const F = st.nn.functional;

describe("convolution and pooling: bad input", () => {
  it("a wrong channel count is a ShapeError naming both counts", () => {
    const conv = new st.nn.Conv2d(3, 4, 3);
    expect(() => conv.call(st.zeros([1, 2, 5, 5]))).toThrow(st.ShapeError);
    expect(() => conv.call(st.zeros([1, 2, 5, 5]))).toThrow(/expects 3 input channels.*\[1, 2, 5, 5\]/);
    expect(() => F.conv1d(st.zeros([1, 5, 9]), st.zeros([2, 4, 3]))).toThrow(/expects 4 input channels/);
    expect(() => F.convTranspose2d(st.zeros([1, 3, 4, 4]), st.zeros([2, 2, 3, 3]))).toThrow(st.ShapeError);
    expect(() => new st.nn.BatchNorm2d(4).call(st.zeros([2, 3, 2, 2]))).toThrow(/num_features=4/);
  });

  it("a kernel larger than the padded input is a ShapeError", () => {
    expect(() => F.conv2d(st.zeros([1, 1, 2, 5]), st.zeros([1, 1, 3, 3]))).toThrow(st.ShapeError);
    expect(() => F.conv2d(st.zeros([1, 1, 2, 5]), st.zeros([1, 1, 3, 3]))).toThrow(/kernel size 3x3 .* larger than the padded input 2x5/);
    // padding makes it fit; dilation makes it too large again
    expect(F.conv2d(st.zeros([1, 1, 2, 5]), st.zeros([1, 1, 3, 3]), null, { padding: 1 }).shape).toEqual([1, 1, 2, 5]);
    expect(() => F.conv2d(st.zeros([1, 1, 4, 4]), st.zeros([1, 1, 3, 3]), null, { dilation: 2 })).toThrow(/5x5 \(dilated\)/);
    expect(() => F.maxPool2d(st.zeros([1, 1, 2, 2]), 3)).toThrow(st.ShapeError);
    expect(() => F.avgPool1d(st.zeros([1, 1, 2]), 3)).toThrow(st.ShapeError);
  });

  it("bad groups are ValueErrors", () => {
    expect(() => F.conv2d(st.zeros([1, 4, 5, 5]), st.zeros([3, 2, 3, 3]), null, { groups: 2 })).toThrow(st.ValueError);
    expect(() => F.conv2d(st.zeros([1, 4, 5, 5]), st.zeros([3, 2, 3, 3]), null, { groups: 2 })).toThrow(/groups=2 must divide .* output channels \(3\)/);
    expect(() => F.conv2d(st.zeros([1, 4, 5, 5]), st.zeros([4, 4, 3, 3]), null, { groups: 0 })).toThrow(/positive integer/);
    expect(() => new st.nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(st.ValueError);
    expect(() => new st.nn.GroupNorm(3, 4)).toThrow(st.ValueError);
    expect(() => F.groupNorm(st.zeros([2, 4, 3]), 3)).toThrow(/dividing the 4 channels/);
  });

  it("bad ranks, dtypes, options and shapes are typed errors", () => {
    expect(() => F.conv2d(st.zeros([5, 5]), st.zeros([1, 1, 3, 3]))).toThrow(/expected a 4-D input \[N, C, H, W\]/);
    expect(() => F.conv2d(st.zeros([1, 1, 5, 5], { dtype: "int32" }), st.zeros([1, 1, 3, 3]))).toThrow(st.DTypeError);
    expect(() => F.conv2d(st.zeros([1, 1, 5, 5]), st.zeros([1, 1, 3, 3], { dtype: "float64" }))).toThrow(/weight dtype float64/);
    expect(() => F.conv2d(st.zeros([1, 1, 5, 5]), st.zeros([2, 1, 3, 3]), st.zeros([3]))).toThrow(/bias must have shape \[2\]/);
    expect(() => F.conv2d(st.zeros([1, 1, 5, 5]), st.zeros([1, 1, 3, 3]), null, { stride: 0 })).toThrow(st.ValueError);
    expect(() => F.conv2d(st.zeros([1, 1, 5, 5]), st.zeros([1, 1, 3, 3]), null, { padding: "same", stride: 2 })).toThrow(/"same" needs stride 1/);
    expect(() => F.conv2d(st.zeros([1, 1, 3, 3]), st.zeros([1, 1, 3, 3]), null, { padding: 3, paddingMode: "reflect" })).toThrow(/reflect padding/);
    expect(() => F.conv2d(st.zeros([1, 1, 3, 3]), st.zeros([1, 1, 3, 3]), null, { paddingMode: "mirror" as never })).toThrow(/paddingMode must be one of/);
    expect(() => F.convTranspose2d(st.zeros([1, 2, 3, 3]), st.zeros([2, 2, 3, 3]), null, { stride: 2, outputPadding: 2 })).toThrow(/outputPadding/);
    expect(() => F.maxPool2d(st.zeros([1, 1, 6, 6]), 2, { padding: 2 })).toThrow(/at most half the kernel size/);
    expect(() => F.avgPool2d(st.zeros([1, 1, 6, 6]), 2, { divisorOverride: 0 })).toThrow(/divisorOverride/);
    expect(() => F.interpolate(st.zeros([1, 1, 2, 2]), { size: 4, scaleFactor: 2 })).toThrow(/exactly one of size and scaleFactor/);
    expect(() => F.interpolate(st.zeros([1, 1, 2, 2]), { size: 4, mode: "bicubic" as never })).toThrow(/mode must be/);
    expect(() => F.rmsNorm(st.zeros([2, 3]), [4])).toThrow(/normalizedShape \[4\]/);
    expect(() => new st.nn.Unflatten(1, [4, 4]).call(st.zeros([2, 12]))).toThrow(st.ShapeError);
  });
});

describe("convolution and pooling: exact values", () => {
  it("conv2d of a ramp by a 2x2 ones kernel sums each window; maxPool2d indices are flat in the plane", () => {
    const x = st.arange(0, 9).reshape([1, 1, 3, 3]).float();
    expect(F.conv2d(x, st.ones([1, 1, 2, 2])).toArray()).toEqual([[[[8, 12], [20, 24]]]]);
    const [y, idx] = F.maxPool2d(x, 2, { stride: 1, returnIndices: true });
    expect(y.toArray()).toEqual([[[[4, 5], [7, 8]]]]);
    expect(idx.toArray()).toEqual([[[[4, 5], [7, 8]]]]);
    expect(idx.dtype).toBe("int32");
    expect(F.avgPool2d(x, 2, { stride: 1 }).toArray()).toEqual([[[[2, 3], [5, 6]]]]);
  });

  it("max pooling sends the gradient to the (first) max only", () => {
    const x = st.tensor([[[[1, 5], [5, 2]]]], { dtype: "float32" }).requiresGrad_();
    F.maxPool2d(x, 2).sum().backward();
    expect(x.grad!.toArray()).toEqual([[[[0, 1], [0, 0]]]]);
  });

  it("Keras layers are channels-first; 'same' follows TensorFlow (output ⌈n/s⌉, odd padding after)", () => {
    const conv = st.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: "same", inputShape: [1, 5, 6] });
    expect(conv.call(st.ones([4, 1, 5, 6])).shape).toEqual([4, 2, 3, 3]);
    const pool = st.layers.maxPooling2d({ poolSize: 2, padding: "same" });
    // 3x3 → 2x2: the last row/column of windows sees one real pixel, the padding never wins
    expect(pool.call(st.tensor([[[[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]]], { dtype: "float32" })).toArray()).toEqual([[[[-1, -3], [-7, -9]]]]);
    const avg = st.layers.averagePooling2d({ poolSize: 2, padding: "same" });
    expect(avg.call(st.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], { dtype: "float32" })).toArray()).toEqual([[[[3, 4.5], [7.5, 9]]]]);
    expect(st.layers.globalAveragePooling2d().call(st.ones([2, 3, 4, 4])).toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(st.layers.conv1d({ filters: 3, kernelSize: 3, padding: "same" }).call(st.ones([2, 4, 7])).shape).toEqual([2, 3, 7]);
    // batchNormalization normalizes dim 1 (channels) of images; state-dict keys are PyTorch's
    const bn = st.layers.batchNormalization();
    expect(bn.call(st.randn([4, 3, 2, 2])).shape).toEqual([4, 3, 2, 2]);
    expect(Object.keys(bn.stateDict()).sort()).toEqual(["bias", "num_batches_tracked", "running_mean", "running_var", "weight"]);
  });

  it("a Keras CNN trains with fit and saves its config", async () => {
    st.manualSeed(0);
    const model = st.sequential([
      st.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu", inputShape: [1, 6, 6] }),
      st.layers.maxPooling2d({ poolSize: 2 }),
      st.layers.flatten(),
      st.layers.dense({ units: 2, activation: "softmax" }),
    ]);
    model.compile({ optimizer: "adam", loss: "sparseCategoricalCrossentropy" });
    const x = st.randn([16, 1, 6, 6]);
    const y = x.mean([1, 2, 3]).gt(0).int();
    const h = await model.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0 });
    const losses = h.history.loss as number[];
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    expect(Object.keys(model.getWeights())).toEqual(["0.weight", "0.bias", "3.weight", "3.bias"]);
  });
});
