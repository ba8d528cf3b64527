#!/usr/bin/env node
// The `steady` command: subcommands, options and help come from commander; each subcommand lives
// in its own file and is imported only when it runs (so --backend can be set before the library
// loads). Every failure ends as one line `steady: error: …` on stderr and a non-zero exit status.

import { Command, Option } from "commander";
import { exitWithError } from "./cli-error.js";
import { ACTIVATIONS, DATASETS, DEFAULTS, MODELS, OPTIMIZERS, SCHEDULES, TASKS, TRANSFORMER_DEFAULTS, type TrainConfig } from "./train-options.js";
import { version } from "./version.js";

const program = new Command();
program
  .name("steady")
  .description("steadytensor's command line: train a model on a dataset, evaluate it, predict with it.")
  .version(version(), "-v, --version")
  .showSuggestionAfterError(true)
  .configureOutput({
    // commander's own errors (unknown option, missing argument …) in our one-line form
    outputError: (str, write) => write(`steady: ${str.replace(/\s*\n\s*\(/g, " (").trim()}\n`),
  });

const backendOption = () => new Option("--backend <name>", "kernels to run: js or native (default: native when the addon is built)").choices(["js", "native"]);

program
  .command("train", { isDefault: true })
  .description("train a model (default: an MLP on the bundled UCI digits; a Transformer on the sequence tasks), print the held-out result and write ./runs/<timestamp>/")
  .option("--dataset <name>", `${DATASETS.join(" | ")} | csv:PATH (default: ${DEFAULTS.dataset}; reversal and copy are sequence tasks for --model transformer)`)
  .option("--target <column>", "target column of a CSV dataset: header name or 0-based index (default: the last column)")
  .addOption(new Option("--task <kind>", "classification or regression for a CSV dataset (default: auto, integer targets 0..49 → classes)").choices(TASKS))
  .addOption(new Option("--model <kind>", `mlp for tabular data, transformer (encoder-only) for the sequence tasks (default: ${DEFAULTS.model}; transformer with --dataset reversal or copy)`).choices(MODELS))
  .option("--hidden <sizes>", `mlp: hidden layer sizes, comma-separated (default: ${DEFAULTS.hidden.join(",")})`)
  .addOption(new Option("--activation <name>", `mlp: hidden activation (default: ${DEFAULTS.activation})`).choices(ACTIVATIONS))
  .option("--layers <n>", `transformer: encoder blocks (default: ${DEFAULTS.layers})`)
  .option("--d-model <n>", `transformer: model width (default: ${DEFAULTS.dModel})`)
  .option("--heads <n>", `transformer: attention heads, dividing --d-model (default: ${DEFAULTS.heads})`)
  .option("--ff <n>", `transformer: feed-forward size of each block (default: ${DEFAULTS.ff})`)
  .option("--seq-len <n>", `sequence tasks: tokens per sequence (default: ${DEFAULTS.seqLen})`)
  .option("--vocab <n>", `sequence tasks: token values 0..n-1 (default: ${DEFAULTS.vocab})`)
  .option("--samples <n>", `sequence tasks: sequences generated, split into training and held-out (default: ${DEFAULTS.samples})`)
  .addOption(new Option("--optimizer <name>", `optimizer (default: ${DEFAULTS.optimizer})`).choices(OPTIMIZERS))
  .option("--lr <rate>", `learning rate (default: ${DEFAULTS.lr}; transformer ${TRANSFORMER_DEFAULTS.lr})`)
  .addOption(new Option("--schedule <kind>", "learning-rate schedule per epoch: cosine to 0 over the epochs, step ×0.1 every ⌈epochs/3⌉ (default: none)").choices(SCHEDULES))
  .option("--epochs <n>", `epochs (default: ${DEFAULTS.epochs}; transformer ${TRANSFORMER_DEFAULTS.epochs})`)
  .option("--batch-size <n>", `mini-batch size (default: ${DEFAULTS.batchSize})`)
  .option("--clipnorm <max>", "clip each gradient to this L2 norm (default: no clipping)")
  .option("--seed <n>", `seed of initialization, split and shuffling (default: ${DEFAULTS.seed})`)
  .option("--validation-split <fraction>", `fraction of the training part used for validation (default: ${DEFAULTS.validationSplit})`)
  .option("--test-split <fraction>", `fraction of the data held out for the final result (default: ${DEFAULTS.testSplit})`)
  .addOption(backendOption())
  .option("--config <file.json>", "read options from a JSON file (same names; options given here win)")
  .option("--out <dir>", `parent folder of the run folders (default: ${DEFAULTS.out})`)
  .action(async (opts: Record<string, unknown>) => {
    const { PARSERS } = await import("./train-options.js");
    const { config, ...given } = opts;
    const fromCli: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(given)) {
      if (v !== undefined) fromCli[k] = (PARSERS as Record<string, (r: unknown) => unknown>)[k]!(v);
    }
    const { trainCommand } = await import("./train-command.js");
    await trainCommand(fromCli as Partial<TrainConfig>, config as string | undefined);
  });

program
  .command("doctor")
  .description("diagnose a training configuration (same options as train): runs the stability monitor on a short trial, the learning-rate range test and the sharpness; prints what is wrong, where and what to change; exit 1 when broken")
  .option("--dataset <name>", `${DATASETS.filter((d) => d !== "reversal" && d !== "copy").join(" | ")} | csv:PATH (default: ${DEFAULTS.dataset})`)
  .option("--target <column>", "target column of a CSV dataset: header name or 0-based index (default: the last column)")
  .addOption(new Option("--task <kind>", "classification or regression for a CSV dataset (default: auto)").choices(TASKS))
  .addOption(new Option("--model <kind>", `model family (default: ${DEFAULTS.model})`).choices(MODELS))
  .option("--hidden <sizes>", `hidden layer sizes, comma-separated (default: ${DEFAULTS.hidden.join(",")})`)
  .addOption(new Option("--activation <name>", `hidden activation (default: ${DEFAULTS.activation})`).choices(ACTIVATIONS))
  .addOption(new Option("--optimizer <name>", `optimizer (default: ${DEFAULTS.optimizer})`).choices(OPTIMIZERS))
  .option("--lr <rate>", `learning rate (default: ${DEFAULTS.lr})`)
  .option("--epochs <n>", "accepted for a train configuration; the doctor runs --steps steps instead")
  .option("--batch-size <n>", `mini-batch size (default: ${DEFAULTS.batchSize})`)
  .option("--clipnorm <max>", "clip the gradient to this global L2 norm (default: no clipping)")
  .option("--seed <n>", `seed of initialization, split and batches (default: ${DEFAULTS.seed})`)
  .option("--test-split <fraction>", `fraction of the data held out (not used by the trial) (default: ${DEFAULTS.testSplit})`)
  .option("--depth <n>", "number of Linear layers, output included; hidden layers take the first --hidden width (default: from --hidden)")
  .option("--init-scale <factor>", "multiply every initial weight matrix by this (default: 1)")
  .option("--bias-init <value>", "start every hidden bias at this constant (default: the initializer's)")
  .option("--input-scale <factor>", "multiply the standardized inputs by this (default: 1)")
  .option("--steps <n>", "optimizer steps of the trial (default: 40)")
  .option("--every <n>", "monitor check interval in steps (default: 5)")
  .option("--try-cures", "rerun the trial with each prescribed remedy and print the before/after numbers")
  .option("--report <file.html>", "write the self-contained HTML stability report (monitor checks, lrFind curve, sharpness, diagnoses)")
  .addOption(backendOption())
  .option("--config <file.json>", "read train options from a JSON file (same names; options given here win)")
  .action(async (opts: Record<string, unknown>) => {
    const { PARSERS } = await import("./train-options.js");
    const { DOCTOR_PARSERS, doctorCommand } = await import("./doctor-command.js");
    const { config, ...given } = opts;
    const fromCli: Record<string, unknown> = {};
    const extras: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(given)) {
      if (v === undefined) continue;
      if (k in DOCTOR_PARSERS) extras[k] = (DOCTOR_PARSERS as Record<string, (r: unknown) => unknown>)[k]!(v);
      else fromCli[k] = (PARSERS as Record<string, (r: unknown) => unknown>)[k]!(v);
    }
    await doctorCommand(fromCli as Partial<TrainConfig>, extras, config as string | undefined);
  });

program
  .command("evaluate")
  .description("evaluate a run's saved model on its held-out data again")
  .argument("<run>", "a run folder written by steady train")
  .option("--json", "print the result as JSON")
  .addOption(backendOption())
  .action(async (run: string, opts: { json?: boolean; backend?: string }) => {
    const { evaluateCommand } = await import("./evaluate-command.js");
    await evaluateCommand(run, opts);
  });

program
  .command("predict")
  .description("predict with a run's saved model on the rows of a CSV file")
  .argument("<run>", "a run folder written by steady train")
  .requiredOption("--input <file.csv>", "features as the run's dataset gives them (digits: pixels / 16), one row per sample; header optional; a column named like the run's target is dropped. Sequence runs: one sequence of tokens per row")
  .option("--output <preds.csv>", "write the predictions here (default: standard output)")
  .addOption(backendOption())
  .action(async (run: string, opts: { input: string; output?: string; backend?: string }) => {
    const { predictCommand } = await import("./predict-command.js");
    await predictCommand(run, opts);
  });

program
  .command("info")
  .description("show the version and what runs the kernels (backend, ISA, threads)")
  .option("--json", "print as JSON")
  .addOption(backendOption())
  .action(async (opts: { json?: boolean; backend?: string }) => {
    const { infoCommand } = await import("./info-command.js");
    await infoCommand(opts);
  });

program.parseAsync(process.argv).catch(exitWithError);
