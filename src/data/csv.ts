// A small CSV parser for numeric tables (the bundled datasets). Browser-safe: takes text.

import { ValueError } from "../core/errors.js";

export interface ParsedTable {
  rows: number;
  cols: number;
  /** Row-major values. */
  values: Float64Array;
}

/**
 * Parses numeric CSV (or whitespace-separated) text. `skipRows` drops header lines.
 * @example parseNumericCsv("1,2\n3,4").values // Float64Array [1, 2, 3, 4]
 */
export function parseNumericCsv(text: string, opts: { skipRows?: number; delimiter?: string | RegExp } = {}): ParsedTable {
  const delim = opts.delimiter ?? /[,\s]+/;
  const lines = text.split(/\r?\n/).slice(opts.skipRows ?? 0).filter((l) => l.trim().length > 0);
  const values: number[] = [];
  let cols = -1;
  lines.forEach((line, i) => {
    const cells = line.trim().split(delim);
    if (cols < 0) cols = cells.length;
    else if (cells.length !== cols) {
      throw new ValueError(`parseNumericCsv: line ${i + 1 + (opts.skipRows ?? 0)} has ${cells.length} fields, expected ${cols}`);
    }
    for (const c of cells) {
      const v = Number(c);
      if (c === "" || Number.isNaN(v)) throw new ValueError(`parseNumericCsv: line ${i + 1 + (opts.skipRows ?? 0)}: "${c}" is not a number`);
      values.push(v);
    }
  });
  return { rows: lines.length, cols: Math.max(cols, 0), values: Float64Array.from(values) };
}
