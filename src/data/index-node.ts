// st.data on Node: everything browser-safe from index.ts plus readCsv (reads files).
export * from "./index.js";
export { readCsv } from "./csv-node.js";
