// The terminal progress of `fit` on Node, as Keras shows it: a live bar per epoch (steps, ETA,
// running loss and metrics) ending in one summary line with the epoch's time and all its logs; one
// plain line per epoch when stdout is not a terminal, when CI is set, or with verbose 2. The
// terminal work (redraw throttling, line clearing, cursor) is cli-progress's.

import cliProgress from "cli-progress";
import { Callback, type Logs } from "./callback.js";
import { formatBar, formatEta, formatLogEntries, formatPerStep } from "./callbacks/progress-format.js";

/** Where the progress goes: a stream like `process.stdout` (only these members are used). */
export interface ProgressStream {
  /** Writes text. */
  write(s: string): unknown;
  /** Whether the stream is a terminal (a live bar then). */
  isTTY?: boolean;
  /** Terminal width in characters. */
  columns?: number;
}

/** Options of `ProgressBar`. */
export interface ProgressBarOptions {
  /** 1: live bar on a terminal (default); 2: one line per epoch. */
  verbose?: 1 | 2;
  /** Default `process.stdout`. */
  stream?: ProgressStream;
  /** The environment consulted for `CI` (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** A clock in milliseconds (default `performance.now`); tests pass a fake one. */
  now?: () => number;
}

// cli-progress schedules its next redraw with a timer; unref it so that a fit that throws (and
// so never reaches onTrainEnd) cannot keep the process alive
class UnrefBar extends cliProgress.SingleBar {
  override render(): void {
    super.render();
    (this as unknown as { timer?: { unref?: () => void } }).timer?.unref?.();
  }
}

/**
 * Keras's progress output for `fit` (installed by the Node entry through `setProgressFactory`, so
 * `verbose: 1` shows it). On a terminal, per epoch:
 *
 *     Epoch 1/10
 *     12/32 [==========>...................] - ETA: 0s - loss: 0.6931 - accuracy: 0.5000
 *
 * updated after every batch, and finished as
 * `32/32 [==============================] - 1s 5ms/step - loss: … - val_loss: …`.
 * Elsewhere (stdout not a TTY, `CI` set, or `verbose: 2`) one line per epoch, without escape codes:
 * `Epoch 1/10 - 32/32 - 1s 5ms/step - loss: 0.6931 - accuracy: 0.5000 - val_loss: …`.
 * Values are printed as Keras does (`%.4f`, or `%.4e` at |v| ≤ 1e-3). With an unknown number of
 * steps per epoch the first epoch counts `12/Unknown`, later ones use the count seen.
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * await model.fit(x, y, { epochs: 5, verbose: 0, callbacks: [new st.callbacks.ProgressBar({ verbose: 2 })] });
 */
export class ProgressBar extends Callback {
  /** 1: a live bar on a terminal; 2: one line per epoch. */
  readonly verbose: 1 | 2;
  private readonly stream: ProgressStream;
  private readonly live: boolean;
  private readonly now: () => number;
  private bar: UnrefBar | null = null;
  private total: number | undefined;
  private seen = 0;
  private epochStart = 0;

  constructor(opts: ProgressBarOptions = {}) {
    super();
    this.verbose = opts.verbose ?? 1;
    this.stream = opts.stream ?? process.stdout;
    const env = opts.env ?? process.env;
    this.live = this.verbose === 1 && this.stream.isTTY === true && !env.CI;
    this.now = opts.now ?? (() => performance.now());
  }

  override onTrainBegin(_logs: Logs): void {
    this.total = this.params?.steps;
  }

  override onEpochBegin(epoch: number, _logs: Logs): void {
    this.seen = 0;
    this.epochStart = this.now();
    if (!this.live) return;
    this.stream.write(`Epoch ${epoch + 1}/${this.params?.epochs ?? "?"}\n`);
    this.bar = new UnrefBar({
      stream: this.stream as NodeJS.WritableStream,
      format: (_o, _p, payload: { line: string }) => payload.line,
      hideCursor: true,
      gracefulExit: false,
      fps: 15,
    });
    this.bar.start(this.total ?? 0, 0, { line: this.batchLine({}) });
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    this.seen = batch + 1;
    this.bar?.update(this.seen, { line: this.batchLine(logs) });
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const elapsed = (this.now() - this.epochStart) / 1000;
    const time = ` - ${elapsed.toFixed(0)}s ${formatPerStep(this.seen > 0 ? elapsed / this.seen : 0)}`;
    if (this.bar !== null) {
      const total = this.total ?? this.seen;
      this.bar.update(this.seen, { line: `${this.counter(this.seen, total)} ${formatBar(this.seen, total)}${time}${formatLogEntries(logs)}` });
      this.bar.stop(); // renders the final line and ends it with a newline
      this.bar = null;
    } else {
      const total = this.total ?? this.seen;
      this.stream.write(`Epoch ${epoch + 1}/${this.params?.epochs ?? "?"} - ${this.seen}/${total}${time}${formatLogEntries(logs)}\n`);
    }
    this.total ??= this.seen; // an unknown epoch length is learned from the first epoch
  }

  override onTrainEnd(_logs: Logs): void {
    this.bar?.stop();
    this.bar = null;
  }

  /** `" 7/32"`: the step count padded to the total's width, as Keras aligns it. */
  private counter(current: number, total: number | undefined): string {
    if (total === undefined || total === 0) return `${String(current).padStart(7)}/Unknown`;
    return `${String(current).padStart(String(total).length)}/${total}`;
  }

  /** The live line after a batch: count, bar, ETA from the mean step time so far, running logs. */
  private batchLine(logs: Logs): string {
    const elapsed = (this.now() - this.epochStart) / 1000;
    const total = this.total;
    if (total === undefined || total === 0) return `${this.counter(this.seen, undefined)} - ${elapsed.toFixed(0)}s${formatLogEntries(logs)}`;
    const eta = this.seen > 0 ? (elapsed / this.seen) * (total - this.seen) : 0;
    return `${this.counter(this.seen, total)} ${formatBar(this.seen, total)} - ETA: ${formatEta(eta)}${formatLogEntries(logs)}`;
  }
}
