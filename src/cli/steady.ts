#!/usr/bin/env node
// The `steady` command. Default job: train an MLP on the bundled digits data.
//   steady [train] [--epochs N] [--lr X] [--batch-size N] [--hidden 32,16] [--seed N] [--backend js|native]
//   steady info      which backend runs and why
import { parseArgs } from "node:util";

const HELP = `steady — steadytensor's command line

Usage:
  steady [train] [options]   train a ReLU MLP on the bundled UCI digits (default job)
  steady info                show the active backend and why the native addon is or is not used

Options (train):
  --epochs N        epochs (default 30)
  --lr X            Adam learning rate (default 0.01)
  --batch-size N    mini-batch size (default 32)
  --hidden LIST     hidden layer sizes, comma-separated (default 32)
  --seed N          seed of initialization, split and shuffling (default 0)
  --backend NAME    js or native (default: native when the addon is built)
  -h, --help        this help
  -v, --version     print the version`;

function fail(msg: string): never {
  console.error(`steady: ${msg}\n\n${HELP}`);
  process.exit(2);
}

function num(name: string, v: string | undefined, dflt: number, integer: boolean): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) fail(`--${name} expects a positive ${integer ? "integer" : "number"} (got "${v}")`);
  return n;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        epochs: { type: "string" }, lr: { type: "string" }, "batch-size": { type: "string" },
        hidden: { type: "string" }, seed: { type: "string" }, backend: { type: "string" },
        help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" },
      },
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return void console.log(HELP);
  if (values.backend) process.env.STEADY_BACKEND = values.backend;
  // imported after STEADY_BACKEND is set: the Node entry reads it when it loads
  const st = await import("../node.js");
  if (values.version) {
    const { createRequire } = await import("node:module");
    return void console.log((createRequire(import.meta.url)("../../package.json") as { version: string }).version);
  }
  if (values.backend && !st.listBackends().includes(values.backend)) {
    fail(`--backend ${values.backend} is not available (available: ${st.listBackends().join(", ")}; native: ${st.backendInfo().native.reason})`);
  }
  const cmd = positionals[0] ?? "train";
  if (cmd === "info") return void console.log(JSON.stringify(st.backendInfo(), null, 2));
  if (cmd !== "train") fail(`unknown command "${cmd}"`);
  const hidden = (values.hidden ?? "32").split(",").map((s) => num("hidden", s, 32, true));
  const { runDigitsJob } = await import("./digits-job.js");
  const r = runDigitsJob({
    hidden,
    epochs: num("epochs", values.epochs, 30, true),
    batchSize: num("batch-size", values["batch-size"], 32, true),
    lr: num("lr", values.lr, 0.01, false),
    seed: values.seed === undefined ? 0 : Number.isInteger(Number(values.seed)) ? Number(values.seed) : fail(`--seed expects an integer (got "${values.seed}")`),
    log: (l) => console.log(l),
  });
  console.log(`done in ${r.seconds.toFixed(1)} s: held-out accuracy ${(100 * r.testAccuracy).toFixed(2)}%, final train loss ${r.trainLoss.toFixed(4)}`);
}

main().catch((e: Error) => {
  console.error(`steady: ${e.name}: ${e.message}`);
  process.exit(1);
});
