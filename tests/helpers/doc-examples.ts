// Finds the runnable examples of the API documentation — the `@example` tags of src/**/*.ts — and
// runs one as written, with `st` the Node entry. (The guides' ```ts blocks in docs/*.md are run by
// tests/docs-guides.test.ts, which also typechecks them.) An @example's text is markdown; one
// without a fence is code as a whole (TypeDoc renders it so), so it is one block.
//
// Conventions for fenced blocks inside an @example:
//   ```ts            runs, in a fresh scope, with `st` in scope and `import ... from "steadytensor"` allowed
//   ```ts continued  runs after the blocks before it in the same @example
//   ```ts no-run     shown, not run (a sketch, a browser-only snippet, a long training run)
//   st.x(...); // [1, 2] (float32)   a statement line whose comment gives values and dtype is checked
// Only the first word of a fence's info string is its language (markdown-it, GitHub), so the
// extra word does not change how it is highlighted.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { transform } from "esbuild";

export interface DocExample {
  /** the symbol the JSDoc documents (or the guide's nearest heading) */
  symbol: string;
  /** repository-relative file and the 1-based line where the block starts */
  file: string;
  line: number;
  /** the code to run: earlier blocks first when it is `continued` */
  code: string;
}

interface Block { code: string; line: number; info: string }

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/;

/** The fenced ts blocks of a markdown text; `firstLine` is the text's first line in its file. */
export function fencedBlocks(markdown: string, firstLine = 1): Block[] {
  const out: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang, rest] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (l.trim().startsWith(fence!) && l.trim().replace(/[`~]/g, "") === "") break;
      body.push(l.startsWith(indent!) ? l.slice(indent!.length) : l);
    }
    if (lang === "ts" || lang === "typescript") out.push({ code: body.join("\n"), line: firstLine + i + 1, info: rest!.trim() });
    i = j;
  }
  return out;
}

/** Each JSDoc comment's text (the ` * ` margin removed), its first line, and the name it documents. */
function jsdocComments(src: string): { text: string; line: number; symbol: string }[] {
  const out: { text: string; line: number; symbol: string }[] = [];
  const re = /\/\*\*([\s\S]*?)\*\//g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const line = src.slice(0, m.index).split("\n").length;
    const text = m[1]!.split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n");
    const after = src.slice(m.index + m[0].length).split("\n").find((l) => l.trim() !== "") ?? "";
    out.push({ text, line, symbol: declaredName(after) });
  }
  return out;
}

/** The name a declaration line declares (`export function add(`, `class Linear`, `  sum(dims`, `get T()`). */
function declaredName(line: string): string {
  const m = /(?:function\*?|class|interface|type|const|let|var|enum|namespace)\s+([A-Za-z_$][\w$]*)/.exec(line)
    ?? /^\s*(?:(?:public|static|readonly|async|override|abstract|get|set)\s+)*([A-Za-z_$][\w$]*)\s*[(<:?]/.exec(line);
  return m?.[1] ?? "?";
}

/** The `@example` sections of one JSDoc text, each with its line offset inside the text. */
function exampleSections(text: string): { body: string; offset: number }[] {
  // a block tag in mid-line (`/** Flattens. @example x.flatten(1) */`) starts a section, as in TypeDoc
  const lines = text.split("\n").flatMap((l) => (/^\s*(```|~~~)/.test(l) ? [l] : l.replace(/(\S)\s+(@(?:example|param|returns|throws|see|remarks|deprecated)\b)/g, "$1\u0000$2").split("\u0000")));
  const out: { body: string; offset: number }[] = [];
  let cur: { lines: string[]; offset: number } | null = null;
  let inFence = false;
  const flush = () => { if (cur) out.push({ body: cur.lines.join("\n"), offset: cur.offset }); cur = null; };
  lines.forEach((l, i) => {
    if (/^\s*(```|~~~)/.test(l)) inFence = !inFence;
    const tag = !inFence && /^\s*@(\w+)(.*)$/.exec(l);
    if (tag) {
      flush();
      // the example's text may start on the tag's own line (`@example x.sum()`)
      if (tag[1] === "example") cur = { lines: tag[2]!.trim() ? [tag[2]!.trim()] : [], offset: tag[2]!.trim() ? i : i + 1 };
      return;
    }
    if (cur) (cur as { lines: string[] }).lines.push(l);
  });
  flush();
  return out;
}

/** The examples of one source file. */
export function extractExamples(file: string, text: string): DocExample[] {
  const out: DocExample[] = [];
  for (const c of jsdocComments(text)) {
    for (const s of exampleSections(c.text)) {
      const startLine = c.line + s.offset;
      const blocks = /^\s*(```|~~~)/m.test(s.body) ? fencedBlocks(s.body, startLine) : [{ code: s.body, line: startLine, info: "" }];
      let chain = "";
      for (const b of blocks) {
        if (/\bno-run\b/.test(b.info) || b.code.trim() === "") continue;
        const code = /\bcontinued\b/.test(b.info) ? `${chain}\n${b.code}` : b.code;
        chain = code;
        out.push({ symbol: c.symbol, file, line: b.line, code });
      }
    }
  }
  return out;
}

/** Every .ts under src/, repository-relative, sorted. */
export function documentedFiles(root: string): string[] {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
  return walk(join(root, "src")).map((p) => relative(root, p)).sort();
}

export function allExamples(root: string): DocExample[] {
  return documentedFiles(root).flatMap((f) => extractExamples(f, readFileSync(join(root, f), "utf8")));
}

/**
 * The example as the body of an async function: its `import`s become `await __import(...)` (so
 * `import * as st from "steadytensor"` and `import { Tensor } from "steadytensor"` both work), and
 * esbuild strips the types.
 */
export async function compileExample(code: string): Promise<string> {
  const rewritten = code.replace(
    /^\s*import\s+(type\s+)?([\s\S]*?)\s+from\s+(["'][^"']+["'])\s*;?/gm,
    (_m, isType: string | undefined, what: string, mod: string) => {
      if (isType) return "";
      what = what.trim();
      if (what.startsWith("* as ")) return `const ${what.slice(5).trim()} = await __import(${mod});`;
      if (what.startsWith("{")) {
        const names = what.slice(1, -1).split(",").map((s) => s.trim()).filter((s) => s && !s.startsWith("type "));
        return `const { ${names.map((n) => n.replace(/\s+as\s+/, ": ")).join(", ")} } = await __import(${mod});`;
      }
      return `const ${what} = (await __import(${mod})).default;`;
    },
  );
  const { code: js } = await transform(rewritten, { loader: "ts", target: "es2022" });
  return js;
}

/**
 * A statement line `EXPR; // VALUES (DTYPE)` — a tensor's values and dtype in the comment, as the
 * generated examples write them — is checked, not just run: it becomes `__check(EXPR, …)`, which
 * compares the tensor with the comment (numbers to 5 significant digits).
 */
const CHECKED = /^(\s*)(st\.[^;]*?);\s*\/\/\s*(\[.*\]|-?\d[\d.e+-]*|true|false|NaN|-?Infinity) \((float32|float64|int32|bool)\)\s*$/;

export function withResultChecks(code: string): string {
  return code.split("\n").map((l) => {
    const m = CHECKED.exec(l);
    return m ? `${m[1]}__check(${m[2]}, ${JSON.stringify(m[3])}, ${JSON.stringify(m[4])});` : l;
  }).join("\n");
}

const fmtNum = (v: unknown): string => typeof v === "number"
  ? (Number.isInteger(v) ? String(v) : Number.isNaN(v) ? "NaN" : !Number.isFinite(v) ? (v > 0 ? "Infinity" : "-Infinity") : String(Number(v.toPrecision(5))))
  : String(v);
/** Nested values as the comments write them: `[[1, 2], [3, 4]]`, 5 significant digits. */
export const formatValues = (a: unknown): string => (Array.isArray(a) ? `[${a.map(formatValues).join(", ")}]` : fmtNum(a));

function makeCheck(ex: DocExample) {
  return (t: { toArray(): unknown; dtype: string }, values: string, dtype: string): void => {
    const got = `${formatValues(t.toArray())} (${t.dtype})`;
    if (got !== `${values} (${dtype})`) {
      throw new Error(`${ex.file}:${ex.line} (${ex.symbol}): the example's comment says ${values} (${dtype}), the code gives ${got}`);
    }
  };
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

/**
 * Runs one example with `st` bound to the library's Node entry. What it prints is captured and
 * returned (examples may print; the test output stays quiet).
 */
export async function runExample(ex: DocExample, st: unknown, root = process.cwd()): Promise<string[]> {
  const printed: string[] = [];
  const fmt = (a: unknown[]) => a.map((x) => (typeof x === "string" ? x : String(x))).join(" ");
  const keep = (...a: unknown[]): void => { printed.push(fmt(a)); };
  const quiet = { ...console, log: keep, info: keep, warn: keep, table: keep };
  // "steadytensor" is the library; a relative path is read from the example's own file, so the
  // example of an internal helper can import it (`import { viewOf } from "./tensor-internals.js"`)
  const imp = (m: string) => {
    if (m === "steadytensor") return Promise.resolve(st);
    if (!m.startsWith(".")) return import(m);
    const p = resolve(root, dirname(ex.file), m);
    return import(p.endsWith(".js") && !existsSync(p) ? p.replace(/\.js$/, ".ts") : p);
  };
  // an inner block, so that an example's own `import * as st` may shadow the preset `st`
  const body = `const st = __st;\n{\n${await compileExample(withResultChecks(ex.code))}\n}`;
  const fn = new AsyncFunction("__st", "console", "__import", "__check", body);
  await fn(st, quiet, imp, makeCheck(ex));
  return printed;
}
