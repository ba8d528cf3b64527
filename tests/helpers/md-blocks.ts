// The fenced code blocks of a Markdown file, for the tests and scripts that run or typecheck the
// ```ts examples of docs/*.md (tests/docs-guides.test.ts, scripts/check-docs-types.ts).

export interface MdBlock {
  /** The Markdown file's name. */
  file: string;
  /** The nearest heading above the block ("(top)" before the first). */
  heading: string;
  /** The block's text, without its fences. */
  code: string;
  /** The 1-based line of the opening fence. */
  line: number;
}

/** The ```ts / ```typescript blocks of `text`, each with the heading above it; other languages are skipped. */
export function extractTsBlocks(file: string, text: string): MdBlock[] {
  const blocks: MdBlock[] = [];
  const lines = text.split("\n");
  let heading = "(top)";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```+|~~~+)\s*([\w-]*)/.exec(line);
    if (fence) {
      const [, marks, lang] = fence;
      const body: string[] = [];
      let j = i + 1;
      // the block ends at a fence of the same kind, at least as long
      while (j < lines.length && !lines[j]!.trim().startsWith(marks!)) body.push(lines[j++]!);
      if (lang === "ts" || lang === "typescript") blocks.push({ file, heading, code: body.join("\n"), line: i + 1 });
      i = j;
      continue;
    }
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (h) heading = h[1]!.trim();
  }
  return blocks;
}
