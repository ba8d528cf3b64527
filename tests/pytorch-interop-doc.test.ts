// docs/pytorch-interop.md: every ```ts block runs as written (from the repository root, where the
// round-trip fixtures it reads live), with "steadytensor" resolved to the Node entry, and prints
// what its comments say it prints.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const DOC = join(ROOT, "docs", "pytorch-interop.md");
const ENTRY = join(ROOT, "src", "node.ts");

/** The doc's ```ts blocks, in order. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** `// value` comments after a console.log(...) line: what the line must print (as JSON-ish text). */
function expectedPrints(code: string): string[] {
  return code.split("\n").filter((l) => /^console\.log\(/.test(l.trim()) && l.includes("//")).map((l) => l.slice(l.lastIndexOf("//") + 2).trim());
}

const blocks = tsBlocks(readFileSync(DOC, "utf8"));
const dir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "steady-doc-"));

describe("docs/pytorch-interop.md", () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it("has the four examples (nn, Keras-style, encoder prefix, save for PyTorch)", () => {
    expect(blocks.length).toBe(4);
    for (const b of blocks) expect(b).toContain('import * as st from "steadytensor";');
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))("block %i runs and prints what its comments say", async (i, code) => {
    const file = join(dir, `block-${i}.ts`);
    writeFileSync(file, code.replace('from "steadytensor"', `from ${JSON.stringify(pathToFileURL(ENTRY).href)}`));
    const printed: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => { printed.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")); });
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      await import(pathToFileURL(file).href);
    } finally {
      process.chdir(cwd);
    }
    const want = expectedPrints(code);
    expect(printed.length).toBe(want.length);
    // the comment is the value in JS notation: compare without spaces and quotes
    const norm = (s: string): string => s.replace(/[\s"']/g, "");
    printed.forEach((p, k) => expect(norm(p), `print ${k + 1} of block ${i}`).toBe(norm(want[k]!)));
  });
});
