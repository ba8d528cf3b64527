// The browser build: src/index.ts bundled for platform "browser" (in memory, with the options of
// `npm run build:browser`) must pull in no Node builtin and leave nothing external; the bundle must
// run (imported as an ES module); the browser entry must typecheck with Node's types off and the
// DOM library on (tsconfig.browser.json); and package.json must publish the bundle through its
// `browser`/`default` export conditions while Node keeps the node entry.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { BROWSER_ENTRY, browserBuildOptions, bundleBrowser, isNodeBuiltin } from "../scripts/build-browser.js";

const ROOT = join(import.meta.dirname, "..");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** Runs tsc on a project; returns its exit status and output. */
function tsc(project: string): { status: number; out: string } {
  try {
    const out = execFileSync(process.execPath, [TSC, "-p", project, "--noEmit"], { cwd: ROOT, encoding: "utf8", stdio: "pipe" });
    return { status: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { status: err.status, out: `${err.stdout}${err.stderr}` };
  }
}

describe("the browser bundle", () => {
  it("has no Node builtin, no external import, and its size is what build:browser reports", async () => {
    const b = await bundleBrowser();
    expect(b.nodeImports).toEqual([]);
    expect(b.externals).toEqual([]);
    // the whole library is in it (the entry, the js backend, nn, train), and nothing Node-only
    expect(b.inputs).toContain("src/index.ts");
    expect(b.inputs).toContain("src/backend/js/index.ts");
    expect(b.inputs.some((f) => f.startsWith("src/train/"))).toBe(true);
    // the addon's loader, allocator and malloc tuning, the Node entry, the CLI and *-node.ts files stay
    // out (native/fused-reference.ts is pure TypeScript: the js backend's fused kernels)
    const nodeOnly = /native\/(addon|index|malloc|raw-allocator)\.ts$|-node\.ts$|^src\/node\.ts$|^src\/cli\//;
    expect(b.inputs.filter((f) => nodeOnly.test(f))).toEqual([]);
    // a size budget, so a dependency pulled in by accident shows up here (today ≈ 572 KiB / 182 KiB, after issue 15 and the ONNX exporter)
    expect(b.js.length).toBeLessThan(800 * 1024);
    expect(gzipSync(b.js).length).toBeLessThan(260 * 1024);
    expect(new TextDecoder().decode(b.js)).toMatch(/\/\/# sourceMappingURL=steadytensor\.js\.map\s*$/);
  });

  it("the guard catches a Node import: a file importing node:fs and path fails the same check", async () => {
    const dir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "steady-browser-"));
    const bad = join(dir, "bad.ts");
    writeFileSync(bad, `import { readFileSync } from "node:fs";\nimport * as path from "path";\nexport const f = () => [readFileSync, path];\n`);
    const found: { spec: string; importer: string }[] = [];
    const r = await build({ ...browserBuildOptions(found), entryPoints: [bad], write: false });
    expect(found.map((f) => f.spec).sort()).toEqual(["node:fs", "path"]);
    const externals = Object.values(r.metafile!.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
    expect(externals.sort()).toEqual(["node:fs", "path"]);
    expect(isNodeBuiltin("fs/promises")).toBe(true);
    expect(isNodeBuiltin("uplot")).toBe(false);
  });

  it("a dependency that maps a builtin to false for browsers (protobufjs and fs) gets an empty module; the same import from our own file is caught", async () => {
    const dir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "steady-browser-"));
    const dep = join(dir, "node_modules", "probe");
    mkdirSync(dep, { recursive: true });
    writeFileSync(join(dep, "package.json"), JSON.stringify({ name: "probe", main: "index.js", browser: { fs: false } }));
    writeFileSync(join(dep, "index.js"), `let fs = null; try { fs = require("fs"); } catch (e) {} module.exports = () => fs;\n`);
    const ok = join(dir, "ok.ts");
    writeFileSync(ok, `import probe from "probe";\nexport const f = probe;\n`);
    const found: { spec: string; importer: string }[] = [];
    const r = await build({ ...browserBuildOptions(found), entryPoints: [ok], write: false });
    expect(found).toEqual([]);
    expect(Object.values(r.metafile!.outputs).flatMap((o) => o.imports.filter((i) => i.external))).toEqual([]);
    const bad = join(dir, "bad.ts");
    writeFileSync(bad, `import * as fs from "fs";\nexport const f = fs;\n`);
    await build({ ...browserBuildOptions(found), entryPoints: [bad], write: false });
    expect(found.map((x) => x.spec)).toEqual(["fs"]);
  });

  it("runs: imported as an ES module, it trains a small model with fit on the js backend", async () => {
    const b = await bundleBrowser();
    const dir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "steady-browser-"));
    const file = join(dir, "steadytensor.js");
    writeFileSync(file, b.js);
    writeFileSync(`${file}.map`, b.map); // the bundle's sourceMappingURL points here (vitest reads it)
    const st = (await import(pathToFileURL(file).href)) as typeof import("../src/index.js");
    expect(st.backendInfo().active).toBe("js");
    expect(st.backendInfo().native.loaded).toBe(false);
    expect(st.tensor([1, 2, 3]).mul(2).toArray()).toEqual([2, 4, 6]);
    st.manualSeed(0);
    const x = st.randn([64, 2]);
    const y = x.matmul(st.tensor([[2], [-1]])).add(0.5);
    const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: { name: "sgd", learningRate: 0.1 }, loss: "mse" });
    const h = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    const loss = h.history.loss!;
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]! * 0.01);
  });
});

describe("the browser entry typechecks without Node's types", () => {
  it("tsconfig.browser.json (types: [], lib ES2022 + DOM, files: src/index.ts) has no error", () => {
    const cfg = JSON.parse(readFileSync(join(ROOT, "tsconfig.browser.json"), "utf8")) as { compilerOptions: { types: string[]; lib: string[] }; files: string[] };
    expect(cfg.compilerOptions.types).toEqual([]);
    expect(cfg.compilerOptions.lib).toEqual(["ES2022", "DOM"]);
    expect(cfg.files).toEqual(["src/index.ts"]);
    expect(join(ROOT, cfg.files[0]!)).toBe(BROWSER_ENTRY);
    const r = tsc("tsconfig.browser.json");
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
  });

  it("the same settings reject Node's globals and modules (so the check above can fail)", () => {
    const dir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "steady-browser-probe-"));
    writeFileSync(join(dir, "probe.ts"), `import { readFileSync } from "node:fs";\nexport const a = process.env.HOME;\nexport const b = Buffer.from("x");\nexport const c = readFileSync;\n`);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ extends: join(ROOT, "tsconfig.browser.json"), compilerOptions: { rootDir: "." }, files: ["probe.ts"] }));
    const r = tsc(join(dir, "tsconfig.json"));
    expect(r.status).not.toBe(0);
    // cannot find module 'node:fs', name 'process', name 'Buffer'
    expect(r.out).toMatch(/TS2307.*node:fs/);
    expect(r.out).toMatch(/TS25\d\d.*'process'/);
    expect(r.out).toMatch(/TS25\d\d.*'Buffer'/);
  });
});

describe("package.json publishes the bundle", () => {
  it("browser and default conditions → the bundle with index.d.ts; node → the node entry", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, Record<string, Record<string, string>>>; scripts: Record<string, string> };
    const dot = pkg.exports["."]!;
    // order matters: the first matching condition wins, and a browser bundler may also set "import"
    expect(Object.keys(dot)).toEqual(["browser", "node", "default"]);
    expect(dot.browser).toEqual({ types: "./dist/index.d.ts", default: "./dist/browser/steadytensor.js" });
    expect(dot.default).toEqual({ types: "./dist/index.d.ts", default: "./dist/browser/steadytensor.js" });
    expect(dot.node).toEqual({ types: "./dist/node.d.ts", default: "./dist/node.js" });
    expect(pkg.scripts["build:browser"]).toBe("tsx scripts/build-browser.ts");
    expect(pkg.scripts.build).toContain("scripts/build-browser.ts");
  });
});
