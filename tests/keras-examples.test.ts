// The source material's Keras examples (examples/keras-*.ts) run as written and reach their goals:
// digits ≥ 95% held-out with Dense(10, relu) → Dense(10, softmax); a Dense(10, relu) → Dense(1)
// regressor far below the predict-the-mean error; mini-batch SGD recovering y = 2x + 1.
import { describe, expect, it } from "vitest";
import { kerasDigits } from "../examples/keras-digits.js";
import { kerasLinearSgd } from "../examples/keras-linear-sgd.js";
import { kerasRegression } from "../examples/keras-regression.js";

describe("Keras examples", () => {
  it("digits: Dense(10, relu, inputShape [64]) → Dense(10, softmax), adam, batch 32: ≥ 95% held-out", async () => {
    const r = await kerasDigits({ seed: 0, verbose: 0 });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.history.epoch).toHaveLength(150);
    // the loss falls, and the summary reports the fused softmax cross-entropy
    expect(r.history.history.loss!.at(-1)!).toBeLessThan(r.history.history.loss![0]! / 10);
    expect(r.summary).toContain("Total params: 760");
    expect(r.summary).toMatch(/fused log-softmax \+ NLL/);
  }, 60_000);

  it("regression: Dense(10, relu) → Dense(1), MSE, Adam lr 1e-3: held-out MSE < 5% of predicting the mean", async () => {
    const r = await kerasRegression({ seed: 0, verbose: 0 });
    expect(r.testMse).toBeLessThan(0.05 * r.baselineMse);
    expect(r.history.history.loss!.at(-1)!).toBeLessThan(r.history.history.loss![0]!);
  }, 60_000);

  it("mini-batch SGD linear regression on y = 2x + 1 + noise reaches w ≈ 2, b ≈ 1", async () => {
    const { w, b } = await kerasLinearSgd({ seed: 0, verbose: 0 });
    expect(Math.abs(w - 2)).toBeLessThan(0.05);
    expect(Math.abs(b - 1)).toBeLessThan(0.05);
  }, 60_000);
});
