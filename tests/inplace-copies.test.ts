// In-place ops on the copies that slice, .T, permute, narrow, split, expand return are refused
// with an error that names the idiom (they would silently leave the source unchanged: a ported
// w[:, :k].zero_() did nothing). Reshape views share storage and keep working. The idiom for
// writing into part of a tensor is sliceAssign_, with autograd.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { AutogradError, DTypeError, ShapeError, ValueError } from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectError } from "./helpers/expect-error.js";

const y = () => st.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });

const COPIES: Record<string, (t: Tensor) => Tensor> = {
  "slice(0, 1)": (t) => t.slice(0, 1),
  "slice(null, [0, 2])": (t) => t.slice(null, [0, 2]),
  "index(0)": (t) => t.index(0),
  T: (t) => t.T,
  mT: (t) => t.mT,
  "transpose(0, 1)": (t) => t.transpose(0, 1),
  "permute([1, 0])": (t) => t.permute([1, 0]),
  "narrow(1, 0, 2)": (t) => t.narrow(1, 0, 2),
  "split(1)[0]": (t) => t.split(1)[0]!,
  "chunk(3, 1)[1]": (t) => t.chunk(3, 1)[1]!,
  "expand([2, 2, 3])": (t) => t.expand([2, 2, 3]),
  "T.reshape(6)": (t) => t.T.reshape(6),
  "slice(0, 1).detach()": (t) => t.slice(0, 1).detach(),
};

const INPLACE: Record<string, (t: Tensor) => unknown> = {
  "mul_": (t) => t.mul_(10),
  "add_": (t) => t.add_(1),
  "sub_": (t) => t.sub_(1),
  "div_": (t) => t.div_(2),
  "clamp_": (t) => t.clamp_(0, 1),
  "zero_": (t) => t.zero_(),
  "fill_": (t) => t.fill_(3),
  "copy_": (t) => t.copy_(st.zerosLike(t)),
  "sliceAssign_": (t) => t.sliceAssign_([], 0),
};

describe("in-place ops on copies are refused, naming the op that copied and the idiom", () => {
  for (const [copy, make] of Object.entries(COPIES)) {
    for (const [name, f] of Object.entries(INPLACE)) {
      it(`${copy}.${name}`, () => {
        const src = y();
        const c = make(src);
        expectError(() => f(c), ValueError, name, "copy, not a view", "sliceAssign_", "clone()");
        expect(src.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
      });
    }
  }

  it("the error says which op made the copy (.T is permute)", () => {
    expectError(() => y().T.mul_(2), ValueError, "permute", ".T");
    expectError(() => y().slice(0, 1).zero_(), ValueError, "made by slice");
    expectError(() => y().expand([2, 2, 3]).zero_(), ValueError, "made by expand");
  });

  it("in-place ops on reshape views still write the source; a clone() of a copy is writable", () => {
    const src = y();
    src.reshape(6).mul_(10);
    expect(src.toArray()).toEqual([[10, 20, 30], [40, 50, 60]]);
    src.view(3, 2).zero_();
    expect(src.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    const c = y().T.clone().mul_(2);
    expect(c.toArray()).toEqual([[2, 8], [4, 10], [6, 12]]);
  });

  it("a slice that selects everything is the tensor itself and stays writable", () => {
    const src = y();
    src.slice().mul_(2);
    src.slice(0, 2).add_(1);
    expect(src.toArray()).toEqual([[3, 5, 7], [9, 11, 13]]);
  });

  it("a parameter made from a copy is an ordinary tensor (an optimizer may update it)", () => {
    const p = new st.nn.Parameter(y().T);
    st.noGrad(() => p.mul_(2));
    expect(p.toArray()).toEqual([[2, 8], [4, 10], [6, 12]]);
  });
});

describe("sliceAssign_: writing into part of a tensor", () => {
  it("w.sliceAssign_([null, [0, 2]], 0) is PyTorch's w[:, :2] = 0, in place, and bumps the version", () => {
    const w = y();
    const v = w.version;
    const r = w.sliceAssign_([null, [0, 2]], 0);
    expect(r).toBe(w);
    expect(w.toArray()).toEqual([[0, 0, 3], [0, 0, 6]]);
    expect(w.version).toBe(v + 1);
  });

  it("single indices drop dims, values broadcast, steps and negative indices work", () => {
    const w = st.zeros([3, 4], { dtype: "int32" });
    w.sliceAssign_([1], st.tensor([7, 8, 9, 10]));
    w.sliceAssign_([[0, 3, 2], -1], st.tensor([5, 6]));
    w.sliceAssign_([2, [0, 2]], st.tensor([1]));
    expect(w.toArray()).toEqual([[0, 0, 0, 5], [7, 8, 9, 10], [1, 1, 0, 6]]);
    const b = st.zeros([2, 2], { dtype: "bool" });
    b.sliceAssign_([0], true);
    expect(b.toArray()).toEqual([[true, true], [false, false]]);
  });

  it("a float64 value into float32 is cast; a float into int32, a wrong shape or bad specs are refused", () => {
    const w = y();
    w.sliceAssign_([0, 0], st.tensor([0.5], { dtype: "float64" }).reshape([]));
    expect(w.index(0, 0).item()).toBe(0.5);
    expectError(() => st.zeros([2], { dtype: "int32" }).sliceAssign_([0], 1.5), DTypeError, "sliceAssign_", "1.5");
    expectError(() => st.zeros([2], { dtype: "int32" }).sliceAssign_([], st.ones([2])), DTypeError, "sliceAssign_", "float32", "int32");
    expectError(() => y().sliceAssign_([null, [0, 2]], st.ones([3])), ShapeError, "sliceAssign_", "[3]", "[2, 2]");
    expectError(() => y().sliceAssign_(0 as never, 1), ValueError, "sliceAssign_", "array");
    expectError(() => y().sliceAssign_([5], 1), Error, "sliceAssign_", "index 5");
  });

  it("a leaf that requires grad cannot be written while recording (as every in-place op)", () => {
    const w = y().requiresGrad_();
    expectError(() => w.sliceAssign_([0], 1), AutogradError, "sliceAssign_", "leaf");
  });

  it("the gradient flows to the value (summed over its broadcast) and to the untouched part", () => {
    const x = st.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const v = st.tensor([10, 20], { requiresGrad: true });
    const h = x.mul(1);
    h.sliceAssign_([null, 1], v);
    h.mul(st.tensor([[1, 2, 3], [4, 5, 6]])).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 0, 3], [4, 0, 6]]);
    expect(v.grad!.toArray()).toEqual([2, 5]);
    const s = st.tensor(2, { requiresGrad: true });
    const h2 = x.mul(1);
    h2.sliceAssign_([[0, 2], [0, 2]], s);
    h2.sum().backward();
    expect(s.grad!.item()).toBe(4);
  });

  it("passes a float64 gradcheck for both the tensor and the value", () => {
    const x = st.randn([3, 4], { dtype: "float64", generator: new st.Generator(5) }).requiresGrad_();
    const v = st.randn([3, 1], { dtype: "float64", generator: new st.Generator(6) }).requiresGrad_();
    const f = (a: Tensor, b: Tensor) => {
      const h = a.mul(a);
      h.sliceAssign_([null, [1, 4, 2]], b.mul(b));
      return h.mul(a);
    };
    const r = st.gradcheck(f, [x, v]);
    expect(r.ok, r.message).toBe(true);
  });

  it("a tensor saved before the write raises the usual version error at backward", () => {
    const x = st.tensor([1, 2, 3], { requiresGrad: true });
    const h = x.mul(1);
    const z = h.square();
    h.sliceAssign_([0], 5);
    expectError(() => z.sum().backward(), AutogradError, "modified by an in-place op");
  });
});
