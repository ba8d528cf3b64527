// The plain progress of `fit` when no progress bar is installed (the browser, or verbose 2 without
// the Node entry): one Keras-style line per epoch.

import { Callback, type Logs } from "./callback.js";

/** Formats logs as Keras does: "loss: 0.1234 - accuracy: 0.9500 - val_loss: 0.2000". */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}: ${Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4)}`)
    .join(" - ");
}

/** Prints "Epoch 3/10 - 0.4s - loss: … - val_loss: …" at the end of each epoch. */
export class EpochLine extends Callback {
  private t0 = 0;

  constructor(private readonly log: (line: string) => void = (l) => console.log(l)) {
    super();
  }

  override onEpochBegin(): void {
    this.t0 = performance.now();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const s = ((performance.now() - this.t0) / 1000).toFixed(1);
    this.log(`Epoch ${epoch + 1}/${this.params?.epochs ?? "?"} - ${s}s - ${formatLogs(logs)}`);
  }
}
