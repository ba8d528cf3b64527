// The run folder `steady train` writes (./runs/<timestamp>/) and that `evaluate` and `predict`
// read back: config.json (the exact options), run.json (what the data and results were, the
// fitted scalers), model/ (model.save), history.csv and history.json.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./cli-error.js";
import { DEFAULTS, PARSERS, type TrainConfig } from "./train-options.js";
import type { TaskKind } from "./datasets.js";
import type { History } from "../train/callbacks/history.js";

export const RUN_FORMAT = "steady-run";

export interface ScalerState {
  mean: number[];
  scale: number[];
}

/** run.json: everything evaluate/predict need besides the model and the config. */
export interface RunInfo {
  format: typeof RUN_FORMAT;
  formatVersion: 1;
  steadytensor: string;
  createdAt: string;
  backend: string;
  task: TaskKind;
  /** Classes (classification) or tokens (sequence); 0 for regression. */
  numClasses: number;
  featureNames: string[];
  targetName: string;
  dataDescription: string;
  trainSamples: number;
  testSamples: number;
  /** Feature standardization fitted on the training part (null for token sequences). */
  xScaler: ScalerState | null;
  /** Target standardization (regression only). */
  yScaler: ScalerState | null;
  /** Held-out results: accuracy (classification), mae/rmse/r2 in target units (regression), token and sequence accuracy (sequence). */
  results: Record<string, number>;
  seconds: number;
}

/** A new, empty folder <parent>/<UTC timestamp> (with -2, -3 … when the name is taken). */
export function makeRunDir(parent: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "").replace(/:/g, "-");
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw new CliError(`cannot create the output folder "${parent}": ${(e as Error).message}`, 1);
  }
  for (let k = 1; ; k++) {
    const dir = join(parent, k === 1 ? stamp : `${stamp}-${k}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new CliError(`cannot create the run folder "${dir}": ${(e as Error).message}`, 1);
    }
  }
}

/** history.csv: one row per epoch, `epoch` then every logged quantity (empty where missing). */
export function historyCsv(h: Pick<History, "epoch" | "history">): string {
  const keys = Object.keys(h.history);
  const rows = h.epoch.map((e, i) => [String(e), ...keys.map((k) => (h.history[k]![i] === undefined ? "" : String(h.history[k]![i])))].join(","));
  return [["epoch", ...keys].join(","), ...rows].join("\n") + "\n";
}

export function writeRunFiles(dir: string, cfg: TrainConfig, info: RunInfo, history: Pick<History, "epoch" | "history">): void {
  writeFileSync(join(dir, "config.json"), JSON.stringify(cfg, null, 2) + "\n");
  writeFileSync(join(dir, "run.json"), JSON.stringify(info, null, 2) + "\n");
  writeFileSync(join(dir, "history.json"), JSON.stringify({ epoch: history.epoch, history: history.history }, null, 2) + "\n");
  writeFileSync(join(dir, "history.csv"), historyCsv(history));
}

/** Reads a run folder back, or a CliError saying why it is not one. */
export function readRun(dir: string): { cfg: TrainConfig; info: RunInfo; modelDir: string } {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new CliError(`run folder "${dir}" does not exist`, 1);
  }
  if (!isDir) throw new CliError(`"${dir}" is not a run folder (it is a file)`, 1);
  const need = ["config.json", "run.json", "model"].filter((f) => !existsSync(join(dir, f)));
  if (need.length > 0) throw new CliError(`"${dir}" is not a run folder of steady train (missing ${need.join(", ")})`, 1);
  const json = (f: string): Record<string, unknown> => {
    try {
      return JSON.parse(readFileSync(join(dir, f), "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new CliError(`"${dir}" is not a readable run folder: ${f}: ${(e as Error).message}`, 1);
    }
  };
  const info = json("run.json") as unknown as RunInfo;
  if (info.format !== RUN_FORMAT || !Array.isArray(info.featureNames) || (!info.xScaler && info.task !== "sequence")) {
    throw new CliError(`"${dir}" is not a run folder of steady train (run.json has no "format": "${RUN_FORMAT}")`, 1);
  }
  const raw = json("config.json");
  const cfg = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in PARSERS)) throw new CliError(`"${dir}": config.json has an unknown option "${k}"`, 1);
    cfg[k] = v === null ? null : (PARSERS as Record<string, (r: unknown) => unknown>)[k]!(v);
  }
  // options added after a run was written take their defaults
  return { cfg: { ...DEFAULTS, ...(cfg as Partial<TrainConfig>) }, info, modelDir: join(dir, "model") };
}
