// A leaf's `.grad` is its own tensor (PyTorch's rule): the engine hands a gradient over as `.grad`
// without a copy only when no other tensor holds that memory, so writing into one `.grad` never
// changes another. Also: a gradient hook that returns a wrong shape or a non-tensor is named.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { AutogradError } from "../src/index.js";
import { expectError } from "./helpers/expect-error.js";

const leaf = (v: number[]) => st.tensor(v, { requiresGrad: true });

describe(".grad tensors never alias", () => {
  it("a.add(b).sum().backward() gives a and b separate gradients", () => {
    const a = leaf([1, 2, 3]);
    const b = leaf([4, 5, 6]);
    a.add(b).sum().backward();
    expect(a.grad).not.toBe(b.grad);
    expect(a.grad!.toArray()).toEqual([1, 1, 1]);
    expect(b.grad!.toArray()).toEqual([1, 1, 1]);
    a.grad!.mul_(10);
    expect(a.grad!.toArray()).toEqual([10, 10, 10]);
    expect(b.grad!.toArray()).toEqual([1, 1, 1]);
  });

  it("clipGradNorm counts both gradients: √6 = 2.449, as PyTorch", () => {
    const a = leaf([1, 2, 3]);
    const b = leaf([4, 5, 6]);
    a.add(b).sum().backward();
    const total = st.nn.utils.clipGradNorm([a, b], 100);
    expect(total.item()).toBeCloseTo(Math.sqrt(6), 6);
  });

  it("a leaf that is itself the root does not alias the seed gradient the user passed", () => {
    const x = leaf([1, 2]);
    const seed = st.tensor([3, 4], { dtype: "float32" });
    x.backward(seed);
    expect(x.grad!.toArray()).toEqual([3, 4]);
    seed.mul_(0);
    expect(x.grad!.toArray()).toEqual([3, 4]);
  });

  it("a reshape view of another leaf's gradient is copied too", () => {
    const a = leaf([1, 2, 3, 4]);
    const b = st.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    a.add(b.reshape([4])).mul(2).sum().backward();
    a.grad!.zero_();
    expect(b.grad!.toArray()).toEqual([[2, 2], [2, 2]]);
  });

  it("a retained non-leaf gradient and a leaf gradient are separate", () => {
    const a = leaf([1, 2]);
    const h = a.mul(3);
    h.retainGrad();
    const y = h.add(a);
    y.retainGrad();
    y.sum().backward();
    y.grad!.mul_(100);
    expect(h.grad!.toArray()).toEqual([1, 1]);
    expect(a.grad!.toArray()).toEqual([4, 4]);
  });

  it("a gradient a leaf hook saw (and may keep) is copied before it becomes .grad", () => {
    const a = leaf([1, 2, 3]);
    let seen: st.Tensor | null = null;
    a.registerHook((g) => {
      seen = g;
    });
    a.mul(2).sum().backward();
    expect(seen!.toArray()).toEqual([2, 2, 2]);
    expect(a.grad).not.toBe(seen);
    seen!.zero_();
    expect(a.grad!.toArray()).toEqual([2, 2, 2]);
  });
});

describe("gradient hooks that return the wrong thing", () => {
  it("a leaf hook returning the wrong shape is named, with the expected shape", () => {
    const a = leaf([1, 2, 3]);
    a.registerHook(() => st.ones([2]));
    expectError(() => a.mul(2).sum().backward(), AutogradError, "gradient hook", "leaf", "[2]", "expected [3]");
  });

  it("a non-leaf hook returning the wrong shape is named (not blamed on expand)", () => {
    const a = leaf([1, 2, 3]);
    const h = a.mul(2);
    h.registerHook(() => st.ones([3, 3]));
    const e = expectError(() => h.sum().backward(), AutogradError, "gradient hook", '"mul"', "[3, 3]", "expected [3]");
    expect(e.message).not.toContain("expand");
  });

  it("a hook returning a non-tensor is named", () => {
    const a = leaf([1, 2, 3]);
    const h = a.mul(2);
    h.registerHook((() => 5) as never);
    expectError(() => h.sum().backward(), AutogradError, "gradient hook", "returned number", "expected a Tensor of shape [3]");
    const b = leaf([1]);
    b.registerHook((() => [1]) as never);
    expectError(() => b.mul(2).sum().backward(), AutogradError, "gradient hook", "returned an array");
  });

  it("the second of two hooks is numbered", () => {
    const a = leaf([1, 2]);
    a.registerHook((g) => g.mul(2));
    a.registerHook(() => st.ones([5]));
    expectError(() => a.sum().backward(), AutogradError, "gradient hook 2 of 2", "[5]", "expected [2]");
  });

  it("a hook returning a right-shaped tensor replaces the gradient", () => {
    const a = leaf([1, 2]);
    a.registerHook((g) => g.mul(3));
    a.sum().backward();
    expect(a.grad!.toArray()).toEqual([3, 3]);
  });
});

describe(".grad tensors are writable in place", () => {
  it("a gradient that a rule made with expand or permute can be scaled in place (clipping does)", () => {
    const a = leaf([1, 2, 3]);
    a.sum().backward(); // sum's rule expands the seed
    a.grad!.mul_(2);
    expect(a.grad!.toArray()).toEqual([2, 2, 2]);
    const w = st.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    w.T.mul(st.tensor([[1, 2], [3, 4]])).sum().backward(); // permute's rule permutes the gradient
    w.grad!.zero_();
    expect(w.grad!.toArray()).toEqual([[0, 0], [0, 0]]);
    const [g] = st.autograd.grad(a.mul(1).sum(), [a]);
    g!.add_(1);
    expect(g!.toArray()).toEqual([2, 2, 2]);
  });
});
