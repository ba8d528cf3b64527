// Typechecks every ```ts block of docs/*.md as a user would paste it (strict TypeScript, the
// package imported as "steadytensor" → src/node.ts), so the guides show code that compiles, not
// only code that runs. Used by tests/docs-guides.test.ts and scripts/check-docs-types.ts.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { extractTsBlocks } from "./md-blocks.js";

export interface DocsTypecheck {
  ok: boolean;
  /** How many blocks were checked. */
  blocks: number;
  /** tsc's diagnostics, each line led by the Markdown file, line and heading of its block. */
  output: string;
}

/**
 * Writes the blocks to tests/.docs-types/ (git-ignored), runs tsc over them in a child process
 * (asynchronously, so a caller can run other work meanwhile), and cleans up when they pass.
 */
export async function typecheckDocBlocks(root: string): Promise<DocsTypecheck> {
  const dir = join(root, "tests", ".docs-types");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const where = new Map<string, string>();
  for (const f of readdirSync(join(root, "docs")).filter((n) => n.endsWith(".md")).sort()) {
    extractTsBlocks(f, readFileSync(join(root, "docs", f), "utf8")).forEach((b, i) => {
      const name = `${f.replace(/\W/g, "_")}_${i}.ts`;
      writeFileSync(join(dir, name), `${b.code.replace(/from\s+"steadytensor"/g, 'from "../../src/node.js"')}\nexport {};\n`);
      files.push(name);
      where.set(name, `docs/${f}:${b.line} (${b.heading})`);
    });
  }
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    extends: "../../tsconfig.json",
    compilerOptions: { noEmit: true, rootDir: "../.." },
    include: files,
  }));
  // never rejects: a failure to start tsc is reported as a failed check with its reason
  const r = await new Promise<{ status: number | null; text: string }>((resolve) => {
    const child = spawn(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")]);
    let text = "";
    child.stdout.on("data", (d: Buffer) => { text += d.toString("utf8"); });
    child.stderr.on("data", (d: Buffer) => { text += d.toString("utf8"); });
    child.on("error", (err) => resolve({ status: null, text: `could not run tsc: ${err.message}` }));
    child.on("close", (status) => resolve({ status, text }));
  });
  const output = r.text.replace(/tests\/\.docs-types\/(\w+\.ts)/g, (_m, n: string) => `${where.get(n) ?? n} → ${n}`);
  const ok = r.status === 0;
  if (ok) rmSync(dir, { recursive: true, force: true });
  return { ok, blocks: files.length, output };
}
