// st.onnx: export a module's forward pass as an ONNX model (bytes; the browser-safe part).
// On Node, st.onnx also saves to a file (src/io/onnx-node.ts).

export { exportOnnx as export } from "./export.js";
export type { ExportOptions } from "./export.js";
export { MAPPED_OPS as mappedOps } from "./op-mappings.js";
