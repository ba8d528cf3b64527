// `st.stability`: the numerical-stability toolkit (issue 13). Browser-safe; the Node entry adds
// the file-writing parts through index-node.ts.

export type { LayerStats, MonitorSnapshot, DiagnosisLabel, CureId, Diagnosis, ReportData, NoiseScaleEstimate } from "./types.js";
// the report (HTML page as a string) and the terminal summary
export { renderReport } from "./report.js";
export type { ReportAssets } from "./report.js";
export { sparkline, summarize, describeDiagnosis, formatDiagnoses } from "./sparkline.js";
export type { SparklineOptions } from "./sparkline.js";
// anomaly mode (every kernel output checked for NaN/Inf)
export { detectAnomaly, setAnomalyEnabled, isAnomalyEnabled, AnomalyError } from "./anomaly.js";
export type { AnomalyReport, AnomalyOptions, AnomalyResult, ValueStats } from "./anomaly.js";
// batch size: the gradient noise scale (McCandlish et al. 2018)
export { gradientNoiseScale } from "./noise-scale.js";
export type { NoiseScaleOptions, NoiseScaleResult, ExampleTensors, ParamSource } from "./noise-scale.js";
// float32 precision loss: one step rerun in float64
export { float64Shadow } from "./shadow.js";
export type { ShadowReport, ShadowEntry, ShadowCast } from "./shadow.js";
// curvature & sweeps: the learning-rate range test, sharpness and the edge-of-stability check
export { lrFind } from "./lr-find.js";
export type { LrFindOptions, LrFindResult, LrStepFn } from "./lr-find.js";
export { sharpness, edgeOfStability, adamPreconditioner } from "./sharpness.js";
export type { SharpnessOptions, SharpnessResult, EdgeOfStabilityInput, EdgeOfStabilityResult } from "./sharpness.js";
export { seedSweep } from "./seed-sweep.js";
export type { SeedSweepOptions, SeedSweepResult, SweepConfig, SweepConfigSummary, SweepOutcome, Spread } from "./seed-sweep.js";
// verified cures: a recipe cures can be applied to, and the trials that check them
export { mlpRecipe, buildRecipeNet, recipeInputs, DEFAULT_RECIPE, RECIPE_ACTIVATIONS } from "./recipe.js";
export type { Recipe, RecipeConfig, RecipeData, RecipeActivation, TrialResult } from "./recipe.js";
export { tryCures, applyCure } from "./cures.js";
export type { TryCuresOptions, TryCuresResult, CureTrial } from "./cures.js";
// the training monitor and its diagnosis rules
export { monitor, Monitor } from "./monitor.js";
export type { MonitorOptions, MonitorStepOptions, SharpnessRecord } from "./monitor.js";
export { DEFAULT_THRESHOLDS } from "./thresholds.js";
export type { Thresholds } from "./thresholds.js";
