// st.callbacks on Node: the browser-safe callbacks plus those that write files.

export * from "./index.js";
export { ModelCheckpoint, saveModelAtomic } from "./model-checkpoint-node.js";
export type { ModelCheckpointOptions } from "./model-checkpoint-node.js";
export { CSVLogger } from "./csv-logger-node.js";
export type { CSVLoggerOptions } from "./csv-logger-node.js";
export { ProgressBar } from "../progress-node.js";
export type { ProgressBarOptions, ProgressStream } from "../progress-node.js";
