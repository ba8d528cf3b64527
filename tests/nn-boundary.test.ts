// Plain-JavaScript misuse at the nn boundary (issue 10): a built-in layer called with an array, a
// typed array, a number, undefined, … raises a DTypeError naming the layer, what it got and how to
// make a tensor — never a TypeError from inside a kernel. Also trainTestSplit's testSize range.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { describeValue } from "../src/nn/check-args.js";
import { expectError } from "./helpers/expect-error.js";

const { nn } = st;

describe("Module.call checks the tensor arguments of built-in layers", () => {
  it("linear.call([[1, 2, 3]]) names the module, the JavaScript array and st.tensor", () => {
    const linear = new nn.Linear(3, 2);
    const e = expectError(() => linear.call([[1, 2, 3]] as never), st.DTypeError,
      "Linear(in_features=3, out_features=2", "input (argument 1) must be a Tensor", "got a JavaScript array", "st.tensor([[1, 2, 3]])");
    expect(e.message).not.toMatch(/reading|undefined is not/);
  });

  it.each([
    ["a typed array", new Float32Array([1, 2, 3]), "got a Float32Array", "st.tensor(typedArray, { shape })"],
    ["a number", 3, "got the number 3", "st.tensor(3)"],
    ["undefined", undefined, "got undefined", "create one with st.tensor(...)"],
    ["null", null, "got null", "create one with st.tensor(...)"],
    ["a string", "foo", "got a string", "create one with st.tensor(...)"],
    ["a plain object", { data: [1, 2, 3] }, "got a plain object", "create one with st.tensor(...)"],
  ])("rejects %s", (_what, value, got, hint) => {
    expectError(() => new nn.Linear(3, 2).call(value as never), st.DTypeError, "Linear(", got, hint);
  });

  const layers: [string, () => st.nn.Module<never[], unknown>][] = [
    ["Sigmoid", () => new nn.Sigmoid()],
    ["Tanh", () => new nn.Tanh()],
    ["ReLU", () => new nn.ReLU()],
    ["LeakyReLU", () => new nn.LeakyReLU(0.2)],
    ["PReLU", () => new nn.PReLU()],
    ["ELU", () => new nn.ELU()],
    ["SELU", () => new nn.SELU()],
    ["GELU", () => new nn.GELU()],
    ["Softplus", () => new nn.Softplus()],
    ["Softmax", () => new nn.Softmax(-1)],
    ["LogSoftmax", () => new nn.LogSoftmax(-1)],
    ["BatchNorm1d", () => new nn.BatchNorm1d(3)],
    ["LayerNorm", () => new nn.LayerNorm(3)],
    ["Dropout", () => new nn.Dropout(0.5)],
    ["Flatten", () => new nn.Flatten()],
    ["Embedding", () => new nn.Embedding(5, 3)],
    ["Linear", () => new nn.Linear(3, 1)],
  ] as never;
  it.each(layers)("%s raises the same DTypeError for a JavaScript array", (name, make) => {
    expectError(() => make().call([[1, 2, 3]] as never), st.DTypeError, `${name}(`, ".call: input (argument 1) must be a Tensor", "a JavaScript array");
  });

  it("losses check input and target, naming which one is wrong", () => {
    const loss = new nn.MSELoss();
    expectError(() => loss.call([1, 2] as never, st.zeros([2])), st.DTypeError, "MSELoss().call: input (argument 1)", "a JavaScript array");
    expectError(() => loss.call(st.zeros([2]), [1, 2] as never), st.DTypeError, "MSELoss().call: target (argument 2)", "st.tensor([1, 2])");
    expectError(() => new nn.CrossEntropyLoss().call(st.zeros([2, 3]), 1 as never), st.DTypeError, "CrossEntropyLoss(", "target", "the number 1");
  });

  it("inside a Sequential, the error names the layer that got the value", () => {
    const seq = new nn.Sequential(new nn.Linear(3, 2), new nn.ReLU());
    expectError(() => seq.call([[1, 2, 3]] as never), st.DTypeError, "Linear(in_features=3", "a JavaScript array");
  });

  it("checks after forward pre-hooks, which may convert the arguments", () => {
    const linear = new nn.Linear(3, 2);
    linear.registerForwardPreHook((_m, args) => [st.tensor(args[0] as number[][], { dtype: "float32" })]);
    expect(linear.call([[1, 2, 3]] as never).shape).toEqual([1, 2]);
    const other = new nn.Linear(3, 2);
    other.registerForwardPreHook(() => undefined); // the slow path (hooks present) checks too
    expectError(() => other.call([[1, 2, 3]] as never), st.DTypeError, "Linear(", "a JavaScript array");
  });

  it("leaves modules of the user unchecked (they may take any arguments) and lets them opt in", () => {
    class Sum extends nn.Module<[number[]], number> {
      forward(xs: number[]): number { return xs.reduce((a, b) => a + b, 0); }
    }
    expect(new Sum().call([1, 2, 3])).toBe(6);
    class Scale extends nn.Module {
      static override tensorInputs = ["input"];
      forward(x: st.Tensor) { return x.mul(2); }
    }
    expectError(() => new Scale().call([1, 2] as never), st.DTypeError, "Scale().call: input (argument 1)", "a JavaScript array");
    expect(new Scale().call(st.tensor([1, 2])).toArray()).toEqual([2, 4]);
  });

  it("describes values the way the messages use them", () => {
    expect(describeValue([1])).toBe("a JavaScript array");
    expect(describeValue(new Int32Array(1))).toBe("an Int32Array");
    expect(describeValue(new Map())).toBe("a Map");
    expect(describeValue(() => 1)).toBe("a function");
    expect(describeValue(true)).toBe("a boolean");
  });
});

describe("trainTestSplit validates testSize", () => {
  const x = st.arange(0, 10, { dtype: "float32" }).reshape(10, 1);
  const y = st.arange(0, 10, { dtype: "int32" });

  it.each([1.5, 0, -1, Number.NaN, Infinity, 10, 12])("rejects testSize %s with a ValueError naming the option and the range", (ts) => {
    expectError(() => st.data.trainTestSplit(x, y, { testSize: ts }), st.ValueError,
      "trainTestSplit", "testSize", "0 < testSize < 1", "1 <= testSize < 10");
  });

  it("rejects a fraction that rounds to no test rows, saying how many it gave", () => {
    expectError(() => st.data.trainTestSplit(x, y, { testSize: 0.01 }), st.ValueError, "fraction 0.01 of 10 rows gives 0 test rows");
  });

  it("accepts a fraction and an integer count, keeping every row exactly once", () => {
    const a = st.data.trainTestSplit(x, y, { testSize: 0.3, seed: 1 });
    expect(a.xTest.shape).toEqual([3, 1]);
    expect(a.xTrain.shape).toEqual([7, 1]);
    const b = st.data.trainTestSplit(x, y, { testSize: 1, seed: 1 });
    expect(b.yTest.shape).toEqual([1]);
    const all = [...(a.yTrain.toArray() as number[]), ...(a.yTest.toArray() as number[])].sort((p, q) => p - q);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.xTest.reshape(3).toArray()).toEqual(a.yTest.toArray()); // x and y rows stay paired
  });

  it("rejects a non-tensor x with a DTypeError", () => {
    expectError(() => st.data.trainTestSplit([[1], [2]] as never, y), st.DTypeError, "trainTestSplit: x must be a Tensor", "a JavaScript array");
  });
});
