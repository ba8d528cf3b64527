// A complete ReportData for the report tests (tests/report*.test.ts): every part present, a
// non-finite value or two, and a layer name that tries HTML injection. CHARTS lists the charts the
// page must draw from it with their series counts, worked out by hand from the data below.
import type { Diagnosis, MonitorSnapshot, ReportData } from "../../src/stability/types.js";

export const EVIL = `<img src=x onerror="window.pwned=1">`;
const LAYERS = ["0", "1", EVIL];

function snapshot(check: number): MonitorSnapshot {
  const step = check * 10;
  return {
    step,
    check,
    loss: 2.3 * Math.exp(-0.3 * check),
    ...(check % 2 === 1 ? { valLoss: 2.4 * Math.exp(-0.25 * check) } : {}),
    layers: LAYERS.map((layer, i) => ({
      layer,
      gradNorm: 10 ** (-i) * (1 + check),
      weightNorm: 3 + i,
      updateRatio: check === 0 ? NaN : 10 ** (-3 - i) * check,
      zeroGradFrac: 0.01 * i,
      actMean: 0.1 * (i + 1),
      actStd: 0.5 + 0.1 * check,
      // layers 0 and 1 are ReLU, the last one is a sigmoid
      deadFrac: i < 2 ? 0.05 * check : NaN,
      saturatedFrac: i < 2 ? NaN : 0.2,
    })),
  };
}

const diagnoses: Diagnosis[] = [
  {
    label: "vanishing-gradients", layer: EVIL, step: 20, check: 2, measure: "gradient norm", value: 0.0003, threshold: 1e-3,
    message: "the gradient of </script><script>window.pwned=2</script> is tiny", remedy: "use He initialization & ReLU", cures: ["he-init", "relu-activation"],
  },
  { label: "oscillating-loss", layer: null, step: 50, check: 5, measure: "loss sign changes", value: 0.6, threshold: 0.4, message: "the loss goes up and down", remedy: "lower the learning rate", cures: ["lower-lr"] },
];

export function reportData(): ReportData {
  return {
    title: "digits MLP <test> & co",
    history: {
      loss: [2.1, 1.2, 0.8, 0.6, 0.5],
      val_loss: [2.2, 1.3, 0.9, 0.75, 0.7],
      accuracy: [0.3, 0.6, 0.8, 0.85, 0.9],
      val_accuracy: [0.28, 0.55, 0.75, 0.8, 0.82],
      lr: [0.01, 0.01, 0.005, 0.005, 0.001],
    },
    snapshots: [0, 1, 2, 3, 4, 5].map(snapshot),
    diagnoses,
    lrFind: { lrs: [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1], losses: [2.3, 2.29, 2.1, 1.4, 1.9, Infinity], suggestion: 1e-3, rule: "steepest" },
    sharpness: { steps: [0, 10, 20, 30], lambdaMax: [5, 12, 18, 21], threshold: [20, 20, 20, 20] },
    seedSweep: { configs: [{ name: "seed", finalLosses: [0.5, 0.55, 0.52] }, { name: "init ×10", finalLosses: [0.9, NaN, 1.4] }].map((c) => ({ ...c, diverged: c.finalLosses.filter((v) => !Number.isFinite(v)).length })) },
    noiseScale: { bSimple: 180.5, suggestedBatch: [64, 512] },
  };
}

/** The charts the page draws from reportData(): element id → number of series. */
export const CHARTS: Record<string, number> = {
  "chart-epoch-loss": 2,
  "chart-epoch-accuracy": 2,
  "chart-epoch-lr": 1,
  "chart-check-loss": 2,
  "chart-grad-norm": 3,
  "chart-update-ratio": 3,
  "chart-act-mean": 3,
  "chart-act-std": 3,
  "chart-dead": 2, // the sigmoid layer has no dead fraction
  "chart-saturated": 1, // only the sigmoid layer saturates
  "chart-lr-find": 2,
  "chart-sharpness": 2,
  "chart-seed-sweep": 3,
};
