// The part of the Keras-style Model API (issue 11: st.sequential, st.layers, st.loadModel) that the
// `steady` command uses, looked up at run time so that the command reports clearly when a build
// lacks it instead of failing to load.

import type * as St from "../node.js";
import { CliError } from "./cli-error.js";

type Tensor = St.Tensor;
export type Logs = Record<string, number>;

export interface HistoryLike {
  epoch: number[];
  history: Record<string, number[]>;
}

export interface ModelLike {
  compile(opts: { optimizer: unknown; loss: string; metrics?: string[]; clipnorm?: number }): void;
  fit(x: Tensor, y: Tensor, opts: Record<string, unknown>): Promise<HistoryLike>;
  evaluate(x: Tensor, y: Tensor, opts?: { batchSize?: number; verbose?: number }): Promise<Logs>;
  predict(x: Tensor, opts?: { batchSize?: number }): Tensor;
  save(dir: string): Promise<void>;
  summary(opts?: { print?: boolean }): string;
  readonly optimizer: St.optim.Optimizer | null;
}

export interface ModelApi {
  sequential(layers: unknown[]): ModelLike;
  layers: { dense(opts: { units: number; activation?: string; inputShape?: number[] }): unknown };
  loadModel(dir: string): Promise<ModelLike>;
}

/** The Model API of the loaded library, or a CliError saying what is missing. */
export function modelApi(st: typeof St): ModelApi {
  const api = st as unknown as Partial<ModelApi>;
  const missing = [
    typeof api.sequential !== "function" && "st.sequential",
    typeof api.layers?.dense !== "function" && "st.layers.dense",
    typeof api.loadModel !== "function" && "st.loadModel",
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new CliError(`this build of steadytensor lacks the Model API (${missing.join(", ")}; issue 11), which steady train/evaluate/predict need`, 1);
  }
  return api as ModelApi;
}
