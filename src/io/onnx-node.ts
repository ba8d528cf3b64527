// st.onnx on Node: everything in io/onnx/index.ts, plus writing the exported model to a file
// (`st.onnx.export(…, { path })` or `st.onnx.save(…)`), atomically like the other savers.

import { ValueError } from "../core/errors.js";
import type { AnyModule } from "../nn/module.js";
import type { Model } from "../train/model.js";
import { writeFileAtomic } from "./files-node.js";
import { type ExportOptions, exportOnnx } from "./onnx/export.js";

export { mappedOps } from "./onnx/index.js";
export type { ExportOptions } from "./onnx/index.js";

/**
 * st.onnx.export on Node: the ONNX ModelProto bytes of `module`'s forward on `exampleInputs`
 * (see the browser-safe form for tracing, dynamic axes and names), also written to `opts.path`
 * when given.
 * @example
 * const bytes = st.onnx.export(new st.nn.Linear(4, 2), [st.randn([3, 4])], { dynamicAxes: { input: { 0: "batch" } } });
 * bytes.length > 0; // true
 */
function exportNode(module: AnyModule | Model, exampleInputs: unknown, opts: ExportOptions = {}): Uint8Array {
  const { path, ...rest } = opts ?? {};
  const bytes = exportOnnx(module, exampleInputs, rest);
  if (path !== undefined) {
    if (typeof path !== "string" || path === "") throw new ValueError(`onnx.export: path must be a non-empty string (got ${JSON.stringify(path)})`);
    writeFileAtomic(path, bytes);
  }
  return bytes;
}
export { exportNode as export };

/**
 * Exports `module` as ONNX (st.onnx.export) and writes the model to `path`; returns the bytes.
 * @example
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const file = join(mkdtempSync(join(tmpdir(), "onnx-")), "linear.onnx");
 * st.onnx.save(new st.nn.Linear(4, 2), [st.randn([3, 4])], file);
 */
export function save(module: AnyModule | Model, exampleInputs: unknown, path: string, opts: Omit<ExportOptions, "path"> = {}): Uint8Array {
  return exportNode(module, exampleInputs, { ...opts, path });
}
