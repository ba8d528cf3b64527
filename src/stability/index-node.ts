// `st.stability` on Node: everything browser-safe from index.ts plus the parts that touch files
// (this explicit namespace in node.ts shadows the browser one from index.js, like st.data).
export * from "./index.js";
export { writeReport } from "./report-node.js";
