// st.data: browser-safe data utilities (the Node entry adds st.datasets with the bundled files).
export { parseNumericCsv } from "./csv.js";
export type { ParsedTable } from "./csv.js";
export { trainTestSplit } from "./split.js";
export type { Split } from "./split.js";
