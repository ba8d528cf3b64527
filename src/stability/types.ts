// The shared vocabulary of the stability toolkit: what the monitor measures, what a diagnosis says,
// and what the report draws. The monitor, the rules, lrFind/sharpness/seedSweep, `steady doctor` and
// the HTML report all speak these types.

/** Statistics of one layer (a module path such as `"encoder.layers.1.linear1"`) at one check. */
export interface LayerStats {
  /** The layer's module path. */
  layer: string;
  /** ‖∇W‖₂ over the layer's parameters. */
  gradNorm: number;
  /** ‖W‖₂ over the layer's parameters. */
  weightNorm: number;
  /** ‖ΔW‖ / ‖W‖ of the last optimizer step (NaN before the first step). */
  updateRatio: number;
  /** Fraction of gradient entries exactly 0. */
  zeroGradFrac: number;
  /** Mean and standard deviation of the layer's output activations. */
  actMean: number;
  /** Standard deviation of the layer's output activations. */
  actStd: number;
  /** Fraction of ReLU-family units that were ≤ 0 for every sample of the batch (NaN if not ReLU-like). */
  deadFrac: number;
  /** Fraction of sigmoid/tanh units in their flat tails (|tanh| > 0.99, σ < 0.01 or > 0.99; NaN if neither). */
  saturatedFrac: number;
}

/** One check of the monitor (every N steps). */
export interface MonitorSnapshot {
  /** Optimizer step (0-based) at which the check ran. */
  step: number;
  /** Check index (0-based): the monitor's n-th check. */
  check: number;
  /** The batch loss at that step. */
  loss: number;
  /** The learning rate at that step (first parameter group). */
  lr?: number;
  /** Validation loss or metric values when known (epoch ends in fit). */
  valLoss?: number;
  /** Statistics of each layer that owns parameters. */
  layers: LayerStats[];
  /** Input statistics of the batch (mean/std of the features) when the monitor saw the input. */
  input?: {
    /** Mean of the features. */
    mean: number;
    /** Their standard deviation. */
    std: number;
    /** Their largest magnitude. */
    absMax: number;
  };
  /**
   * The monitor's running gradient-noise-scale estimate at this check (absent until the first check
   * that has the previous step's gradient and a known batch size; see `NoiseScaleEstimate`).
   */
  noiseScale?: NoiseScaleEstimate;
}

/**
 * The gradient noise scale B_simple = tr(Σ)/|G|² (McCandlish et al. 2018) as the monitor estimates it:
 * from the gradients of a check step and of the step before it (batch B each), with the paper's
 * two-batch-size estimators (B_small = B, B_big = 2B), tr(Σ) and |G|² averaged over checks.
 */
export interface NoiseScaleEstimate {
  /** Running tr(Σ)/|G|² (Infinity when the |G|² average is ≤ 0: the noise hides the signal). */
  bSimple: number;
  /** Running (averaged) estimates of tr(Σ) and |G|². */
  trSigma: number;
  /** Running (averaged) estimate of |G|². */
  gNorm2: number;
  /** [B_simple/2, 2·B_simple] rounded ([2B, Infinity] when B_simple is Infinity). */
  suggestedBatch: [number, number];
  /** The batch size B of the check step. */
  batchSize: number;
  /** How many step pairs the running estimate averages. */
  pairs: number;
}

/** The label of a diagnosis rule. */
export type DiagnosisLabel =
  | "vanishing-gradients" | "exploding-gradients" | "dying-relu" | "saturation" | "unnormalized-input"
  | "oscillating-loss" | "divergence" | "slow-convergence" | "edge-of-stability" | "overfitting"
  | "underfitting" | "non-finite";

/** A cure that `tryCures` can apply (the remedy of a diagnosis, as something runnable). */
export type CureId =
  | "he-init" | "xavier-init" | "relu-activation" | "insert-normalization" | "clip-gradients"
  | "lower-lr" | "adaptive-optimizer" | "standardize-input" | "regularize" | "early-stopping" | "bigger-model";

/** One finding: which rule fired, where, when, with the number against its threshold, and what to do. */
export interface Diagnosis {
  /** What was found ("exploding-gradients", "dead-relu", …). */
  label: DiagnosisLabel;
  /** Module path of the layer concerned, or null for whole-model findings (loss trend, input). */
  layer: string | null;
  /** Optimizer step at which it was found. */
  step: number;
  /** Index of the monitor check that found it. */
  check: number;
  /** What was measured (e.g. "first-layer gradient norm") and its value against the threshold. */
  measure: string;
  /** The measured value. */
  value: number;
  /** The limit it crossed. */
  threshold: number;
  /** Plain-words explanation with the numbers. */
  message: string;
  /** A concrete remedy in plain words, and the cure(s) that implement it. */
  remedy: string;
  /** The cures `tryCures` can apply for it. */
  cures: CureId[];
}

/** Everything the HTML report and the terminal summary can draw; every part optional but `title`. */
export interface ReportData {
  /** Title of the report. */
  title: string;
  /** Per-epoch logs (`History.history`): loss, metrics, val_*. */
  history?: Record<string, number[]>;
  /** The monitor's checks (per-layer plots). */
  snapshots?: MonitorSnapshot[];
  /** The monitor's diagnoses. */
  diagnoses?: Diagnosis[];
  /** An lrFind curve and its suggestion. */
  lrFind?: {
    /** Rates tried. */
    lrs: number[];
    /** Smoothed loss at each. */
    losses: number[];
    /** The suggested rate. */
    suggestion: number;
    /** The rule that gave it. */
    rule: string;
  };
  /** Sharpness λ_max over steps against the 2/η threshold. */
  sharpness?: {
    /** Steps measured. */
    steps: number[];
    /** λ_max at each. */
    lambdaMax: number[];
    /** The stability limit (2/η) at each. */
    threshold: number[];
  };
  /** A seed sweep's final losses per configuration. */
  seedSweep?: {
    /** One entry per configuration. */
    configs: {
      /** Its name. */
      name: string;
      /** Final loss per seed. */
      finalLosses: number[];
      /** Runs that diverged. */
      diverged: number;
    }[];
  };
  /** The gradient noise scale and the batch-size range it suggests. */
  noiseScale?: {
    /** B_simple = tr(Σ)/|G|². */
    bSimple: number;
    /** [B_simple/2, 2·B_simple] rounded. */
    suggestedBatch: [number, number];
  };
}
