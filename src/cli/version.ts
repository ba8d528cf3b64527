// The package version, read from package.json (two levels up from both src/cli and dist/cli).
import { createRequire } from "node:module";

export function version(): string {
  return (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
}
