// st.data: browser-safe data utilities (the Node entry adds readCsv, and st.datasets with the bundled files).
export { parseNumericCsv, parseCsv } from "./csv.js";
export type { ParsedTable, CsvData, CsvOptions } from "./csv.js";
export { trainTestSplit } from "./split.js";
export type { Split } from "./split.js";
export { TensorDataset, Subset } from "./dataset.js";
export type { Dataset } from "./dataset.js";
export { DataLoader, defaultCollate } from "./dataloader.js";
export type { DataLoaderOptions } from "./dataloader.js";
export { randomSplit } from "./random-split.js";
export { StandardScaler } from "./scaler.js";
export type { StandardScalerState } from "./scaler.js";
export { linearData, makeRegression, makeSpirals, makeBlobs } from "./synthetic.js";
export type { SeedOptions } from "./synthetic.js";
export { sequenceReversal, sequenceCopy } from "./sequences.js";
export type { SequenceTaskOptions } from "./sequences.js";
