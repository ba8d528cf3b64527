// Plain-JavaScript misuse found when trying the library as a new user would: each call raised a
// raw TypeError/RangeError/SyntaxError (or blamed another function); now each raises the
// library's typed error naming the function, what it got and what it expected. Bare numbers are
// accepted as shapes where PyTorch accepts them.

import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { AutogradError, DTypeError, ShapeError, SteadyError, ValueError } from "../src/index.js";
import { expectError } from "./helpers/expect-error.js";

const initial = st.getBackend();
afterAll(() => st.setBackend(initial));

describe("bare numbers as shapes, as in PyTorch", () => {
  it("zeros(3), ones(2, 3), randn(2, 3), rand(4) as well as the array forms", () => {
    expect(st.zeros(3).shape).toEqual([3]);
    expect(st.zeros(1).toArray()).toEqual([0]);
    expect(st.ones(2, 3).toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(st.ones(2, 3, { dtype: "int32" }).dtype).toBe("int32");
    expect(st.randn(2, 3).shape).toEqual([2, 3]);
    expect(st.randn([2, 3]).shape).toEqual([2, 3]);
    expect(st.rand(4, { dtype: "float64" }).dtype).toBe("float64");
    expect(st.zeros().shape).toEqual([]);
    expect(st.full(2, 7).toArray()).toEqual([7, 7]);
  });

  it("the same seed gives the same samples through either form", () => {
    st.manualSeed(3);
    const a = st.randn(2, 3).toArray();
    st.manualSeed(3);
    expect(st.randn([2, 3]).toArray()).toEqual(a);
  });
});

describe("misuse gets typed errors naming the function, what it got and what it expected", () => {
  it("shapes that are not shapes", () => {
    expectError(() => st.zeros("3" as never), ShapeError, "zeros", '"3"', "zeros([2, 3])");
    expectError(() => st.ones([2, "a"] as never), ShapeError, "ones", "size 1", '"a"', "non-negative integer");
    expectError(() => st.zeros([2.5]), ShapeError, "zeros", "2.5");
    expectError(() => st.randn(2, -1), ShapeError, "randn", "-1");
    expectError(() => (st.zeros as (...a: unknown[]) => st.Tensor)(2, 3, "float64"), ValueError, "zeros", "options object", "\"float64\"");
    expectError(() => (st.zeros as (...a: unknown[]) => st.Tensor)([2], 5), ValueError, "zeros", "options object", "5");
  });

  it("x.sum({dim: 1}) and other dims that are not dims", () => {
    const x = st.ones([2, 3]);
    expectError(() => x.sum({ dim: 1 } as never), ValueError, "sum", "dims", "{dim}", "x.sum(1)");
    expectError(() => x.mean("1" as never), ValueError, "mean", '"1"');
    expectError(() => x.max([0, "1"] as never), ValueError, "max", "dims");
    expect(x.sum(1).toArray()).toEqual([3, 3]);
  });

  it("x.matmul('foo') and x.matmul(undefined)", () => {
    const x = st.ones([2, 2]);
    expectError(() => x.matmul("foo" as never), DTypeError, "matmul", "second operand", '"foo"', "Tensor");
    expectError(() => x.matmul(undefined as never), DTypeError, "matmul", "second operand", "undefined", "Tensor");
    expectError(() => st.matmul(null as never, x), DTypeError, "matmul", "first operand", "null");
    expectError(() => st.dot(x, [1, 2] as never), DTypeError, "dot", "[1, 2]");
    expectError(() => st.outer(3 as never, x), DTypeError, "outer", "3");
  });

  it("x.to('float16') names the dtypes there are", () => {
    expectError(() => st.ones([2]).to("float16" as never), DTypeError, "to", '"float16"', '"float32"', '"float64"');
    expectError(() => st.cast(st.ones([2]), "half" as never), DTypeError, "cast", '"half"');
  });

  it("st.manualSeed('abc')", () => {
    expectError(() => st.manualSeed("abc" as never), ValueError, "manualSeed", '"abc"', "integer or a bigint");
    expectError(() => new st.Generator({} as never), ValueError, "seed", "object");
    expect(() => st.manualSeed(12345678901234567890n)).not.toThrow();
  });

  it("st.zeros([1e6, 1e6]) and st.arange(0, 1e12) say how many bytes were asked for", () => {
    expectError(() => st.zeros([1e6, 1e6]), ValueError, "zeros", "[1000000, 1000000]", "4000000000000 bytes", "4.00 TB");
    expectError(() => st.ones([1e6, 1e6], { dtype: "float64" }), ValueError, "ones", "8000000000000 bytes");
    expectError(() => st.arange(0, 1e12), ValueError, "arange", "1000000000000", "bytes");
    expectError(() => st.randn(1e5, 1e5), ValueError, "randn", "40000000000 bytes");
  });

  it("st.ones([1]).expand(1e12) is refused at once with the byte count", () => {
    expectError(() => st.ones([1]).expand(1e12), ValueError, "expand", "4000000000000 bytes");
    expectError(() => st.ones([1]).expand([2.5]), ShapeError, "expand", "2.5");
  });

  it("x.repeat(-1) blames repeat, not reshape", () => {
    const e = expectError(() => st.ones([2]).repeat(-1), ShapeError, "repeat", "[-1]", "non-negative");
    expect(e.message).not.toContain("reshape");
    expectError(() => st.ones([2]).repeat(1e6, 1e6), ValueError, "repeat", "bytes");
    expect(st.tensor([1, 2]).repeat(2).toArray()).toEqual([1, 2, 1, 2]);
  });

  it("st.eye(-1) blames eye, not zeros", () => {
    const e = expectError(() => st.eye(-1), ShapeError, "eye", "-1");
    expect(e.message.startsWith("eye")).toBe(true);
    expectError(() => st.eye(2, 1.5), ShapeError, "eye", "1.5");
    expect(st.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it("x.slice(1.5) says 'not an integer'", () => {
    const e = expectError(() => st.ones([2]).slice(1.5), ValueError, "slice", "1.5", "not an integer");
    expect(e.message).not.toContain("out of range");
  });

  it("setBackend('gpu') raises a typed error listing the backends", () => {
    const e = expectError(() => st.setBackend("gpu"), ValueError, "setBackend", '"gpu"', '"js"');
    expect(e).toBeInstanceOf(SteadyError);
  });

  it("st.full([2], 'a') raises instead of filling NaN", () => {
    expectError(() => st.full([2], "a" as never), DTypeError, "full", '"a"');
  });

  it("a gradient hook returning a non-tensor names the hook", () => {
    const a = st.tensor([1, 2], { requiresGrad: true });
    a.registerHook((() => "g") as never);
    expectError(() => a.sum().backward(), AutogradError, "gradient hook", "string", "expected a Tensor of shape [2]");
  });
});
