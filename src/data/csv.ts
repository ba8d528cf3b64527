// Small CSV parsers for numeric tables (the bundled datasets, user files). Browser-safe: take text.

import { ValueError } from "../core/errors.js";
import { tensor } from "../core/creation.js";
import type { Tensor } from "../core/tensor.js";

/** A numeric table parsed from text: row-major values and their size. */
export interface ParsedTable {
  /** Number of data rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
  /** Row-major values. */
  values: Float64Array;
}

/**
 * Parses numeric CSV (or whitespace-separated) text. `skipRows` drops header lines.
 * @example
 * import { parseNumericCsv } from "./csv.js";
 * parseNumericCsv("1,2\n3,4").values // Float64Array [1, 2, 3, 4]
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

/** A CSV table split into features and an optional target column (what readCsv returns). */
export interface CsvData {
  /** Features, float32 [rows, columns.length]. */
  x: Tensor;
  /** The target column, float32 [rows]; absent when no target was asked for. */
  y?: Tensor;
  /** Names of the feature columns (from the header, else "0", "1", … by position in the file). */
  columns: string[];
  /** Name of the target column, when there is one. */
  targetColumn?: string;
}

/** Options of `readCsv`. */
export interface CsvOptions {
  /** Target column: a header name or a 0-based index (negative counts from the end: −1 = last). */
  target?: string | number;
  /**
   * Whether the first line is a header: true, false, or "auto" (default): a header when any of its
   * cells is not a number.
   */
  header?: boolean | "auto";
  /** Field separator (default ","). */
  delimiter?: string;
  /** File name used in error messages. */
  source?: string;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}

/**
 * Parses a numeric CSV table with an optional header and splits off a target column. Every cell
 * outside the header must be a number (no quoting of numbers, no missing values): a bad cell is a
 * ValueError naming the line and column. Browser-safe (takes text); Node's readCsv reads a file.
 * @example
 * const { x, y, columns } = st.data.parseCsv("a,b,label\n1,2,0\n3,4,1", { target: "label" });
 * // x: [[1, 2], [3, 4]] float32, y: [0, 1] float32, columns: ["a", "b"]
 */
export function parseCsv(text: string, opts: CsvOptions = {}): CsvData {
  const src = opts.source ? ` (${opts.source})` : "";
  const delim = opts.delimiter ?? ",";
  const lines = text.split(/\r?\n/).map((l, i) => ({ l, no: i + 1 })).filter(({ l }) => l.trim().length > 0);
  if (lines.length === 0) throw new ValueError(`parseCsv: the table is empty${src}`);
  const split = (l: string) => l.split(delim).map(unquote);
  const firstCells = split(lines[0]!.l);
  const isNum = (c: string) => c !== "" && !Number.isNaN(Number(c));
  const header = opts.header === undefined || opts.header === "auto" ? !firstCells.every(isNum) : opts.header;
  const cols = firstCells.length;
  const names = header ? firstCells : firstCells.map((_, i) => String(i));
  const body = header ? lines.slice(1) : lines;
  if (body.length === 0) throw new ValueError(`parseCsv: the table has a header but no data rows${src}`);
  let t = -1;
  if (opts.target !== undefined) {
    if (typeof opts.target === "number") {
      if (!Number.isInteger(opts.target) || opts.target < -cols || opts.target >= cols) {
        throw new ValueError(`parseCsv: target column index ${opts.target} is out of range for ${cols} columns${src}`);
      }
      t = opts.target < 0 ? cols + opts.target : opts.target;
    } else {
      t = names.indexOf(opts.target);
      if (t < 0) {
        // a column number given as text ("3") also works when the file has no such header name
        const asIndex = Number(opts.target);
        if (opts.target.trim() !== "" && Number.isInteger(asIndex) && asIndex >= -cols && asIndex < cols) t = asIndex < 0 ? cols + asIndex : asIndex;
        else throw new ValueError(`parseCsv: unknown target column "${opts.target}"${src}; columns: ${names.join(", ")}`);
      }
    }
  }
  const nf = t < 0 ? cols : cols - 1;
  const x = new Float32Array(body.length * nf);
  const y = new Float32Array(body.length);
  body.forEach(({ l, no }, r) => {
    const cells = split(l);
    if (cells.length !== cols) throw new ValueError(`parseCsv: line ${no} has ${cells.length} fields, expected ${cols}${src}`);
    let k = 0;
    cells.forEach((c, j) => {
      if (!isNum(c)) throw new ValueError(`parseCsv: line ${no}, column "${names[j]}": "${c}" is not a number${src}`);
      if (j === t) y[r] = Number(c);
      else x[r * nf + k++] = Number(c);
    });
  });
  const out: CsvData = { x: tensor(x, { shape: [body.length, nf] }), columns: names.filter((_, j) => j !== t) };
  if (t >= 0) {
    out.y = tensor(y);
    out.targetColumn = names[t]!;
  }
  return out;
}
