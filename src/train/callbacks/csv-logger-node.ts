// CSVLogger (Keras's), Node only: one CSV row per epoch (epoch, then every log value), written and
// flushed at each epoch end so a crashed run keeps the rows it finished.

import { appendText, readTextIfPresent, writeText } from "../../io/text-files-node.js";
import { ValueError } from "../../core/errors.js";
import { Callback, type Logs } from "../callback.js";

/** Options of `CSVLogger`. */
export interface CSVLoggerOptions {
  /** The column separator (default ","). */
  separator?: string;
  /** Append to an existing file (its header's columns are kept) instead of overwriting (default false). */
  append?: boolean;
}

/**
 * Writes the epoch logs of `fit` to a CSV file: a header `epoch,<keys sorted>` and one row per
 * epoch (Keras's layout); a key missing from a later epoch is written `NA`, a key that appears
 * only later is left out; numbers are written in full precision (JavaScript's shortest round-trip
 * form). With `append`, rows go after an existing file's rows, in its header's columns.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * await model.fit(x, y, { epochs: 10, callbacks: [new st.callbacks.CSVLogger("history.csv")] });
 * // history.csv:  epoch,accuracy,loss\n0,0.81,0.52\n1,0.9,0.31\n…
 */
export class CSVLogger extends Callback {
  /** The CSV file written. */
  readonly path: string;
  /** Column separator (default ","). */
  readonly separator: string;
  /** Append to an existing file instead of overwriting it (default false). */
  readonly append: boolean;
  private keys: string[] | null = null;
  private needHeader = true;

  constructor(path: string, opts: CSVLoggerOptions = {}) {
    super();
    if (typeof path !== "string" || path === "") throw new ValueError(`CSVLogger: path must be a non-empty file path (got ${JSON.stringify(path)})`);
    this.path = path;
    this.separator = opts.separator ?? ",";
    if (this.separator.length === 0 || /[\n\r"]/.test(this.separator)) throw new ValueError(`CSVLogger: separator must be a non-empty string without quotes or newlines (got ${JSON.stringify(this.separator)})`);
    this.append = opts.append ?? false;
  }

  override onTrainBegin(_logs: Logs): void {
    this.keys = null;
    this.needHeader = true;
    const existing = this.append ? readTextIfPresent(this.path) : null;
    if (existing !== null) {
      const header = existing.split(/\r?\n/, 1)[0]!.split(this.separator);
      this.keys = header.slice(1); // continue in the existing columns
      this.needHeader = false;
    } else writeText(this.path, "");
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.keys ??= Object.keys(logs).sort();
    let text = "";
    if (this.needHeader) {
      text += ["epoch", ...this.keys].map((k) => this.quote(k)).join(this.separator) + "\n";
      this.needHeader = false;
    }
    text += [String(epoch), ...this.keys.map((k) => (typeof logs[k] === "number" ? String(logs[k]) : "NA"))].join(this.separator) + "\n";
    appendText(this.path, text);
  }

  private quote(s: string): string {
    return s.includes(this.separator) || s.includes('"') ? `"${s.replace(/"/g, '""')}"` : s;
  }
}
