// Metrics: each against values computed by hand (written out below), streaming over uneven batches
// equal to one batch, sample weights, edge cases (no positives, one class, constant target, empty),
// bad input, and resolveMetric's choice of accuracy from the loss and the shapes.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { ShapeError, ValueError } from "../src/index.js";
import type { Metric } from "../src/train/metric.js";
import { METRIC_NAMES, resolveMetric } from "../src/train/metrics/index.js";

const M = st.metrics;
const f64 = (v: st.NestedArray) => st.tensor(v, { dtype: "float64" });
const i32 = (v: st.NestedArray) => st.tensor(v, { dtype: "int32" });

/** Runs one metric over a single batch and returns its result. */
function once(m: Metric, yPred: st.Tensor, yTrue: st.Tensor, w?: st.Tensor): number {
  m.reset();
  m.update(yPred, yTrue, w);
  return m.result();
}

describe("accuracy metrics (hand-computed)", () => {
  it("binaryAccuracy: p > 0.5 against 0/1 labels; 0.5 itself is negative (strict, as Keras)", () => {
    // 0.9→1 ✓, 0.2→0 ✓, 0.6→1 vs 0 ✗, 0.5→0 vs 1 ✗  ⇒ 2/4
    expect(once(new M.BinaryAccuracy(), f64([[0.9], [0.2], [0.6], [0.5]]), f64([[1], [0], [0], [1]]))).toBe(0.5);
    // logits thresholded at 0: same decisions
    expect(once(new M.BinaryAccuracy({ fromLogits: true }), f64([2, -1, 0.3, 0]), f64([1, 0, 0, 1]))).toBe(0.5);
    // threshold 0.1: 0.2→1 ✗, the others 1: 0.9 ✓, 0.6 ✗, 0.5 ✓ ⇒ 2/4
    expect(once(new M.BinaryAccuracy({ threshold: 0.1 }), f64([0.9, 0.2, 0.6, 0.5]), f64([1, 0, 0, 1]))).toBe(0.5);
    // sample weights [1,2,3,4]: hits are samples 0 and 1 ⇒ (1 + 2) / 10
    expect(once(new M.BinaryAccuracy(), f64([[0.9], [0.2], [0.6], [0.5]]), f64([[1], [0], [0], [1]]), f64([1, 2, 3, 4]))).toBeCloseTo(0.3, 15);
    // yTrue [N] with yPred [N, 1] pair up
    expect(once(new M.BinaryAccuracy(), f64([[0.9], [0.2]]), i32([1, 1]))).toBe(0.5);
  });

  it("categoricalAccuracy: argmax vs argmax of one-hot; ties take the first index", () => {
    const p = f64([[0.1, 0.9, 0], [0.8, 0.1, 0.1], [0.3, 0.3, 0.4], [0.5, 0.5, 0]]);
    const t = f64([[0, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
    // ✓ ✗ ✓ ✓(tie → class 0) ⇒ 3/4
    expect(once(new M.CategoricalAccuracy(), p, t)).toBe(0.75);
    // weights [1,4,1,2]: (1 + 1 + 2) / 8
    expect(once(new M.CategoricalAccuracy(), p, t, f64([1, 4, 1, 2]))).toBe(0.5);
  });

  it("sparseCategoricalAccuracy: argmax vs index, [N] or [N, 1] targets, int or float", () => {
    const p = f64([[0.1, 0.9, 0], [0.8, 0.1, 0.1], [0.3, 0.3, 0.4]]);
    expect(once(new M.SparseCategoricalAccuracy(), p, i32([1, 1, 2]))).toBeCloseTo(2 / 3, 15);
    expect(once(new M.SparseCategoricalAccuracy(), p, f64([[1], [1], [2]]))).toBeCloseTo(2 / 3, 15);
    // weights [3,1,0]: (3 + 0) / 4
    expect(once(new M.SparseCategoricalAccuracy(), p, i32([1, 1, 2]), f64([3, 1, 0]))).toBe(0.75);
  });

  it("sparseCategoricalAccuracy over sequences [N, T, C]: per position, a sample's weight covers its positions", () => {
    // sample 0: positions predict 1, 0 (true 1, 1 → ✓ ✗); sample 1: predict 2, 2 (true 2, 2 → ✓ ✓)
    const p = f64([[[0, 1, 0], [1, 0, 0]], [[0, 0, 1], [0, 0, 1]]]);
    const t = i32([[1, 1], [2, 2]]);
    expect(once(new M.SparseCategoricalAccuracy(), p, t)).toBe(0.75);
    // weights [3, 1]: (3·1 + 3·0 + 1 + 1) / (3 + 3 + 1 + 1) = 5/8
    expect(once(new M.SparseCategoricalAccuracy(), p, t, f64([3, 1]))).toBe(5 / 8);
  });

  it("top-k: the true class among the k highest; ties at the k-th score count (TF's in_top_k)", () => {
    const p = f64([[0.5, 0.3, 0.2], [0.5, 0.3, 0.2], [0.1, 0.1, 0.8]]);
    // k = 2: class 1 is 2nd ✓; class 2 is 3rd ✗; class 0 ties with class 1 for 2nd ✓ ⇒ 2/3
    expect(once(new M.SparseTopKCategoricalAccuracy({ k: 2 }), p, i32([1, 2, 0]))).toBeCloseTo(2 / 3, 15);
    expect(once(new M.TopKCategoricalAccuracy({ k: 2 }), p, f64([[0, 1, 0], [0, 0, 1], [1, 0, 0]]))).toBeCloseTo(2 / 3, 15);
    // k = 1 is plain accuracy: none of the true classes 1, 2, 0 holds its row's maximum ⇒ 0
    expect(once(new M.SparseTopKCategoricalAccuracy({ k: 1 }), p, i32([1, 2, 0]))).toBe(0);
    // default k = 5 ≥ 3 classes: always a hit
    expect(once(new M.TopKCategoricalAccuracy(), p, f64([[0, 1, 0], [0, 0, 1], [1, 0, 0]]))).toBe(1);
    expect(() => new M.TopKCategoricalAccuracy({ k: 0 })).toThrow(ValueError);
  });

  it("Accuracy infers the kind from the first batch like Keras's \"accuracy\"", () => {
    const sparse = new M.Accuracy();
    expect(once(sparse, f64([[2, -1], [0.5, 1.5]]), i32([0, 0]))).toBe(0.5);
    expect(sparse.kind).toBe("sparse");
    const cat = new M.Accuracy();
    cat.update(f64([[2, -1], [0.5, 1.5]]), f64([[1, 0], [1, 0]]));
    expect([cat.kind, cat.result()]).toEqual(["categorical", 0.5]);
    const bin = new M.Accuracy();
    bin.update(f64([[0.7], [0.2]]), f64([[1], [1]]));
    expect([bin.kind, bin.result()]).toEqual(["binary", 0.5]);
    expect(new M.Accuracy().result()).toBe(0); // nothing seen: 0 as in Keras
  });
});

describe("precision, recall, F1 (hand-computed)", () => {
  // p > 0.5 → positive: 0.9 TP, 0.8 FP, 0.3 FN, 0.1 TN, 0.7 TP, 0.6 FP ⇒ TP 2, FP 2, FN 1
  const p = f64([0.9, 0.8, 0.3, 0.1, 0.7, 0.6]);
  const t = f64([1, 0, 1, 0, 1, 0]);
  it("unweighted: P = 2/4, R = 2/3, F1 = 2·2/(2·2 + 2 + 1) = 4/7", () => {
    expect(once(new M.Precision(), p, t)).toBe(0.5);
    expect(once(new M.Recall(), p, t)).toBeCloseTo(2 / 3, 15);
    expect(once(new M.F1Score(), p, t)).toBeCloseTo(4 / 7, 15);
  });
  it("weighted [1,1,1,1,2,3]: TP 1+2 = 3, FP 1+3 = 4, FN 1 ⇒ P 3/7, R 3/4, F1 6/11", () => {
    const w = f64([1, 1, 1, 1, 2, 3]);
    expect(once(new M.Precision(), p, t, w)).toBeCloseTo(3 / 7, 15);
    expect(once(new M.Recall(), p, t, w)).toBeCloseTo(3 / 4, 15);
    expect(once(new M.F1Score(), p, t, w)).toBeCloseTo(6 / 11, 15);
  });
  it("threshold and logits: threshold 0.75 ⇒ TP 1, FP 1, FN 2; logits at 0 = probabilities at 0.5", () => {
    expect(once(new M.Precision({ threshold: 0.75 }), p, t)).toBe(0.5);
    expect(once(new M.Recall({ threshold: 0.75 }), p, t)).toBeCloseTo(1 / 3, 15);
    const logits = f64([2.2, 1.4, -0.8, -2.2, 0.85, 0.4]);
    expect(once(new M.F1Score({ fromLogits: true }), logits, t)).toBeCloseTo(4 / 7, 15);
  });
  it("classId: one class of a multi-class output, against one-hot or index targets", () => {
    // class 1 column: 0.7 ✓TP (true 1), 0.6 FP (true 0), 0.2 FN (true 1), 0.1 TN ⇒ P 1/2, R 1/2
    const probs = f64([[0.3, 0.7], [0.4, 0.6], [0.8, 0.2], [0.9, 0.1]]);
    expect(once(new M.Precision({ classId: 1 }), probs, i32([1, 0, 1, 0]))).toBe(0.5);
    expect(once(new M.Recall({ classId: 1 }), probs, f64([[0, 1], [1, 0], [0, 1], [1, 0]]))).toBe(0.5);
    // class 0 column vs targets 0, 1, 0, 1: 0.3 FN, 0.4 TN, 0.8 TP, 0.9 FP ⇒ F1 = 2/(2+1+1)
    expect(once(new M.F1Score({ classId: 0 }), probs, i32([0, 1, 0, 1]))).toBe(0.5);
    expect(() => once(new M.Precision({ classId: 2 }), probs, i32([1, 0, 1, 0]))).toThrow(/classId 2 needs yPred of shape \[\.\.\., C\] with C > 2/);
    expect(() => new M.Recall({ classId: -1 })).toThrow(/classId must be an integer ≥ 0/);
  });

  it("no predicted / actual positives give 0, never NaN (Keras, sklearn zero_division=0)", () => {
    const low = f64([0.1, 0.2, 0.3]);
    expect(once(new M.Precision(), low, f64([1, 0, 1]))).toBe(0);
    expect(once(new M.Recall(), low, f64([0, 0, 0]))).toBe(0);
    expect(once(new M.F1Score(), low, f64([0, 0, 0]))).toBe(0);
    expect(new M.Precision().result()).toBe(0);
  });
});

describe("AUC (exact ROC)", () => {
  it("pairs ordered right / all pairs, ties counting one half", () => {
    // positives 0.35, 0.8; negatives 0.1, 0.4: pairs (0.35>0.1 ✓, 0.35>0.4 ✗, 0.8 ✓ ✓) ⇒ 3/4
    expect(once(new M.AUC(), f64([0.1, 0.4, 0.35, 0.8]), f64([0, 0, 1, 1]))).toBe(0.75);
    // positives 0.5, 0.9; negatives 0.5, 0.2: (½ + 1 + 1 + 1) / 4 = 0.875
    expect(once(new M.AUC(), f64([0.5, 0.5, 0.2, 0.9]), f64([1, 0, 0, 1]))).toBe(0.875);
    // rank-based: logits give the same AUC
    expect(once(new M.AUC(), f64([-2.2, -0.4, -0.6, 1.4]), f64([0, 0, 1, 1]))).toBe(0.75);
  });
  it("sample weights: Σ wᵢwⱼ[sᵢ > sⱼ] / (W₊W₋) = (3·1 + 4·(1+2)) / (7·3) = 5/7", () => {
    expect(once(new M.AUC(), f64([0.1, 0.4, 0.35, 0.8]), f64([0, 0, 1, 1]), f64([1, 2, 3, 4]))).toBeCloseTo(5 / 7, 15);
  });
  it("one class seen: NaN (AUC undefined), then defined once both classes arrive", () => {
    const m = new M.AUC();
    m.update(f64([0.3, 0.6]), f64([1, 1]));
    expect(m.result()).toBeNaN();
    m.update(f64([0.5]), f64([0]));
    expect(m.result()).toBe(0.5); // 0.6 > 0.5 ✓, 0.3 > 0.5 ✗
  });
});

describe("regression metrics (hand-computed)", () => {
  it("mse and mae: (0 + 4 + 1)/3 and (0 + 2 + 1)/3; weighted [1,2,3]: 11/6 and 7/6", () => {
    const p = f64([1, 2, 3]);
    const t = f64([1, 0, 4]);
    expect(once(new M.MeanSquaredError(), p, t)).toBeCloseTo(5 / 3, 15);
    expect(once(new M.MeanAbsoluteError(), p, t)).toBe(1);
    expect(once(new M.MeanSquaredError(), p, t, f64([1, 2, 3]))).toBeCloseTo(11 / 6, 15);
    expect(once(new M.MeanAbsoluteError(), p, t, f64([1, 2, 3]))).toBeCloseTo(7 / 6, 15);
  });
  it("mse over 2 outputs with a weight per sample: (1·(0+1) + 3·(4+9)) / (2·1 + 2·3) = 5", () => {
    expect(once(new M.MeanSquaredError(), f64([[1, 2], [3, 4]]), f64([[1, 1], [1, 1]]), f64([1, 3]))).toBe(5);
  });
  it("r2: 1 − SS_res/SS_tot = 1 − 1.5/29.1875 (scikit-learn's doc example, 0.948608…)", () => {
    expect(once(new M.R2Score(), f64([2.5, 0.0, 2, 8]), f64([3, -0.5, 2, 7]))).toBeCloseTo(1 - 1.5 / 29.1875, 14);
  });
  it("r2 over 2 outputs averages per-output R²: 1 − 15/434 and 1 − 9/98", () => {
    const r = once(new M.R2Score(), f64([[0, 2], [-1, 2], [8, -5]]), f64([[0.5, 1], [-1, 1], [7, -6]]));
    expect(r).toBeCloseTo((1 - 15 / 434 + 1 - 9 / 98) / 2, 14);
  });
  it("r2 with weights [1,1,1,2]: ȳ_w = 2.8, SS_tot = 6.8, SS_res = 2 ⇒ 12/17", () => {
    expect(once(new M.R2Score(), f64([1, 2, 3, 5]), f64([1, 2, 3, 4]), f64([1, 1, 1, 2]))).toBeCloseTo(12 / 17, 14);
  });
  it("r2 of a constant target: 1 for a perfect fit, else 0 (sklearn force_finite); nothing seen: 0", () => {
    expect(once(new M.R2Score(), f64([2, 2, 2]), f64([2, 2, 2]))).toBe(1);
    expect(once(new M.R2Score(), f64([1, 2, 3]), f64([2, 2, 2]))).toBe(0);
    expect(new M.R2Score().result()).toBe(0);
  });
  it("r2 streamed one sample at a time stays exact at a large offset (1e8 + [1..4]: 1 − 1/5)", () => {
    const m = new M.R2Score();
    const y = [1, 2, 3, 4].map((v) => 1e8 + v);
    const p = [0, 0, 0, 1].map((d, i) => y[i]! + d);
    for (let i = 0; i < 4; i++) m.update(f64([p[i]!]), f64([y[i]!]));
    expect(m.result()).toBe(0.8);
  });
});

describe("streaming: uneven batches equal one batch", () => {
  const n = 10;
  const g = new st.Generator().manualSeed(7);
  const probs = st.rand([n, 1], { generator: g, dtype: "float64" });
  const labels = st.rand([n, 1], { generator: g, dtype: "float64" }).gt(0.5).double();
  const scores = st.rand([n, 4], { generator: g, dtype: "float64" });
  const classes = st.randint(0, 4, [n], { generator: g });
  const oneHot = st.oneHot(classes, 4).double();
  const w = st.rand([n], { generator: g, dtype: "float64" });
  const cases: [string, () => Metric, st.Tensor, st.Tensor][] = [
    ["binaryAccuracy", () => new M.BinaryAccuracy(), probs, labels],
    ["categoricalAccuracy", () => new M.CategoricalAccuracy(), scores, oneHot],
    ["sparseCategoricalAccuracy", () => new M.SparseCategoricalAccuracy(), scores, classes],
    ["sparseTopK(k=2)", () => new M.SparseTopKCategoricalAccuracy({ k: 2 }), scores, classes],
    ["precision", () => new M.Precision(), probs, labels],
    ["recall", () => new M.Recall(), probs, labels],
    ["f1", () => new M.F1Score(), probs, labels],
    ["auc", () => new M.AUC(), probs, labels],
    ["mse", () => new M.MeanSquaredError(), scores, oneHot],
    ["mae", () => new M.MeanAbsoluteError(), scores, oneHot],
    ["r2", () => new M.R2Score(), scores, oneHot],
  ];
  const cuts = [0, 1, 4, 6, 10]; // batches of 1, 3, 2, 4
  for (const [name, make, yp, yt] of cases) {
    for (const weighted of [false, true]) {
      it(`${name}${weighted ? " (weighted)" : ""}`, () => {
        const whole = make();
        whole.update(yp, yt, weighted ? w : undefined);
        const parts = make();
        parts.update(yp.slice([0, 2]), yt.slice([0, 2])); // dropped by reset()
        parts.reset();
        for (let b = 0; b + 1 < cuts.length; b++) {
          const s: st.SliceSpec = [cuts[b]!, cuts[b + 1]!];
          parts.update(yp.slice(s), yt.slice(s), weighted ? w.slice(s) : undefined);
        }
        expect(Number.isFinite(whole.result())).toBe(true);
        expect(parts.result()).toBeCloseTo(whole.result(), 13);
      });
    }
  }
});

describe("bad input and resolveMetric", () => {
  it("raises typed errors that name the metric and what it got", () => {
    expect(() => new M.BinaryAccuracy().update(f64([0.2, 1.7]), f64([0, 1]))).toThrow(/binaryAccuracy: yPred must be probabilities in \[0, 1\] \(got 1.7.*fromLogits/);
    expect(() => new M.Precision().update(f64([0.2, 0.7]), f64([0, 2]))).toThrow(/precision: yTrue must hold 0\/1 labels \(got 2/);
    expect(() => new M.Precision().update(f64([[0.2, 0.8]]), i32([1]))).toThrow(ShapeError);
    expect(() => new M.CategoricalAccuracy().update(f64([[0.2, 0.8]]), i32([1]))).toThrow(/sparseCategoricalAccuracy/);
    expect(() => new M.SparseCategoricalAccuracy().update(f64([[0.2, 0.8]]), i32([1, 0]))).toThrow(ShapeError);
    expect(() => new M.MeanSquaredError().update(f64([1, 2]), f64([1, 2]), f64([1, 2, 3]))).toThrow(/mse: sampleWeight \[3\] does not fit/);
    expect(() => new M.MeanSquaredError().update(f64([1, 2]), f64([1, 2]), f64([1, NaN]))).toThrow(/sampleWeight must be finite/);
    expect(() => new M.R2Score().update(f64([1, 2]), f64([1]))).toThrow(ShapeError);
  });

  it("unknown names raise a ValueError listing the valid ones", () => {
    expect(() => resolveMetric("accurracy")).toThrow(ValueError);
    expect(() => resolveMetric("accurracy")).toThrow(/unknown metric "accurracy"; valid names: accuracy, acc, binaryAccuracy.*auc, mse.*r2/);
    expect(METRIC_NAMES).toEqual(expect.arrayContaining(["accuracy", "acc", "sparseCategoricalAccuracy", "categoricalAccuracy",
      "binaryAccuracy", "topKCategoricalAccuracy", "precision", "recall", "f1", "auc", "mse", "mae", "r2"]));
  });

  it("names map as Keras and keep the spelling given; snake_case works; a Metric passes through", () => {
    const classOf = (s: string) => resolveMetric(s).constructor.name;
    expect(["acc", "accuracy", "binaryAccuracy", "categorical_accuracy", "sparseCategoricalAccuracy", "top_k_categorical_accuracy",
      "precision", "recall", "f1", "auc", "mse", "mean_absolute_error", "r2"].map(classOf)).toEqual(["Accuracy", "Accuracy",
      "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy", "TopKCategoricalAccuracy", "Precision", "Recall",
      "F1Score", "AUC", "MeanSquaredError", "MeanAbsoluteError", "R2Score"]);
    expect(resolveMetric("acc").name).toBe("acc");
    const mine = new M.AUC({ name: "rocAuc" });
    expect(resolveMetric(mine)).toBe(mine);
    expect(() => resolveMetric(42 as unknown as string)).toThrow(/a metric must be a name or a Metric/);
  });

  it("\"accuracy\" picks its kind from the loss, else the output shape, else the first batch", () => {
    const kind = (ctx: Parameters<typeof resolveMetric>[1]) => (resolveMetric("accuracy", ctx) as InstanceType<typeof M.Accuracy>).kind;
    expect(kind({ loss: "sparseCategoricalCrossentropy", outputShape: [10] })).toBe("sparse");
    expect(kind({ loss: "categoricalCrossentropy", outputShape: [10] })).toBe("categorical");
    expect(kind({ loss: "binaryCrossentropy", outputShape: [1] })).toBe("binary");
    expect(kind({ loss: "BCEWithLogitsLoss" })).toBe("binary");
    expect(kind({ loss: "mse", outputShape: [32, 1] })).toBe("binary");
    expect(kind({ loss: "crossEntropy", outputShape: [10] })).toBe(null); // index or probability targets: decided by shapes
  });

  it("binary metrics threshold logits at 0 when the loss says logits or ctx.fromLogits", () => {
    // logits 0.3 and -0.2 vs labels 1, 0: both right at 0; at 0.5 the check rejects -0.2
    const a = resolveMetric("accuracy", { loss: "binaryCrossentropyWithLogits" });
    expect(once(a, f64([[0.3], [-0.2]]), f64([[1], [0]]))).toBe(1);
    const p = resolveMetric("precision", { loss: "binaryCrossentropy", fromLogits: true });
    expect(once(p, f64([0.3, -0.2, 0.1]), f64([1, 0, 0]))).toBe(0.5);
    expect(() => once(resolveMetric("precision", { loss: "binaryCrossentropy" }), f64([0.3, -0.2]), f64([1, 0]))).toThrow(/fromLogits/);
  });
});
