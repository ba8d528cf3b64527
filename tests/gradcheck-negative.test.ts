// gradcheck and gradgradcheck must be able to fail: every gradcheck-based test in the suite is only
// as good as these. Each broken op below has a correct forward and a hand-written wrong backward
// (built from detach() and gradient hooks, the only ways user code can bend autograd), and the
// checker must reject it and name the input and element. A correct twin of each is accepted.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { randomTensor } from "./helpers/data.js";

/**
 * `value` in the forward, the gradient of `surrogate` in the backward (the straight-through trick):
 * value.detach() + surrogate − surrogate.detach().
 */
function withGradOf(value: Tensor, surrogate: Tensor): Tensor {
  return value.detach().add(surrogate.sub(surrogate.detach()));
}

/**
 * A copy of x whose incoming gradient is replaced by hook(g) (registerHook on a non-leaf; under
 * noGrad, as in gradcheck's numerical pass, there is no gradient to hook).
 */
function hooked(x: Tensor, hook: (g: Tensor) => Tensor): Tensor {
  const y = x.mul(1);
  if (y.requiresGrad) y.registerHook(hook);
  return y;
}

const x23 = () => randomTensor([2, 3], 1);

describe("gradcheck rejects a wrong first derivative", () => {
  it("a wrong backward: sin whose gradient is −sin (the derivative of cos) instead of cos", () => {
    const wrong = st.gradcheck((x) => withGradOf(x.sin(), x.cos()), [x23()]);
    expect(wrong.ok).toBe(false);
    expect(wrong.worst!.input).toBe(0);
    expect(wrong.message).toMatch(/^gradcheck failed: input 0, element \d+: analytical .* vs numerical/);
    // at the reported element, analytical is −sin(x) and numerical cos(x)
    const x = x23().dataSync();
    const e = wrong.worst!.element;
    expect(wrong.worst!.numerical / wrong.worst!.analytical).toBeCloseTo(Math.cos(x[e]!) / -Math.sin(x[e]!), 5);
    // the correct twin passes
    expect(st.gradcheck((x) => withGradOf(x.sin(), x.sin()), [x23()]).ok).toBe(true);
  });

  it("a missing factor 2: square whose backward is g·x instead of 2·g·x", () => {
    const half = st.gradcheck((x) => withGradOf(x.square(), x.square().mul(0.5)), [x23()]);
    expect(half.ok).toBe(false);
    expect(half.worst!.input).toBe(0);
    // numerical = 2·analytical at the worst element (the worst is where |x| is largest)
    expect(half.worst!.numerical).toBeCloseTo(2 * half.worst!.analytical, 6);
    // the same bug through a gradient hook that halves the incoming gradient
    const hook = st.gradcheck((x) => hooked(x, (g) => g.div(2)).square(), [x23()]);
    expect(hook.ok).toBe(false);
    expect(hook.worst!.numerical).toBeCloseTo(2 * hook.worst!.analytical, 6);
    expect(st.gradcheck((x) => hooked(x, (g) => g).square(), [x23()]).ok).toBe(true);
  });

  it("a transposed gradient: A·B whose gradient for a square A arrives transposed", () => {
    const a = randomTensor([3, 3], 2);
    const b = randomTensor([3, 3], 3);
    const r = st.gradcheck((a, b) => hooked(a, (g) => g.T).matmul(b), [a, b]);
    expect(r.ok).toBe(false);
    // B's gradient is right; the wrong one is A's, at an off-diagonal element
    expect(r.worst!.input).toBe(0);
    expect(r.message).toContain("input 0, element");
    const [i, j] = [Math.floor(r.worst!.element / 3), r.worst!.element % 3];
    expect(i).not.toBe(j);
    expect(st.gradcheck((a, b) => hooked(a, (g) => g).matmul(b), [a, b]).ok).toBe(true);
  });

  it("names the second input when only its gradient is wrong", () => {
    const r = st.gradcheck((a, b) => a.mul(withGradOf(b, b.mul(3))), [randomTensor([4], 4), randomTensor([4], 5)]);
    expect(r.ok).toBe(false);
    expect(r.worst!.input).toBe(1);
    expect(r.worst!.label).toBe("input 1");
  });

  it("a gradient that is missing altogether (detached input) fails, not passes as zero", () => {
    const r = st.gradcheck((x) => x.detach().exp().add(x.mul(0)), [x23()]);
    expect(r.ok).toBe(false);
    expect(r.worst!.analytical).toBe(0);
  });

  it("NaN in the analytical gradient fails", () => {
    const r = st.gradcheck((x) => withGradOf(x.exp(), x.mul(NaN)), [x23()]);
    expect(r.ok).toBe(false);
    expect(Number.isNaN(r.worst!.analytical)).toBe(true);
  });
});

describe("gradgradcheck rejects a wrong second derivative", () => {
  // x³ with the first derivative 3x² computed from a detached x: right gradient, zero Hessian
  const detachedCube = (x: Tensor) => withGradOf(x.pow(3), x.mul(x.detach().square().mul(3)));

  it("a detached second derivative: first order right, second order zero", () => {
    const x = x23();
    expect(st.gradcheck(detachedCube, [x]).ok).toBe(true);
    const r = st.gradgradcheck(detachedCube, [x]);
    expect(r.ok).toBe(false);
    expect(r.worst!.input).toBe(0);
    expect(r.message).toMatch(/^gradgradcheck failed: input 0, element/);
    expect(r.worst!.analytical).toBe(0);
    expect(st.gradgradcheck((x) => x.pow(3), [x]).ok).toBe(true);
  });

  // 2x whose backward detaches the incoming gradient: g(x, v) = 2v, with no graph back to v.
  // Its derivative in x is 0 either way, so a check with v fixed accepts it.
  const detachedCotangent = (x: Tensor) => hooked(x, (g) => g.detach()).mul(2);

  /** The old gradgradcheck: gradcheck of x ↦ vᵀ∂f/∂x with the cotangent v held fixed. */
  function fixedCotangentCheck(fn: (x: Tensor) => Tensor, x: Tensor) {
    const v = randomTensor(x.shape, 9, { requiresGrad: false });
    return st.gradcheck((x) => st.enableGrad(() => {
      const [g] = st.autograd.grad(fn(x).mul(v).sum(), [x], { createGraph: true });
      return g!.requiresGrad ? g! : g!.add(x.mul(0));
    }), [x]);
  }

  it("a backward detached from its cotangent: the old fixed-v check accepts it, gradgradcheck rejects it", () => {
    const x = x23();
    expect(st.gradcheck(detachedCotangent, [x]).ok).toBe(true);
    expect(fixedCotangentCheck(detachedCotangent, x).ok).toBe(true);
    const r = st.gradgradcheck(detachedCotangent, [x]);
    expect(r.ok).toBe(false);
    // the failure is on the cotangent (input 1 = the cotangent of output 0), not on x
    expect(r.worst!.input).toBe(1);
    expect(r.worst!.label).toBe("cotangent of output 0 (input 1)");
    expect(r.message).toContain("cotangent of output 0");
    expect(r.worst!.analytical).toBe(0);
    expect(Math.abs(r.worst!.numerical)).toBeGreaterThan(0.1);
    // the correct op passes both ways
    expect(st.gradgradcheck((x) => x.mul(2), [x]).ok).toBe(true);
  });

  it("a backward whose cotangent derivative has a wrong factor (linear op) is rejected", () => {
    // the hook returns 3g − 2·g.detach(): the value g (first derivative right), but 3 as its derivative in g
    const fn = (x: Tensor) => hooked(x, (g) => g.mul(3).sub(g.detach().mul(2))).sum(0);
    const x = x23();
    expect(st.gradcheck(fn, [x]).ok).toBe(true);
    const r = st.gradgradcheck(fn, [x]);
    expect(r.ok).toBe(false);
    expect(r.worst!.input).toBe(1);
    expect(r.worst!.analytical).toBeCloseTo(3 * r.worst!.numerical, 6);
  });

  it("checks several inputs and outputs: matmul passes, and a fixed-seed report is reproducible", () => {
    const a = randomTensor([2, 3], 6);
    const b = randomTensor([3, 2], 7);
    const r1 = st.gradgradcheck((a, b) => [a.matmul(b), a.sin()], [a, b]);
    expect(r1.ok, r1.message).toBe(true);
    const r2 = st.gradgradcheck((a, b) => [a.matmul(b), a.sin()], [a, b]);
    expect(r2.maxAbsError).toBe(r1.maxAbsError);
  });

  it("restores its inputs after perturbing them in place (as PyTorch does)", () => {
    const x = x23();
    const before = Array.from(x.dataSync());
    st.gradgradcheck((x) => x.tanh(), [x]);
    st.gradcheck((x) => x.tanh(), [x]);
    expect(Array.from(x.dataSync())).toEqual(before);
    expect(x.grad).toBeNull();
  });
});
