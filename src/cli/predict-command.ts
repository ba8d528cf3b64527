// `steady predict RUN --input file.csv [--output preds.csv]`: applies a run's model to new rows.
// The file holds the training features (a header is detected; a column named like the run's target
// is dropped); the output has the prediction and, for classification, one probability per class.
// For a sequence run each row is a sequence of tokens and the output row the predicted tokens.

import { writeFileSync } from "node:fs";
import { CliError } from "./cli-error.js";
import { loadLibrary } from "./load-library.js";
import { postprocess } from "./prepare-data.js";
import { readRun, type RunInfo } from "./run-folder.js";
import type * as St from "../node.js";

export async function predictCommand(runDir: string, opts: { input: string; output?: string; backend?: string }): Promise<void> {
  const { info, modelDir } = readRun(runDir);
  const st = await loadLibrary(opts.backend ?? null);
  const lines = info.task === "sequence" ? await predictSequences(st, runDir, info, modelDir, opts.input) : await predictRows(st, runDir, info, modelDir, opts.input);
  const text = lines.join("\n") + "\n";
  if (!opts.output) return void process.stdout.write(text);
  try {
    writeFileSync(opts.output, text);
  } catch (e) {
    throw new CliError(`cannot write "${opts.output}": ${(e as Error).message}`, 1);
  }
  console.log(`${lines.length - 1} predictions written to ${opts.output}`);
}

/** Tabular runs: the prediction and, for classification, one probability per class. */
async function predictRows(st: typeof St, runDir: string, info: RunInfo, modelDir: string, input: string): Promise<string[]> {
  const probe = st.data.readCsv(input);
  const hasTarget = probe.columns.includes(info.targetName) && probe.columns.length === info.featureNames.length + 1;
  const table = hasTarget ? st.data.readCsv(input, { target: info.targetName }) : probe;
  const f = table.x.shape[1]!;
  if (f !== info.featureNames.length) {
    throw new CliError(`${input} has ${f} columns but the model of "${runDir}" takes ${info.featureNames.length} features (${info.featureNames.slice(0, 6).join(", ")}${info.featureNames.length > 6 ? ", …" : ""})`, 1);
  }
  const xScaler = st.data.StandardScaler.fromJSON(info.xScaler!);
  const yScaler = info.yScaler ? st.data.StandardScaler.fromJSON(info.yScaler) : null;
  const model = await st.loadModel(modelDir);
  const out = postprocess(st, model.predict(xScaler.transform(table.x), { batchSize: 256 }), info.task, yScaler);
  const lines: string[] = [];
  if (info.task === "classification") {
    const labels = out.argmax(1).toArray() as number[];
    const probs = out.toArray() as number[][];
    lines.push(["prediction", ...Array.from({ length: info.numClasses }, (_, k) => `p_${k}`)].join(","));
    labels.forEach((c, i) => lines.push([c, ...probs[i]!.map((p) => p.toPrecision(6))].join(",")));
  } else {
    lines.push("prediction");
    for (const v of out.reshape(-1).toArray() as number[]) lines.push(String(v));
  }
  return lines;
}

/** Sequence runs: each input row is one sequence of tokens; the output row is the predicted token at each position. */
async function predictSequences(st: typeof St, runDir: string, info: RunInfo, modelDir: string, input: string): Promise<string[]> {
  const table = st.data.readCsv(input);
  const len = info.featureNames.length;
  const [rows, cols] = table.x.shape as [number, number];
  if (cols !== len) throw new CliError(`${input} has ${cols} tokens per row but the model of "${runDir}" takes sequences of ${len} tokens`, 1);
  const values = Array.from(table.x.dataSync() as ArrayLike<number>);
  const bad = values.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= info.numClasses);
  if (bad >= 0) {
    throw new CliError(`${input}: row ${Math.floor(bad / len) + 1} holds ${values[bad]}, not a token 0..${info.numClasses - 1} of the model of "${runDir}"`, 1);
  }
  const model = await st.loadModel(modelDir);
  const tokens = st.tensor(Int32Array.from(values), { shape: [rows, len] });
  const pred = model.predict(tokens, { batchSize: 256 }).argmax(-1).toArray() as number[][];
  return [info.featureNames.map((_, t) => `y${t}`).join(","), ...pred.map((r) => r.join(","))];
}
