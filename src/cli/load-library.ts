// Loads the library for a subcommand after choosing the backend: the Node entry reads
// STEADY_BACKEND when it is imported, so the variable must be set before the first import.

import type * as St from "../node.js";
import { CliError } from "./cli-error.js";

export async function loadLibrary(backend: string | null | undefined): Promise<typeof St> {
  if (backend) process.env.STEADY_BACKEND = backend;
  const st = await import("../node.js");
  if (backend === "native" && st.backendInfo().active !== "native") {
    throw new CliError(`--backend native is not available: ${st.backendInfo().native.reason}`, 1);
  }
  return st;
}
