// Learning check of the convolution work (issue 15): the small CNN of examples/cnn-digits.ts (two
// conv + pool blocks) reaches ≥ 98 % held-out accuracy on the 8×8 digits, on the active backend
// of the Node entry (native when its addon is built).
import { describe, expect, it } from "vitest";
import { trainDigitsCnn } from "../examples/cnn-digits.js";

describe("digits CNN (examples/cnn-digits.ts)", () => {
  it("reaches at least 98% held-out accuracy (seed 0, 20 epochs)", () => {
    const r = trainDigitsCnn({ seed: 0 });
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.98);
    expect(r.finalTrainLoss).toBeLessThan(0.05);
  }, 120_000);
});
