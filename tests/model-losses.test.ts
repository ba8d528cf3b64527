// The losses `compile` takes by name: per-sample values against hand-computed Keras formulas, the
// logit forms against the probability forms, and float64 gradchecks of the composite formulas.
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { resolveLoss } from "../src/train/compile-losses.js";
import { expectError } from "./helpers/expect-error.js";

const per = (name: string, p: st.Tensor, y: st.Tensor, fromLogits = false) => resolveLoss(name).perSample(p, y, fromLogits).toArray() as number[];

describe("losses by name", () => {
  it("mse, mae and huber (δ = 1) average the last axis per sample", () => {
    const p = st.tensor([[0, 3], [1, 1]], { dtype: "float64" });
    const y = st.tensor([[0.5, 1], [1, -1]], { dtype: "float64" });
    expect(per("mse", p, y)).toEqual([(0.25 + 4) / 2, 4 / 2]);
    expect(per("mae", p, y)).toEqual([(0.5 + 2) / 2, 2 / 2]);
    // ½·0.5² = 0.125 inside; 1·(2 − ½) = 1.5 outside
    expect(per("huber", p, y)).toEqual([(0.125 + 1.5) / 2, (0 + 1.5) / 2]);
    // [N] targets fit [N, 1] outputs
    expect(per("meanSquaredError", st.tensor([[1], [2]]), st.tensor([0, 0]))).toEqual([1, 4]);
  });

  it("cross-entropies from probabilities (Keras's clip at 1e-7) and from logits agree", () => {
    const z = st.tensor([[2, -1, 0.5], [0, 0, 3]], { dtype: "float64" });
    const p = z.softmax(-1);
    const idx = st.tensor([0, 2], { dtype: "int32" });
    const oneHot = st.tensor([[1, 0, 0], [0, 0, 1]], { dtype: "float64" });
    const rows = p.toArray() as number[][];
    const expected = [-Math.log(rows[0]![0]!), -Math.log(rows[1]![2]!)];
    for (const [got, want] of [
      [per("sparseCategoricalCrossentropy", p, idx), expected],
      [per("sparseCategoricalCrossentropy", z, idx, true), expected],
      [per("categoricalCrossentropy", p, oneHot), expected],
      [per("categoricalCrossentropy", z, oneHot, true), expected],
      // float class indices [N, 1] are accepted, as Keras does
      [per("sparseCategoricalCrossentropy", z, st.tensor([[0], [2]]), true), expected],
    ] as const) got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
    const s = st.tensor([[0.5], [-3]], { dtype: "float64" });
    const yb = st.tensor([1, 0]);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const bce = [-Math.log(sig(0.5)), -Math.log(1 - sig(-3))];
    per("binaryCrossentropy", s.sigmoid(), yb).forEach((v, i) => expect(v).toBeCloseTo(bce[i]!, 12));
    per("binaryCrossentropy", s, yb, true).forEach((v, i) => expect(v).toBeCloseTo(bce[i]!, 12));
    // a certain wrong prediction is clipped to −log(1e-7), not infinite
    expect(per("binaryCrossentropy", st.tensor([[0]], { dtype: "float64" }), st.tensor([1]))[0]).toBeCloseTo(-Math.log(1e-7), 6);
  });

  it("shape mismatches are ShapeErrors naming the loss", () => {
    expectError(() => per("mse", st.zeros([3, 2]), st.zeros([3, 3])), st.ShapeError, "meanSquaredError", "[3, 3]", "[3, 2]");
    expectError(() => per("sparseCategoricalCrossentropy", st.zeros([3, 4]), st.zeros([3, 4])), st.ShapeError, "class indices", "categoricalCrossentropy");
  });

  it("float64 gradchecks of the composite formulas", () => {
    const y = st.tensor([[0.2, 0.8], [1, 0]], { dtype: "float64" });
    const x = () => st.tensor([[0.3, 0.6], [0.9, 0.15]], { dtype: "float64", requiresGrad: true });
    const r = () => st.tensor([[0.4, -2.1], [1.7, 0.05]], { dtype: "float64", requiresGrad: true });
    expect(st.gradcheck((p) => resolveLoss("huber").perSample(p, y, false).sum(), [r()]).ok).toBe(true);
    expect(st.gradcheck((p) => resolveLoss("binaryCrossentropy").perSample(p, y, false).sum(), [x()]).ok).toBe(true);
    expect(st.gradcheck((p) => resolveLoss("categoricalCrossentropy").perSample(p, y, false).sum(), [x()]).ok).toBe(true);
    expect(st.gradcheck((z) => resolveLoss("categoricalCrossentropy").perSample(z, y, true).sum(), [r()]).ok).toBe(true);
  });
});
