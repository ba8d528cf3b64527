// The progress output of fit: exact plain lines on a non-TTY stream (and under CI, and verbose 2),
// the live bar and final epoch line on a fake TTY, and Keras's number, time and bar formats.

import { describe, expect, it } from "vitest";
import "../src/node.js"; // installs the progress factory
import { type Logs, getProgressFactory } from "../src/train/callback.js";
import { formatBar, formatEta, formatLogValue, formatPerStep } from "../src/train/callbacks/progress-format.js";
import { ProgressBar, type ProgressStream } from "../src/train/progress-node.js";

/** A stream that records what is written; `isTTY` as given. */
function fakeStream(isTTY: boolean): ProgressStream & { out: string } {
  return { out: "", isTTY, columns: 200, write(s: string) { this.out += s; return true; } };
}

/** Drives the bar through `epochs` epochs of `steps` batches; the fake clock advances 300 ms per batch. */
async function drive(bar: ProgressBar, epochs: Logs[], steps: number, knownSteps = true): Promise<void> {
  bar.setParams({ epochs: epochs.length, steps: knownSteps ? steps : undefined, verbose: bar.verbose, metrics: ["loss", "accuracy"], doValidation: true });
  await bar.onTrainBegin({});
  for (let e = 0; e < epochs.length; e++) {
    await bar.onEpochBegin(e, {});
    for (let b = 0; b < steps; b++) {
      clock.t += 300;
      await bar.onBatchBegin(b, { batch: b, size: 8 });
      await bar.onBatchEnd(b, { loss: 0.7 - 0.01 * b, accuracy: 0.5 + 0.125 * b, batch: b, size: 8 });
    }
    await bar.onEpochEnd(e, epochs[e]!);
  }
  await bar.onTrainEnd({});
}
const clock = { t: 0 };
const now = () => clock.t;

const EPOCHS: Logs[] = [
  { loss: 0.69314718, accuracy: 0.5, val_loss: 0.7, val_accuracy: 0.25, lr: 0.0001 },
  { loss: 0.5123456, accuracy: 0.875, val_loss: 0.00042, val_accuracy: 1, lr: 0.0001 },
];

describe("plain lines (not a TTY, CI, verbose 2)", () => {
  const expected =
    "Epoch 1/2 - 4/4 - 1s 300ms/step - loss: 0.6931 - accuracy: 0.5000 - val_loss: 0.7000 - val_accuracy: 0.2500 - lr: 1.0000e-04\n" +
    "Epoch 2/2 - 4/4 - 1s 300ms/step - loss: 0.5123 - accuracy: 0.8750 - val_loss: 4.2000e-04 - val_accuracy: 1.0000 - lr: 1.0000e-04\n";

  it("prints exactly one line per epoch with time, per-step time and every log, no escape codes", async () => {
    const s = fakeStream(false);
    await drive(new ProgressBar({ stream: s, env: {}, now }), EPOCHS, 4);
    expect(s.out).toBe(expected);
    expect(s.out).not.toMatch(/\x1b/);
  });

  it("does the same on a TTY when CI is set, and with verbose 2", async () => {
    const ci = fakeStream(true);
    await drive(new ProgressBar({ stream: ci, env: { CI: "true" }, now }), EPOCHS, 4);
    expect(ci.out).toBe(expected);
    const v2 = fakeStream(true);
    await drive(new ProgressBar({ stream: v2, env: {}, now, verbose: 2 }), EPOCHS, 4);
    expect(v2.out).toBe(expected);
  });

  it("an unknown number of steps is counted in the first epoch", async () => {
    const s = fakeStream(false);
    await drive(new ProgressBar({ stream: s, env: {}, now }), EPOCHS, 3, false);
    expect(s.out.split("\n").map((l) => l.split(" - ").slice(0, 2).join(" - "))).toEqual(["Epoch 1/2 - 3/3", "Epoch 2/2 - 3/3", ""]);
  });
});

describe("live bar (TTY)", () => {
  it("renders the bar through cli-progress and ends each epoch with Keras's summary line", async () => {
    const s = fakeStream(true);
    await drive(new ProgressBar({ stream: s, env: {}, now }), EPOCHS, 4);
    expect(s.out).toMatch(/\x1b\[/); // a terminal: cursor and line control codes
    const plain = s.out.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, "");
    expect(plain).toContain("Epoch 1/2\n");
    expect(plain).toContain("0/4 [..............................] - ETA: 0s");
    expect(plain).toContain("4/4 [==============================] - 1s 300ms/step - loss: 0.6931 - accuracy: 0.5000 - val_loss: 0.7000 - val_accuracy: 0.2500 - lr: 1.0000e-04\n");
    expect(plain).toContain("Epoch 2/2\n");
    expect(plain.trimEnd().endsWith("4/4 [==============================] - 1s 300ms/step - loss: 0.5123 - accuracy: 0.8750 - val_loss: 4.2000e-04 - val_accuracy: 1.0000 - lr: 1.0000e-04")).toBe(true);
  });

  it("the running line shows count, bar, ETA and running metrics", async () => {
    const s = fakeStream(true);
    const bar = new ProgressBar({ stream: s, env: {}, now });
    bar.setParams({ epochs: 1, steps: 10, verbose: 1, metrics: ["loss"], doValidation: false });
    await bar.onTrainBegin({});
    clock.t = 0;
    await bar.onEpochBegin(0, {});
    // cli-progress redraws synchronously only when its throttle allows; the line is what it draws
    clock.t = 3000;
    await new Promise((r) => setTimeout(r, 250));
    await bar.onBatchEnd(2, { loss: 0.25, batch: 2, size: 8 });
    await new Promise((r) => setTimeout(r, 250));
    const plain = s.out.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[78])/g, "");
    // 3 of 10 steps in 3 s: 7 s left; bar 9 of 30 columns
    expect(plain).toContain(" 3/10 [========>.....................] - ETA: 7s - loss: 0.2500");
    await bar.onTrainEnd({});
  });
});

describe("the Node entry", () => {
  it("installs ProgressBar as fit's progress factory for verbose 1 and 2", () => {
    const make = getProgressFactory();
    expect(make).not.toBeNull();
    const [one, two] = [make!(1), make!(2)];
    expect([one instanceof ProgressBar, (one as ProgressBar).verbose, (two as ProgressBar).verbose]).toEqual([true, 1, 2]);
  });
});

describe("Keras's formats", () => {
  it("values: %.4f above 1e-3, else %.4e; nan and inf as Python", () => {
    expect([0.69314718, 1, 12345.67891, -0.5, 0.001, 0.0001234567, 0, NaN, Infinity, -Infinity].map(formatLogValue)).toEqual([
      "0.6931", "1.0000", "12345.6789", "-0.5000", "1.0000e-03", "1.2346e-04", "0.0000e+00", "nan", "inf", "-inf",
    ]);
  });
  it("per-step times, ETAs and the 30-column bar", () => {
    expect([2.4, 0.3, 0.0153, 0.00083, 0].map(formatPerStep)).toEqual(["2s/step", "300ms/step", "15ms/step", "830us/step", "0s/step"]);
    expect([7.9, 61, 187, 3723].map(formatEta)).toEqual(["7s", "1:01", "3:07", "1:02:03"]);
    expect(formatBar(0, 4)).toBe("[..............................]");
    expect(formatBar(1, 4)).toBe("[======>.......................]");
    expect(formatBar(4, 4)).toBe("[==============================]");
  });
});
