// `steady info [--json]`: the library version and what runs the kernels (backend, ISA, threads),
// as readable text or as JSON for scripts.

import { availableParallelism } from "node:os";
import { loadLibrary } from "./load-library.js";
import { version } from "./version.js";

export async function infoCommand(opts: { json?: boolean; backend?: string }): Promise<void> {
  const st = await loadLibrary(opts.backend ?? null);
  const b = st.backendInfo();
  const report = {
    version: version(),
    backend: b.active,
    available: b.available,
    native: b.native,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: availableParallelism(),
  };
  if (opts.json) return void console.log(JSON.stringify(report, null, 2));
  const n = b.native;
  console.log(
    [
      `steadytensor ${report.version}`,
      `backend   ${b.active} (available: ${b.available.join(", ")})`,
      `native    ${n.loaded ? "loaded" : "not loaded"}${n.reason === "loaded" ? "" : `: ${n.reason}`}`,
      `ISA       ${n.isa ?? "n/a (js kernels)"}`,
      `threads   ${n.threads ?? 1}${n.threads ? "" : " (js kernels run on the main thread)"}`,
      ...(n.malloc ? [`malloc    ${n.malloc}`] : []),
      `node      ${report.node} on ${report.platform}, ${report.cpus} CPUs`,
    ].join("\n"),
  );
}
