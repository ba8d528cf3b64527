// Gradient clipping: clipGradNorm returns the pre-clip norm and rescales every gradient by
// maxNorm/(total + 1e-6) only above the threshold; p = 1, 2, 3, ∞; non-finite norms; clipGradValue.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { NonFiniteError, Tensor, ValueError } from "../src/index.js";
import { clipGradNorm, clipGradValue, getTotalNorm } from "../src/nn/utils/index.js";

const { assertClose } = st.numerics;

/** A float32 leaf whose .grad is set to `g`. */
function withGrad(g: number[] | number[][], dtype: "float32" | "float64" = "float32"): Tensor {
  const gt = st.tensor(g, { dtype });
  const p = st.zerosLike(gt).requiresGrad_(true);
  p.grad = gt;
  return p;
}

describe("clipGradNorm", () => {
  it("returns the total 2-norm before clipping and scales all grads by maxNorm/(total + 1e-6)", () => {
    const a = withGrad([3, 0]);
    const b = withGrad([[0, 4], [0, 0]]);
    const total = clipGradNorm([a, b], 1);
    expect(total.shape).toEqual([]);
    expect(total.dtype).toBe("float32");
    expect(total.item()).toBe(5);
    const c = 1 / (5 + 1e-6);
    assertClose(a.grad!, [3 * c, 0]);
    assertClose(b.grad!, [[0, 4 * c], [0, 0]]);
    // the clipped grads now have norm maxNorm (to within the 1e-6 guard)
    expect(getTotalNorm([a, b]).item()).toBeCloseTo(1, 5);
  });

  it("leaves gradients untouched below the threshold (at it, the 1e-6 guard scales by 1 − 2e-6, like PyTorch)", () => {
    const a = withGrad([0.3, -0.4]);
    const before = a.grad!.dataSync();
    const version = a.grad!.version;
    expect(clipGradNorm([a], 0.6).item()).toBeCloseTo(0.5, 6);
    expect(a.grad!.dataSync()).toEqual(before);
    expect(a.grad!.version).toBe(version);
    expect(clipGradNorm(a, 10).item()).toBeCloseTo(0.5, 6); // a single tensor is accepted too
    expect(a.grad!.dataSync()).toEqual(before);
    clipGradNorm(a, 0.5);
    assertClose(a.grad!, [0.3 * 0.5 / (0.5 + 1e-6), -0.4 * 0.5 / (0.5 + 1e-6)]);
    expect(a.grad!.dataSync()[0]).toBeLessThan(before[0]!);
  });

  it("supports normType ∞ (max |g|), 1 and 3", () => {
    const mk = () => [withGrad([1, -6]), withGrad([2, 3])];
    let ps = mk();
    expect(clipGradNorm(ps, 3, Infinity).item()).toBe(6);
    assertClose(ps[0]!.grad!, [3 / (6 + 1e-6), -18 / (6 + 1e-6)]);
    ps = mk();
    expect(clipGradNorm(ps, 100, "inf").item()).toBe(6);
    ps = mk();
    expect(clipGradNorm(ps, 6, 1).item()).toBe(12);
    assertClose(ps[1]!.grad!, [2 * 6 / (12 + 1e-6), 3 * 6 / (12 + 1e-6)]);
    ps = mk();
    expect(clipGradNorm(ps, 100, 3).item()).toBeCloseTo((1 + 216 + 8 + 27) ** (1 / 3), 5);
  });

  it("skips parameters without a gradient and returns 0 when none has one", () => {
    const none = st.zeros([3]).requiresGrad_(true);
    const a = withGrad([6, 8]);
    expect(clipGradNorm([none, a], 5).item()).toBe(10);
    expect(none.grad).toBeNull();
    const t = clipGradNorm([none], 1);
    expect(t.item()).toBe(0);
    expect(t.shape).toEqual([]);
  });

  it("does not overflow: float32 gradients of 1e20 have norm 1.41e20, clipped to finite values", () => {
    const a = withGrad([1e20, 1e20]);
    const n = clipGradNorm([a], 1);
    expect(n.item()).toBeCloseTo(Math.SQRT2 * 1e20, -14);
    assertClose(a.grad!, [Math.SQRT1_2, Math.SQRT1_2]);
  });

  it("float64 gradients give a float64 norm and float64 arithmetic", () => {
    const a = withGrad([3, 4], "float64");
    const n = clipGradNorm([a], 2.5);
    expect(n.dtype).toBe("float64");
    expect(n.item()).toBe(5);
    assertClose(a.grad!, [3 * 2.5 / (5 + 1e-6), 4 * 2.5 / (5 + 1e-6)]);
  });

  it("a NaN gradient: errorIfNonfinite raises naming the norm and the parameter, leaving grads unchanged", () => {
    const a = withGrad([1, 2]);
    const b = withGrad([NaN, 1]);
    b.name = "fc2.weight";
    expect(() => clipGradNorm([a, b], 1, 2, { errorIfNonfinite: true })).toThrow(NonFiniteError);
    expect(() => clipGradNorm([a, b], 1, 2, { errorIfNonfinite: true })).toThrow(/clipGradNorm: the total gradient norm \(order 2\) of 2 parameters is NaN; the gradient of "fc2.weight" \(parameter 1\), shape \[2\], is not finite/);
    expect(a.grad!.dataSync()).toEqual(new Float32Array([1, 2]));
    const inf = withGrad([Infinity, 0]);
    expect(() => clipGradNorm([inf], 1, "inf", { errorIfNonfinite: true })).toThrow(/is Infinity/);
  });

  it("without errorIfNonfinite a NaN norm makes every gradient NaN (PyTorch's behaviour), and is returned", () => {
    const a = withGrad([1, 2]);
    const b = withGrad([NaN, 1]);
    expect(clipGradNorm([a, b], 1).item()).toBeNaN();
    expect(Array.from(a.grad!.dataSync()).every(Number.isNaN)).toBe(true);
  });

  it("clips real gradients from backward so the next step is bounded", () => {
    const w = st.tensor([[1, 2], [3, 4]], { dtype: "float32", requiresGrad: true });
    w.mul(100).square().sum().backward();
    const n = clipGradNorm([w], 1);
    const expected = 2e4 * Math.sqrt(1 + 4 + 9 + 16);
    expect(n.item()).toBeCloseTo(expected, -2);
    expect(getTotalNorm([w]).item()).toBeCloseTo(1, 5);
  });

  it("rejects bad arguments with ValueError", () => {
    const a = withGrad([1]);
    expect(() => clipGradNorm([a], -1)).toThrow(/clipGradNorm: maxNorm must be a number >= 0 \(got -1\)/);
    expect(() => clipGradNorm([a], NaN)).toThrow(ValueError);
    expect(() => clipGradNorm([a], 1, 0)).toThrow(/normType/);
    expect(() => clipGradNorm([a, 3 as unknown as Tensor], 1)).toThrow(/parameter 1 is not a Tensor/);
  });
});

describe("clipGradValue", () => {
  it("clamps each entry to [−c, c] in place, keeping NaN and small entries", () => {
    const a = withGrad([-3, -0.2, 0.5, 7, NaN]);
    const v = a.grad!.version;
    clipGradValue([a], 0.5);
    const d = Array.from(a.grad!.dataSync());
    expect(d.slice(0, 4)).toEqual([-0.5, Math.fround(-0.2), 0.5, 0.5]);
    expect(d[4]).toBeNaN();
    expect(a.grad!.version).toBe(v + 1);
  });

  it("rejects a negative clip value", () => {
    expect(() => clipGradValue([withGrad([1])], -0.1)).toThrow(ValueError);
  });
});
