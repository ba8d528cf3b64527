// Builds the optional native addon at `npm install`. Never fails the install: without a compiler
// the library runs on the pure-TypeScript backend and st.backendInfo() says why.
import { existsSync, writeFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const statusFile = join(root, "build", "native-status.json");

function record(ok, reason) {
  mkdirSync(dirname(statusFile), { recursive: true });
  writeFileSync(statusFile, JSON.stringify({ ok, reason, date: new Date().toISOString() }, null, 2));
}

if (process.env.STEADY_SKIP_NATIVE === "1") {
  record(false, "STEADY_SKIP_NATIVE=1 was set at install time");
  console.log("steadytensor: native addon skipped (STEADY_SKIP_NATIVE=1); using the js backend");
  process.exit(0);
}
if (!existsSync(join(root, "binding.gyp"))) {
  record(false, "binding.gyp not found");
  process.exit(0);
}
// npm hands install scripts its bundled node-gyp (npm_config_node_gyp); outside npm, use the copy
// bundled with npm next to this node, else PATH.
const prefix = join(dirname(process.execPath), "..");
const bundledGyp = join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js");
const gypJs = process.env.npm_config_node_gyp || (existsSync(bundledGyp) ? bundledGyp : undefined);
// Use the headers installed with this node (no download) unless a nodedir was configured.
const args = ["rebuild", "--jobs", "max"];
if (!process.env.npm_config_nodedir && existsSync(join(prefix, "include", "node", "node_api.h"))) {
  args.push(`--nodedir=${prefix}`);
}
const gyp = gypJs
  ? spawnSync(process.execPath, [gypJs, ...args], { cwd: root, stdio: "inherit" })
  : spawnSync("node-gyp", args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
if (gyp.status === 0) {
  record(true, "built");
  console.log("steadytensor: native addon built");
} else {
  record(false, gyp.error ? `node-gyp could not start (${gyp.error.message})` : `node-gyp rebuild failed (exit ${gyp.status ?? gyp.signal}); is a C++ compiler installed?`);
  console.warn("steadytensor: native addon could not be built; falling back to the pure-TypeScript backend");
}
