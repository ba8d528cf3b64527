// readCsv: a numeric CSV file from disk as tensors. Node-only (node:fs); the parsing is parseCsv.

import { readFileSync } from "node:fs";
import { ValueError } from "../core/errors.js";
import { parseCsv, type CsvData, type CsvOptions } from "./csv.js";

/**
 * Reads a numeric CSV file and splits off
 * the `target` column (a header name or a 0-based index, −1 = last). The header is detected when
 * `header` is "auto" (default). Returns `{x, y, columns, targetColumn}`: x float32 [rows, features],
 * y float32 [rows] (absent without a target). An unreadable file is a ValueError naming its path.
 * @example
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const file = join(mkdtempSync(join(tmpdir(), "st-")), "houses.csv");
 * writeFileSync(file, "rooms,area,price\n3,70,210\n4,95,300\n");
 * const { x, y, columns } = st.data.readCsv(file, { target: "price" });
 * // x: [[3, 70], [4, 95]], y: [210, 300]
 */
export function readCsv(path: string, opts: Omit<CsvOptions, "source"> = {}): CsvData {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new ValueError(`readCsv: cannot read "${path}": ${why}`);
  }
  return parseCsv(text, { ...opts, source: path });
}
