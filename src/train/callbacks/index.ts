// st.callbacks: the browser-safe callbacks of `fit` (Node adds ModelCheckpoint and CSVLogger).

export { Callback } from "../callback.js";
export type { Logs, FitParams, CallbackModel } from "../callback.js";
// the model engineer's two: the History fit returns and TerminateOnNaN (on by default)
export { History } from "./history.js";
export type { NonFiniteStop } from "./history.js";
export { TerminateOnNaN } from "./terminate-on-nan.js";
export type { TerminateOnNaNOptions } from "./terminate-on-nan.js";
export { EarlyStopping } from "./early-stopping.js";
export type { EarlyStoppingOptions } from "./early-stopping.js";
export { LearningRateScheduler } from "./learning-rate-scheduler.js";
export type { LrScheduleFn } from "./learning-rate-scheduler.js";
export { ReduceLROnPlateau } from "./reduce-lr-on-plateau.js";
export type { ReduceLROnPlateauCallbackOptions } from "./reduce-lr-on-plateau.js";
export { SchedulerCallback } from "./scheduler-callback.js";
export type { SchedulerCallbackOptions } from "./scheduler-callback.js";
export { LambdaCallback } from "./lambda-callback.js";
export type { LambdaCallbackHooks } from "./lambda-callback.js";
export type { MonitorMode } from "./monitor.js";
