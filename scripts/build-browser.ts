// The browser build: one ESM bundle of the library's browser entry (src/index.ts: the pure-TypeScript
// js backend, no native addon, no `node:` import) at dist/browser/steadytensor.js with its source
// map, minified, for `<script type="module">` or any bundler (package.json's `browser`/`default`
// export conditions point here). `npm run build:browser` writes it and prints its size, raw and
// gzipped; tests/browser-build.test.ts bundles it in memory with the same options.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type BuildOptions, type BuildResult, type Plugin } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BROWSER_ENTRY = join(ROOT, "src", "index.ts");
export const BROWSER_OUT = join(ROOT, "dist", "browser", "steadytensor.js");

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** True when `spec` names a Node builtin (`node:fs`, `fs`, `fs/promises`, …). */
export function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith("node:") || BUILTINS.has(spec) || BUILTINS.has(spec.split("/")[0]!);
}

/**
 * True when the dependency that contains `importer` maps `spec` to `false` in its package.json
 * `browser` field: the package declares that it runs without that builtin in a browser (protobufjs
 * probes for `fs` inside a try/catch), and esbuild's browser platform then bundles an empty module.
 * Our own sources never get this pass.
 */
function browserMapsAway(spec: string, importer: string): boolean {
  if (!importer.includes(`${sep}node_modules${sep}`)) return false;
  for (let dir = dirname(importer); dir.includes(`${sep}node_modules${sep}`); dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (!existsSync(pkg)) continue;
    const browser = (JSON.parse(readFileSync(pkg, "utf8")) as { browser?: unknown }).browser;
    return typeof browser === "object" && browser !== null && (browser as Record<string, unknown>)[spec] === false;
  }
  return false;
}

/**
 * An esbuild plugin that keeps every Node builtin out of the bundle and records who imported it.
 * Marking them external (rather than letting resolution fail) lets the build finish, so one run
 * lists every offender with its importer instead of stopping at the first. A dependency whose
 * package.json maps the builtin away for browsers is left to esbuild (browserMapsAway).
 */
export function nodeImportGuard(found: { spec: string; importer: string }[]): Plugin {
  return {
    name: "node-import-guard",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!isNodeBuiltin(args.path) || browserMapsAway(args.path, args.importer)) return undefined;
        found.push({ spec: args.path, importer: relative(ROOT, args.importer) });
        return { path: args.path, external: true };
      });
    },
  };
}

/** The esbuild options of the browser bundle (shared by the build and the test). */
export function browserBuildOptions(found: { spec: string; importer: string }[]): BuildOptions {
  return {
    entryPoints: [BROWSER_ENTRY],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: "linked", // a sourceMappingURL comment points devtools at the .map
    metafile: true,
    legalComments: "none",
    outfile: BROWSER_OUT,
    logLevel: "silent",
    plugins: [nodeImportGuard(found)],
  };
}

export interface BrowserBundle {
  /** The bundle's JavaScript and its source map. */
  js: Uint8Array;
  map: Uint8Array;
  /** Node builtins some source file imported (must be empty). */
  nodeImports: { spec: string; importer: string }[];
  /** Every import esbuild left external (from the metafile; must be empty: the bundle is self-contained). */
  externals: string[];
  /** Source files in the bundle, relative to the repository. */
  inputs: string[];
  result: BuildResult;
}

/** Bundles the browser entry in memory (nothing is written). */
export async function bundleBrowser(): Promise<BrowserBundle> {
  const found: { spec: string; importer: string }[] = [];
  const result = await build({ ...browserBuildOptions(found), write: false });
  const js = result.outputFiles!.find((f) => f.path.endsWith(".js"))!.contents;
  const map = result.outputFiles!.find((f) => f.path.endsWith(".js.map"))!.contents;
  const outputs = Object.values(result.metafile!.outputs);
  const externals = outputs.flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  return { js, map, nodeImports: found, externals, inputs: Object.keys(result.metafile!.inputs), result };
}

const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;

/** Writes dist/browser/steadytensor.js (+ .map) and returns its raw and gzipped sizes in bytes. */
export async function writeBrowserBundle(): Promise<{ raw: number; gzip: number; files: number }> {
  const b = await bundleBrowser();
  if (b.nodeImports.length > 0 || b.externals.length > 0) {
    const list = b.nodeImports.map((n) => `${n.spec} (imported by ${n.importer})`).concat(b.externals.filter((e) => !isNodeBuiltin(e)));
    throw new Error(`build:browser: the browser entry must not import Node builtins or leave imports external; found: ${list.join(", ")}`);
  }
  mkdirSync(dirname(BROWSER_OUT), { recursive: true });
  writeFileSync(BROWSER_OUT, b.js);
  writeFileSync(`${BROWSER_OUT}.map`, b.map);
  return { raw: b.js.length, gzip: gzipSync(b.js, { level: 9 }).length, files: b.inputs.length };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { raw, gzip, files } = await writeBrowserBundle();
  console.log(`build:browser: ${relative(ROOT, BROWSER_OUT)} (+ .map) from ${files} source files: ${kib(raw)} raw, ${kib(gzip)} gzipped (${raw} / ${gzip} bytes)`);
}
