// The raw-storage scanner behind tests/raw-data-access.test.ts: finds code outside src/core/ and
// src/backend/ that reads or writes a tensor's raw typed array, so a backend whose memory is not a
// JavaScript typed array (WebAssembly memory, a GPU buffer) can be added (issue 10, item 4).
// Comments and string literals are blanked first, so prose that mentions `_data` is not flagged.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** One forbidden pattern: what it matches and why it is raw access. */
export interface RawRule {
  name: string;
  re: RegExp;
}

/** The patterns; each is applied to code with comments and strings blanked out. */
export const RAW_RULES: readonly RawRule[] = [
  { name: "._data (the live typed array)", re: /\.\s*_data\b/ },
  { name: "._s (the storage)", re: /\.\s*_s\b/ },
  { name: "_fromData (wraps a raw array)", re: /\b_fromData\b/ },
  { name: "import of core/storage (the Storage class holds .data)", re: /\bfrom\s+["'`][^"'`]*core\/storage(\.js)?["'`]|import\(\s*["'`][^"'`]*core\/storage(\.js)?["'`]/ },
  { name: "shareStorage(...) opened (the handle is opaque)", re: /\bshareStorage\s*\([^()]*\)\s*(\?\.|\.|\[)/ },
  { name: ".data of a storage", re: /\b\w*[sS]torage\s*(\?\.|\.)\s*data\b/ },
];

/**
 * `t["_data"]` / `t['_s']`: the name is a string, which blanking empties, so this one is matched on
 * the raw line and kept only where the blanked line still has the `[` (not inside a comment or
 * string; blanking keeps quote delimiters and brackets of code).
 */
const BRACKET_ACCESS = /\[\s*(["'`])(_data|_s)\1\s*\]/g;

/** One finding: `file:line` (1-based) and the rule it broke. */
export interface RawHit {
  file: string;
  line: number;
  rule: string;
  text: string;
}

/**
 * `src` with comments and the contents of string/template literals replaced by spaces (newlines
 * kept, so line numbers stay), while the code inside `${…}` of a template is kept.
 */
export function blankCommentsAndStrings(src: string): string {
  const out = src.split("");
  // a stack of contexts: "code" (with its brace depth, to find the end of a `${`) or "template"
  const stack: { kind: "code" | "template"; depth: number }[] = [{ kind: "code", depth: 0 }];
  const blank = (i: number) => {
    if (out[i] !== "\n") out[i] = " ";
  };
  let i = 0;
  while (i < src.length) {
    const top = stack[stack.length - 1]!;
    const c = src[i]!;
    if (top.kind === "template") {
      if (c === "\\") { blank(i); blank(i + 1); i += 2; continue; }
      if (c === "`") { stack.pop(); i++; continue; }
      if (c === "$" && src[i + 1] === "{") { stack.push({ kind: "code", depth: 0 }); i += 2; continue; }
      blank(i); i++; continue;
    }
    // code
    if (c === "/" && src[i + 1] === "/") {
      while (i < src.length && src[i] !== "\n") blank(i++);
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? src.length : end + 2;
      while (i < stop) blank(i++);
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < src.length && src[i] !== c && src[i] !== "\n") {
        if (src[i] === "\\") blank(i++);
        blank(i++);
      }
      i++;
      continue;
    }
    if (c === "`") { stack.push({ kind: "template", depth: 0 }); i++; continue; }
    if (c === "{") top.depth++;
    if (c === "}") {
      if (top.depth === 0 && stack.length > 1) { stack.pop(); i++; continue; } // end of a `${`
      top.depth--;
    }
    i++;
  }
  return out.join("");
}

/**
 * Scans one file's text. Import paths are strings, so the import rule runs on the raw line (its
 * pattern anchors on `from`/`import(`, which a comment or a message rarely spells out).
 */
export function scanSource(file: string, text: string): RawHit[] {
  const code = blankCommentsAndStrings(text).split("\n");
  const raw = text.split("\n");
  const hits: RawHit[] = [];
  for (let n = 0; n < code.length; n++) {
    for (const rule of RAW_RULES) {
      const isImport = rule.name.startsWith("import");
      const line = isImport ? raw[n]! : code[n]!;
      if (isImport && /^\s*(\/\/|\*|\/\*)/.test(line)) continue; // an import spelled out in a comment
      if (rule.re.test(line)) hits.push({ file, line: n + 1, rule: rule.name, text: raw[n]!.trim() });
    }
    for (const m of raw[n]!.matchAll(BRACKET_ACCESS)) {
      if (code[n]![m.index] === "[") hits.push({ file, line: n + 1, rule: `["${m[2]}"] (raw storage by index)`, text: raw[n]!.trim() });
    }
  }
  return hits;
}

/** All `.ts` files under `dir`, as paths relative to `root` with forward slashes. */
function tsFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(root, p));
    else if (name.endsWith(".ts")) out.push(relative(root, p).split(sep).join("/"));
  }
  return out.sort();
}

/** Folders allowed to touch raw storage: the tensor itself and the backends that own memory. */
export const RAW_ALLOWED = ["src/core/", "src/backend/"] as const;

/** Every violation in `root/src/**\/*.ts` outside RAW_ALLOWED. */
export function scanTree(root: string): RawHit[] {
  const files = tsFiles(root, join(root, "src")).filter((f) => !RAW_ALLOWED.some((a) => f.startsWith(a)));
  return files.flatMap((f) => scanSource(f, readFileSync(join(root, f), "utf8")));
}

/** `file:line  rule  code`, one per hit, for the failure message. */
export function formatHits(hits: readonly RawHit[]): string {
  return hits.map((h) => `${h.file}:${h.line}  [${h.rule}]  ${h.text}`).join("\n");
}
