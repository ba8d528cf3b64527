// Saving and loading a Model on Node: `model.save(dir)` writes config.json (architecture and
// compile settings), weights.safetensors (the state dict, PyTorch keys), optimizer.safetensors +
// optimizer.json (the optimizer's state dict: tensors and the rest), each file atomically and
// config.json last; `st.loadModel(dir)` rebuilds the model, its weights and its optimizer state,
// so training resumes exactly where it stopped.

import { pathExists } from "../io/dir-atomic-node.js";
import { ensureDir, readText } from "../io/text-files-node.js";
import { ValueError } from "../core/errors.js";
import { defaultGenerator } from "../core/random.js";
import { Tensor } from "../core/tensor.js";
import { load, save, writeFileAtomic } from "../io/files-node.js";
import type { AnyModule } from "../nn/module.js";
import type { OptimizerStateDict } from "../optim/optimizer.js";
import type { CompileOptions } from "./compile.js";
import type { NamedOptimizer } from "./compile-optimizers.js";
import { type LayerSpec } from "./layers/keras-layer.js";
import { fromSpec } from "./layers/index.js";
import { Model, setModelSaver } from "./model.js";
import { sequential } from "./sequential.js";

const FORMAT = "steadytensor.model";

/** config.json of a saved model. */
export interface SavedModelConfig {
  /** Always "steadytensor.model". */
  format: typeof FORMAT;
  /** Version of this layout (1). */
  formatVersion: 1;
  /** The model's name. */
  name: string;
  /** "sequential": rebuilt from `layers`; "module": weights only, the module is passed to loadModel. */
  kind: "sequential" | "module";
  /** Class name of the model's module. */
  moduleClass: string;
  /** The layers' factory names and settings (kind "sequential"), else null. */
  layers: LayerSpec[] | null;
  /** The input's shape and dtype, when the model was built. */
  input: {
    /** One sample's shape with the batch dim. */
    shape: number[];
    /** The input dtype. */
    dtype: "float32" | "float64" | "int32";
  } | null;
  /** The compile settings, or null for a model never compiled. */
  compile: {
    /** The optimizer by name and settings, or null for one that has no Keras name. */
    optimizer: NamedOptimizer | null;
    /** The loss name, or null for a loss module/function (give it again: loadModel(dir, {compile: {loss}})). */
    loss: string | null;
    /** Metric names. */
    metrics: string[];
    /** Clip each gradient's norm to this. */
    clipnorm?: number;
    /** Clip each gradient element to ±this. */
    clipvalue?: number;
    /** Clip the global gradient norm to this. */
    globalClipnorm?: number;
  } | null;
  /** The global generator's state at save time (`st.defaultGenerator.getState()`), for `restoreRng`. */
  rngState?: number[];
}

/** A JSON value where optimizer tensors are replaced by `{ "tensor": key }` pointing into optimizer.safetensors. */
type TensorRef = { tensor: string };

function splitState(sd: OptimizerStateDict): { json: unknown; tensors: Record<string, Tensor> } {
  const tensors: Record<string, Tensor> = {};
  const ref = (key: string, v: unknown): unknown => {
    if (v instanceof Tensor) { tensors[key] = v; return { tensor: key } satisfies TensorRef; }
    return v;
  };
  const state: Record<string, Record<string, unknown>> = {};
  for (const [id, entry] of Object.entries(sd.state)) {
    state[id] = {};
    for (const [k, v] of Object.entries(entry)) state[id]![k] = ref(`state.${id}.${k}`, v);
  }
  const groups = sd.param_groups.map((g, gi) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, k === "params" ? v : ref(`param_groups.${gi}.${k}`, v)])));
  return { json: { state, param_groups: groups }, tensors };
}

function joinState(json: unknown, tensors: Record<string, Tensor>, where: string): OptimizerStateDict {
  const deref = (v: unknown): unknown => {
    if (typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as TensorRef).tensor === "string" && Object.keys(v).length === 1) {
      const t = tensors[(v as TensorRef).tensor];
      if (t === undefined) throw new ValueError(`loadModel: ${where} refers to tensor "${(v as TensorRef).tensor}", which optimizer.safetensors lacks`);
      return t;
    }
    return v;
  };
  const o = json as { state: Record<string, Record<string, unknown>>; param_groups: Record<string, unknown>[] };
  if (typeof o !== "object" || o === null || typeof o.state !== "object" || !Array.isArray(o.param_groups)) throw new ValueError(`loadModel: ${where} is not an optimizer state (expected {state, param_groups})`);
  const state: OptimizerStateDict["state"] = {};
  for (const [id, entry] of Object.entries(o.state)) state[Number(id)] = Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, deref(v)])) as Record<string, Tensor | number>;
  const param_groups = o.param_groups.map((g) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, k === "params" ? v : deref(v)]))) as OptimizerStateDict["param_groups"];
  return { state, param_groups };
}

function compileConfig(model: Model): SavedModelConfig["compile"] {
  const c = model.compiled;
  if (c === null) return null;
  const metrics = c.metricSpecs.map((m) => (typeof m === "string" ? m : m.name));
  const out: NonNullable<SavedModelConfig["compile"]> = {
    optimizer: model.optimizerConfig ?? (typeof c.options.optimizer === "string" ? { name: c.options.optimizer } : null),
    loss: c.loss.serializable ? c.loss.name : null,
    metrics,
  };
  for (const k of ["clipnorm", "clipvalue", "globalClipnorm"] as const) if (c.options[k] !== undefined) out[k] = c.options[k];
  return out;
}

/** Writes `model` into `dir` (created if needed). Files are written atomically; config.json last. */
export async function saveModel(model: Model, dir: string): Promise<void> {
  if (typeof dir !== "string" || dir === "") throw new ValueError(`Model.save: dir must be a non-empty path (got ${JSON.stringify(dir)})`);
  const layers = model.layerSpecs();
  const config: SavedModelConfig = {
    format: FORMAT,
    formatVersion: 1,
    name: model.name,
    kind: layers === null ? "module" : "sequential",
    moduleClass: model.module.constructor.name,
    layers,
    input: model.inputShape === null ? null : { shape: model.inputShape, dtype: model.inputDType },
    compile: compileConfig(model),
    rngState: Array.from(defaultGenerator.getState()),
  };
  try {
    ensureDir(dir);
  } catch (e) {
    throw new ValueError(`Model.save: cannot create the directory "${dir}" (${(e as Error).message})`);
  }
  save(model.module.stateDict(), `${dir}/weights.safetensors`, { metadata: { format: FORMAT } });
  const opt = model.optimizer;
  if (opt !== null) {
    const { json, tensors } = splitState(opt.stateDict());
    save(tensors, `${dir}/optimizer.safetensors`, { metadata: { format: FORMAT } });
    writeFileAtomic(`${dir}/optimizer.json`, JSON.stringify({ optimizer: opt.name, stateDict: json }, null, 1));
  }
  writeFileAtomic(`${dir}/config.json`, JSON.stringify(config, null, 2));
}

/** Options of `st.loadModel`. */
export interface LoadModelOptions {
  /** The module of a model saved from `st.model(module)` (its weights are loaded into it). */
  module?: AnyModule;
  /** Compile settings replacing or completing the saved ones (e.g. a custom loss: `{ loss: myLoss }`). */
  compile?: Partial<CompileOptions>;
  /**
   * Set the global generator (`st.manualSeed`'s) back to its state at save time, after the model
   * is rebuilt, so a resumed `fit` shuffles (and drops out) exactly as the uninterrupted run
   * would have. Default false: loading does not touch the global generator's state otherwise.
   */
  restoreRng?: boolean;
}

function readConfig(dir: string): SavedModelConfig {
  const path = `${dir}/config.json`;
  let text: string;
  try {
    text = readText(path);
  } catch (e) {
    throw new ValueError(`loadModel: cannot read "${path}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); is "${dir}" a directory written by model.save?`);
  }
  let cfg: SavedModelConfig;
  try {
    cfg = JSON.parse(text) as SavedModelConfig;
  } catch (e) {
    throw new ValueError(`loadModel: "${path}" is not valid JSON (${(e as Error).message})`);
  }
  if (cfg?.format !== FORMAT || cfg.formatVersion !== 1) throw new ValueError(`loadModel: "${path}" is not a saved steadytensor model (format ${JSON.stringify(cfg?.format)}, version ${JSON.stringify(cfg?.formatVersion)})`);
  return cfg;
}

/**
 * Loads a model written by `model.save(dir)`: the architecture (Sequential of `st.layers`; for
 * `st.model(module)` pass the module), the weights, the compile settings and the optimizer state,
 * so `fit` continues exactly (`initialEpoch` = the epochs already run; `restoreRng` for the same
 * shuffling as an uninterrupted run).
 *
 * @example
 * const model = st.sequential([st.layers.dense({ units: 1, inputShape: [2] })]);
 * model.compile({ optimizer: "adam", loss: "mse" });
 * const x = st.randn([32, 2]), y = x.sum(1, true);
 * await model.fit(x, y, { epochs: 3, verbose: 0 });
 * await model.save("digits");
 * const again = await st.loadModel("digits", { restoreRng: true });
 * await again.fit(x, y, { epochs: 5, initialEpoch: 3 });
 */
export async function loadModel(dir: string, opts: LoadModelOptions = {}): Promise<Model> {
  const cfg = readConfig(dir);
  const model = rebuild(dir, cfg, opts);
  if (opts.restoreRng) {
    if (!Array.isArray(cfg.rngState)) throw new ValueError(`loadModel: "${dir}" holds no generator state to restore (saved by an older version?)`);
    defaultGenerator.setState(Uint32Array.from(cfg.rngState));
  }
  return model;
}

/** The model of a saved config: architecture, weights, compile settings, optimizer state. */
function rebuild(dir: string, cfg: SavedModelConfig, opts: LoadModelOptions): Model {
  let model: Model;
  if (opts.module !== undefined) model = new Model(opts.module, { name: cfg.name });
  else if (cfg.kind === "sequential" && cfg.layers !== null) model = sequential(cfg.layers.map((s) => fromSpec(s)), { name: cfg.name });
  else throw new ValueError(`loadModel: "${dir}" holds the weights of a ${cfg.moduleClass} wrapped with st.model; pass the module: st.loadModel(dir, { module: new ${cfg.moduleClass}(…) })`);
  if (cfg.input !== null && (!model.built || model.inputShape === null)) model.build(cfg.input.shape, cfg.input.dtype);
  model.setWeights(load(`${dir}/weights.safetensors`));
  const saved = cfg.compile;
  const loss = opts.compile?.loss ?? saved?.loss ?? undefined;
  if (loss === undefined || loss === null) return model;
  const c: CompileOptions = {
    optimizer: saved?.optimizer ?? undefined,
    metrics: saved?.metrics,
    clipnorm: saved?.clipnorm,
    clipvalue: saved?.clipvalue,
    globalClipnorm: saved?.globalClipnorm,
    ...opts.compile,
    loss,
  };
  model.compile(c);
  const optJson = `${dir}/optimizer.json`;
  if (pathExists(optJson) && opts.compile?.optimizer === undefined) {
    const { stateDict } = JSON.parse(readText(optJson)) as { stateDict: unknown };
    const sd = joinState(stateDict, load(`${dir}/optimizer.safetensors`), `"${optJson}"`);
    model._restoreOptimizer((o) => o.loadStateDict(sd));
  }
  return model;
}

/** Installs `model.save` (called from src/node.ts). */
export function installModelIO(): void {
  setModelSaver(saveModel);
}
