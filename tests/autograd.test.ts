// Autograd: accumulation, retainGraph, detach/noGrad, gradients of gradients and Hessian-vector
// products, hooks, retainGrad, in-place ops and their version checks, deep graphs, broadcast
// reduction and dtype handling of gradients.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { AutogradError, DTypeError, type Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";

const f64 = (data: number[] | number[][], requiresGrad = true) => st.tensor(data, { dtype: "float64", requiresGrad });

describe("backward basics", () => {
  it("computes d/dx Σ x² = 2x and accumulates across two backwards", () => {
    const x = f64([1, -2, 3]);
    x.square().sum().backward();
    expectClose(x.grad!, [2, -4, 6]);
    x.mul(3).sum().backward();
    expectClose(x.grad!, [5, -1, 9]);
  });

  it("accumulates over every path to a leaf within one backward (diamond)", () => {
    const x = f64([2]);
    const a = x.mul(3);
    const b = x.square();
    a.mul(b).sum().backward(); // d/dx 3x³ = 9x²
    expectClose(x.grad!, [36]);
  });

  it("retainGraph allows a second backward; without it the second raises", () => {
    const x = f64([1, 2]);
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expectClose(x.grad!, [2 * Math.E, 2 * Math.exp(2)]);
    expectError(() => y.backward(), AutogradError, "second time");
  });

  it("backward on a non-scalar needs a gradient of the output's shape", () => {
    const x = f64([1, 2, 3]);
    const y = x.mul(2);
    expectError(() => y.backward(), AutogradError, "scalar", "[3]");
    y.backward(st.tensor([1, 0.5, -1], { dtype: "float64" }));
    expectClose(x.grad!, [2, 1, -2]);
    st.autograd.backward(x.square().sum());
    expectClose(x.grad!, [4, 5, 4]);
  });

  it("a scalar leaf's own backward gives gradient 1", () => {
    const x = st.tensor(3, { dtype: "float64", requiresGrad: true });
    x.backward();
    expect(x.grad!.item()).toBe(1);
  });
});

describe("detach and grad modes", () => {
  it("detach shares the values but cuts the graph", () => {
    const x = f64([1, 2]);
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    expect(d.toArray()).toEqual([1, 2]);
    x.mul(d).sum().backward(); // d is a constant: gradient is d, not 2x
    expectClose(x.grad!, [1, 2]);
    expect(st.detach(x).isLeaf).toBe(true);
  });

  it("noGrad records nothing; enableGrad re-enables inside it; the mode is restored after a throw", () => {
    const x = f64([1, 2]);
    const y = st.noGrad(() => x.mul(2).exp());
    expect(y.gradFn).toBeNull();
    expect(y.requiresGrad).toBe(false);
    const z = st.noGrad(() => st.enableGrad(() => x.mul(2)));
    expect(z.requiresGrad).toBe(true);
    expect(z.gradFn?.op).toBe("mul");
    expect(() => st.noGrad(() => { throw new Error("boom"); })).toThrow("boom");
    expect(st.isGradEnabled()).toBe(true);
  });

  it("ops on tensors that do not require grad record nothing", () => {
    const a = st.ones([2]);
    const b = a.mul(2).exp();
    expect(b.requiresGrad).toBe(false);
    expect(b.gradFn).toBeNull();
  });
});

describe("gradients of gradients", () => {
  it("x³ → 3x² → 6x with createGraph", () => {
    const x = f64([1, 2, -3]);
    const [dy] = st.autograd.grad(x.pow(3).sum(), [x], { createGraph: true });
    expectClose(dy!, [3, 12, 27]);
    expect(dy!.requiresGrad).toBe(true);
    const [d2y] = st.autograd.grad(dy!.sum(), [x]);
    expectClose(d2y!, [6, 12, -18]);
    expect(x.grad).toBeNull(); // grad returns, it does not accumulate
  });

  it("the Hessian-vector product of xᵀAx is (A + Aᵀ)v", () => {
    const A = st.tensor([[1, 2, 0], [-1, 3, 4], [2, 0.5, -2]], { dtype: "float64" });
    const x = f64([0.3, -1.2, 2]);
    const v = st.tensor([1, -2, 0.5], { dtype: "float64" });
    const expected = st.matmul(A.add(A.T), v);
    const quad = (t: Tensor) => st.dot(t, st.matmul(A, t));
    const { out, hvp } = st.autograd.hvp(quad, [x], [v]);
    expectClose(out, st.dot(x, st.matmul(A, x)));
    expectClose(hvp[0]!, expected);
    // the same by hand: ∇ₓ (∇ₓf · v)
    const [g] = st.autograd.grad(quad(x), [x], { createGraph: true });
    const [h] = st.autograd.grad(st.dot(g!, v), [x]);
    expectClose(h!, expected);
  });

  it("prod's second derivative is right (regression: it was 0)", () => {
    const x = f64([2, 3, 5]);
    const [g] = st.autograd.grad(x.prod(), [x], { createGraph: true });
    expectClose(g!, [15, 10, 6]);
    const [h] = st.autograd.grad(g!.sum(), [x]); // Σⱼ ∂²/∂xᵢ∂xⱼ = Σ_{j≠i} Π_{k≠i,j} x_k
    expectClose(h!, [5 + 3, 5 + 2, 3 + 2]);
  });

  it("vjp returns the output and vᵀJ", () => {
    const x = f64([1, 2]);
    const { out, vjp } = st.autograd.vjp((t) => t.square(), [x], st.tensor([1, 3], { dtype: "float64" }));
    expectClose(out, [1, 4]);
    expectClose(vjp[0]!, [2, 12]);
  });

  it("allowUnused gives null for inputs the output does not use", () => {
    const x = f64([1]);
    const unused = f64([1]);
    const [gx, gu] = st.autograd.grad(x.mul(2).sum(), [x, unused], { allowUnused: true });
    expectClose(gx!, [2]);
    expect(gu).toBeNull();
  });
});

describe("hooks and retainGrad", () => {
  it("a leaf hook observes the gradient once, and can replace it", () => {
    const x = f64([1, 2]);
    const seen: number[][] = [];
    x.registerHook((g) => void seen.push(g.toArray() as number[]));
    x.mul(x).sum().backward();
    expect(seen).toEqual([[2, 4]]);
    const y = f64([1, 2]);
    y.registerHook((g) => g.mul(10));
    y.sum().backward();
    expectClose(y.grad!, [10, 10]);
  });

  it("a non-leaf hook's replacement flows to the leaves; the remover stops it", () => {
    const x = f64([1, 2]);
    const h = x.mul(3);
    const remove = h.registerHook((g) => g.mul(2));
    h.sum().backward(undefined, { retainGraph: true });
    expectClose(x.grad!, [6, 6]);
    remove();
    x.grad = null;
    h.sum().backward();
    expectClose(x.grad!, [3, 3]);
  });

  it("retainGrad keeps a non-leaf's gradient; without it .grad stays null", () => {
    const x = f64([1, 2]);
    const h = x.mul(2);
    const k = x.mul(3);
    h.retainGrad();
    h.square().add(k).sum().backward();
    expectClose(h.grad!, [4, 8]);
    expect(k.grad).toBeNull();
  });
});

describe("in-place ops", () => {
  it("add_ / mul_ on a non-leaf in a graph give the right gradients", () => {
    const x = f64([1, 2]);
    const y = x.mul(2);
    y.add_(x); // y = 3x
    y.mul_(x); // y = 3x²
    y.sum().backward();
    expectClose(x.grad!, [6, 12]);
    expect(y.version).toBe(2);
  });

  it("modifying a tensor the backward still needs raises", () => {
    const x = f64([1, 2]);
    const y = x.exp(); // exp saves its output
    y.add_(1);
    expectError(() => y.sum().backward(), AutogradError, "in-place", "modified", "exp");

    const a = f64([1, 2]).mul(1);
    const b = f64([3, 4]);
    const z = a.mul(b); // mul saves a and b
    a.mul_(2);
    expectError(() => z.sum().backward(), AutogradError, "in-place", "mul");
  });

  it("in-place on a leaf that requires grad raises outside noGrad, works inside it", () => {
    const w = f64([1, 2]);
    expectError(() => w.sub_(1), AutogradError, "sub_", "leaf");
    st.noGrad(() => w.sub_(0.5));
    expect(w.toArray()).toEqual([0.5, 1.5]);
    expect(w.isLeaf).toBe(true);
    // an optimizer-style update after the forward invalidates the saved values, as in PyTorch
    const loss = w.mul(w).sum();
    st.noGrad(() => w.add_(1));
    expectError(() => loss.backward(), AutogradError, "modified");
  });

  it("a recorded in-place write through a view makes the other views unusable (regression: silently wrong gradients)", () => {
    // y = x·1 and v = y viewed as [2, 1]; v.mul_(2) doubles y's values, but y's gradFn is still
    // "x·1": backpropagating through y used to give 1 instead of 2. Now using y raises.
    const x = f64([1, 2]);
    const y = x.mul(1);
    const v = y.reshape(2, 1);
    v.mul_(2);
    expect(y.toArray()).toEqual([2, 4]);
    expectError(() => y.sum(), AutogradError, "sum", "view", "in place");
    expectError(() => y.backward(st.onesLike(y)), AutogradError, "backward", "view");
    expectError(() => y.add_(1), AutogradError, "add_", "view");
    // the written view itself is fine, and so are views made afterwards
    v.sum().backward();
    expectClose(x.grad!, [2, 2]);
    const w = f64([1, 2]);
    const h = w.mul(1);
    const s = h.reshape(2, 1);
    h.mul_(3);
    expectError(() => s.sum(), AutogradError, "view");
    h.reshape(1, 2).sum().backward();
    expectClose(w.grad!, [3, 3]);
  });

  it("a recorded in-place write through a view of a leaf that requires grad makes the leaf unusable", () => {
    const w = f64([1, 2]);
    w.reshape(2, 1).add_(1);
    expectError(() => w.mul(2), AutogradError, "mul", "view");
    // optimizer-style updates under noGrad are not recorded and stay allowed
    const p = f64([1, 2]);
    st.noGrad(() => p.reshape(2, 1).sub_(0.5));
    p.mul(2).sum().backward();
    expectClose(p.grad!, [2, 2]);
  });

  it("a write through a detached alias is seen by the version check", () => {
    const x = f64([1, 2]);
    const y = x.sin();
    x.detach().mul_(2);
    expectError(() => y.sum().backward(), AutogradError, "in-place");
  });
});

describe("deep graphs and shapes", () => {
  it("a chain of 100,000 ops backpropagates without stack overflow", () => {
    const x = st.tensor([1], { dtype: "float64", requiresGrad: true });
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.add(1e-6);
    y.mul(3).sum().backward();
    expectClose(x.grad!, [3]);
    expectClose(y, [1.1], { rtol: 1e-9, atol: 1e-9 });
  });

  it("broadcast gradients are reduced to each input's shape", () => {
    const a = f64([[1, 2, 3], [4, 5, 6]]);
    const b = f64([10, 20, 30]);
    const c = st.tensor([[2]], { dtype: "float64", requiresGrad: true });
    a.mul(b).add(c).sum().backward();
    expect(b.grad!.shape).toEqual([3]);
    expectClose(b.grad!, [5, 7, 9]);
    expect(c.grad!.shape).toEqual([1, 1]);
    expectClose(c.grad!, [[6]]);
    expectClose(a.grad!, [[10, 20, 30], [10, 20, 30]]);
    const p = st.randn([4, 1, 3], { dtype: "float64", requiresGrad: true });
    const q = st.randn([2, 1], { dtype: "float64", requiresGrad: true });
    p.mul(q).sum().backward();
    expect(p.grad!.shape).toEqual([4, 1, 3]);
    expect(q.grad!.shape).toEqual([2, 1]);
    expectClose(q.grad!, st.full([2, 1], p.sum().item(), { dtype: "float64" }));
  });

  it("subgradients at ties and kinks follow PyTorch", () => {
    // values from PyTorch 1.13: ties share the gradient of max/amax/maximum equally
    const x = f64([1, 3, 3]);
    x.max().backward();
    expectClose(x.grad!, [0, 0.5, 0.5]);
    const m = f64([[1, 3, 3], [2, 2, 2]]);
    m.amax(1).sum().backward();
    expectClose(m.grad!, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]]);
    const a = f64([1, 2]);
    const b = f64([1, 3]);
    st.maximum(a, b).sum().backward();
    expectClose(a.grad!, [0.5, 0]);
    expectClose(b.grad!, [0.5, 1]);
    // clamp passes the gradient at its bounds, relu and abs give 0 at 0
    const c = f64([0, 1, 2]);
    c.clamp(0, 1).sum().backward();
    expectClose(c.grad!, [1, 1, 0]);
    const r = f64([0, 1]);
    r.relu().add(r.abs()).sum().backward();
    expectClose(r.grad!, [0, 2]);
  });

  it("int and bool tensors cannot require grad", () => {
    expectError(() => st.tensor([1, 2], { dtype: "int32" }).requiresGrad_(), DTypeError, "int32");
    expectError(() => st.tensor([true]).requiresGrad_(), DTypeError, "bool");
    // integer-valued results of float ops do not carry gradients either
    const x = f64([1, 3, 2]);
    expect(x.argmax().requiresGrad).toBe(false);
    expect(x.gt(1).requiresGrad).toBe(false);
  });

  it("mixing float64 and float32 gives each input a gradient in its own dtype", () => {
    const a = st.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const b = st.tensor([3, 4], { dtype: "float32", requiresGrad: true });
    const y = a.mul(b);
    expect(y.dtype).toBe("float64");
    y.sum().backward();
    expect(a.grad!.dtype).toBe("float64");
    expect(b.grad!.dtype).toBe("float32");
    expectClose(a.grad!, [3, 4]);
    expectClose(b.grad!, [1, 2]);
    const c = st.tensor([0.5], { dtype: "float32", requiresGrad: true });
    c.double().mul(3).sum().backward();
    expect(c.grad!.dtype).toBe("float32");
    expectClose(c.grad!, [3]);
  });
});
