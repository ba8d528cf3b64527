// Bad input raises a typed error whose message names the op, what it got and what it expected —
// never a silent NaN, a wrong broadcast or a crash inside a kernel.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { AutogradError, DTypeError, IndexError, ShapeError, SteadyError, ValueError } from "../src/index.js";
import { expectError } from "./helpers/expect-error.js";

describe("the issue's bad inputs", () => {
  it("matmul of [2,3] by [4,5]", () => {
    expectError(() => st.matmul(st.ones([2, 3]), st.ones([4, 5])), ShapeError, "matmul", "[2, 3]", "[4, 5]", "(3)", "(4)");
  });

  it("add of [2,3] and [4]", () => {
    expectError(() => st.add(st.ones([2, 3]), st.ones([4])), ShapeError, "add", "[2, 3]", "[4]", "broadcast");
  });

  it("reshape of 6 elements to [4]", () => {
    expectError(() => st.ones([2, 3]).reshape(4), ShapeError, "reshape", "6 elements", "[2, 3]", "[4]");
  });

  it("softmax over dim 3 of a 2-D tensor", () => {
    expectError(() => st.softmax(st.ones([2, 3]), 3), ShapeError, "softmax", "dim 3", "2-D", "[-2, 1]");
  });

  it("a ragged nested array", () => {
    expectError(() => st.tensor([[1, 2], [3]]), ShapeError, "tensor", "ragged", "[1]", "length 1", "expected length 2");
    expectError(() => st.tensor([1, [2, 3]] as never), ShapeError, "tensor", "ragged", "[1]");
  });

  it("gather with an index out of range", () => {
    const idx = st.tensor([[0, 5], [1, 1]]);
    expectError(() => st.gather(st.ones([2, 4]), 1, idx), IndexError, "gather", "index 5", "size 4");
  });

  it("backward() on a non-scalar without a gradient", () => {
    const y = st.ones([2, 3], { requiresGrad: true }).mul(2);
    expectError(() => y.backward(), AutogradError, "backward", "[2, 3]", "scalar");
  });

  it("a second backward through a freed graph", () => {
    const x = st.ones([2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    expectError(() => y.backward(), AutogradError, "backward", "second time", "retainGraph");
  });

  it("a float value (1.5) into an int32 tensor", () => {
    expectError(() => st.tensor([1, 1.5], { dtype: "int32" }), DTypeError, "tensor", "1.5", "int32");
    expectError(() => st.full([2], 1.5, { dtype: "int32" }), DTypeError, "full", "1.5", "int32");
    expectError(() => st.tensor(new Float32Array([1.5]), { dtype: "int32" }), DTypeError, "1.5", "int32");
    expectError(() => st.ones([2], { dtype: "int32" }).add_(1.5), DTypeError, "add_", "float32", "int32");
    // regression: fill_ silently truncated 1.5 to 1 in an int32 tensor
    const t = st.ones([2], { dtype: "int32" });
    expectError(() => t.fill_(1.5), DTypeError, "fill_", "1.5", "int32");
    expect(t.toArray()).toEqual([1, 1]);
  });
});

describe("shape errors name the op and the shapes", () => {
  it("matmul with vectors and with batch dims that do not broadcast", () => {
    expectError(() => st.matmul(st.ones([3]), st.ones([4, 5])), ShapeError, "matmul", "[3]", "[4, 5]");
    expectError(() => st.matmul(st.ones([2, 3]), st.ones([4])), ShapeError, "matmul", "[2, 3]", "[4]");
    // regression: only the batch parts [2] and [3] were named
    expectError(() => st.matmul(st.ones([2, 2, 3]), st.ones([3, 3, 4])), ShapeError, "matmul", "[2, 2, 3]", "[3, 3, 4]", "batch");
    expectError(() => st.matmul(st.ones([]), st.ones([3])), ShapeError, "matmul", "[]", "[3]");
    expectError(() => st.dot(st.ones([3]), st.ones([4])), ShapeError, "dot", "[3]", "[4]");
  });

  it("joining, splitting and broadcasting", () => {
    expectError(() => st.cat([st.ones([2, 3]), st.ones([3, 2])], 0), ShapeError, "cat", "[3, 2]", "[2, 3]");
    expectError(() => st.stack([st.ones([2, 3]), st.ones([3, 2])]), ShapeError, "stack", "[3, 2]", "[2, 3]");
    // regression: 0-d tensors crashed inside the kernel with a RangeError
    expectError(() => st.cat([st.tensor(1), st.tensor(2)]), ShapeError, "cat", "0-d");
    expectError(() => st.split(st.ones([5]), [2, 2]), ShapeError, "split", "[2, 2]", "5");
    expectError(() => st.expand(st.ones([2, 3]), [4, 3]), ShapeError, "expand", "[2, 3]", "[4, 3]");
    expectError(() => st.permute(st.ones([2, 3]), [0]), ShapeError, "permute", "[0]", "2-D");
    expectError(() => st.ones([3]).add_(st.ones([2, 3])), ShapeError, "add_", "[2, 3]", "[3]");
    expectError(() => st.where(st.tensor([true, false, true]), st.ones([2]), 0), ShapeError, "where", "[3]", "[2]");
  });

  it("dims out of range or repeated", () => {
    expectError(() => st.sum(st.ones([2, 3]), 2), ShapeError, "sum", "dim 2", "2-D");
    expectError(() => st.sum(st.ones([2, 3]), [0, -2]), ShapeError, "sum", "[0, -2]", "repeat");
    expectError(() => st.squeeze(st.ones([2, 3]), 2), ShapeError, "squeeze", "dim 2");
    expectError(() => st.cat([st.ones([2])], 1), ShapeError, "cat", "dim 1");
    expectError(() => st.max(st.ones([0, 3])), ShapeError, "max", "[0, 3]", "empty");
    expectError(() => st.zeros([2, -1]), ShapeError, "zeros", "[2, -1]");
  });

  it("index ops", () => {
    expectError(() => st.indexSelect(st.ones([2, 3]), 0, st.tensor([2])), IndexError, "indexSelect", "index 2", "size 2");
    expectError(() => st.gather(st.ones([2, 3]), 0, st.tensor([0, 1])), ShapeError, "gather", "1 dims", "2");
    expectError(() => st.gather(st.ones([2, 3]), 0, st.tensor([[0.5]], { dtype: "float32" })), DTypeError, "gather", "int32", "float32");
    expectError(() => st.scatterAdd(st.ones([2, 3]), 1, st.tensor([[0, 3]]), st.ones([1, 2])), IndexError, "scatterAdd", "index 3", "size 3");
    expectError(() => st.indexAdd(st.ones([2, 3]), 0, st.tensor([0]), st.ones([2, 3])), ShapeError, "indexAdd", "[2, 3]", "[1, 3]");
    expectError(() => st.index(st.ones([2, 3]), 5), IndexError, "index", "index 5", "size 2");
    expectError(() => st.narrow(st.ones([4]), 0, 3, 2), IndexError, "narrow", "start 3", "length 2", "size 4");
    expectError(() => st.oneHot(st.tensor([0, 3]), 3), IndexError, "oneHot", "index 3", "3");
  });
});

describe("dtype and value errors", () => {
  it("int and bool tensors cannot require grad", () => {
    expectError(() => st.tensor([1, 2], { dtype: "int32", requiresGrad: true }), DTypeError, "int32", "floating");
    expectError(() => st.tensor([true]).requiresGrad_(), DTypeError, "bool");
  });

  it("wrong operand kinds", () => {
    expectError(() => st.where(st.ones([2]), 1, 0), DTypeError, "where", "bool", "float32");
    expectError(() => st.exp(5 as never), DTypeError, "exp", "number");
    expectError(() => st.tensor([1, true] as never), DTypeError, "tensor", "booleans and numbers");
    expectError(() => st.tensor([1], { dtype: "float16" as never }), DTypeError, "float16");
    expectError(() => st.sub(st.tensor([true]), st.tensor([false])), DTypeError, "sub", "bool");
    expectError(() => st.maskedFill(st.ones([2]), st.ones([2]), 0), DTypeError, "maskedFill", "bool", "float32");
  });

  it("bad arguments", () => {
    // regression: min > max was reported as a DTypeError
    expectError(() => st.clamp(st.ones([2]), 2, 1), ValueError, "clamp", "2", "1");
    expectError(() => st.norm(st.ones([2]), "nuc" as never), ValueError, "norm", "nuc");
    expectError(() => st.arange(0, 10, 0), ValueError, "arange", "step");
    expectError(() => st.linspace(0, 1, 2.5), ValueError, "linspace", "2.5");
    expectError(() => st.tensor([1, 2]).item(), ValueError, "item", "[2]");
    expectError(() => st.slice(st.ones([4]), [0, 4, 0]), ValueError, "slice", "step");
    expectError(() => st.chunk(st.ones([4]), 0), ValueError, "chunk", "0");
    // regression: 2 ** −1 silently became 0 in int32 (PyTorch raises)
    expectError(() => st.pow(st.tensor([2, 3]), -1), ValueError, "pow", "-1", "int32");
    expect(st.pow(st.tensor([2, 1, -1]), st.tensor([-1, -1, -1])).toArray()).toEqual([0, 1, -1]); // tensor exponents: PyTorch's integer results
  });
});

describe("autograd misuse", () => {
  it("gradient of the wrong shape, unused inputs, outputs without grad", () => {
    const x = st.ones([2], { requiresGrad: true });
    expectError(() => x.mul(2).backward(st.ones([3])), ShapeError, "backward", "[3]", "[2]");
    const unused = st.ones([1], { requiresGrad: true });
    expectError(() => st.autograd.grad(x.mul(2).sum(), [unused]), AutogradError, "grad", "input 0", "allowUnused");
    expectError(() => st.ones([2, 2]).sum().backward(), AutogradError, "backward", "does not require grad");
  });

  it("in-place on a leaf that requires grad", () => {
    const w = st.ones([2], { requiresGrad: true });
    expectError(() => w.add_(1), AutogradError, "add_", "leaf", "noGrad");
    expectError(() => w.fill_(0), AutogradError, "fill_", "leaf");
  });

  it("every error is a SteadyError with its class name", () => {
    const e = expectError(() => st.add(st.ones([2]), st.ones([3])), ShapeError);
    expect(e).toBeInstanceOf(SteadyError);
    expect(e.name).toBe("ShapeError");
  });
});
