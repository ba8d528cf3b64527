// Module: the base class of every layer and model. Parameters, buffers and sub-modules are found
// by walking the instance's own fields in declaration order (no registration boilerplate), and
// state-dict keys are PyTorch's (camelCase fields map to snake_case keys), so a PyTorch
// `state_dict` loads unchanged.

import { type DType, isFloat } from "../core/dtype.js";
import { DTypeError, ValueError } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import { setData, shareStorage } from "../core/shared-storage.js";
import { Tensor } from "../core/tensor.js";
import { cast } from "../ops/elementwise.js";
import { checkTensorArgs } from "./check-args.js";
import { Parameter } from "./parameter.js";
import { type LoadStateDictOptions, type LoadStateDictResult, type StateEntry, loadStateEntries } from "./state-dict.js";
import { currentModule, currentPrefix, enterModule, exitModule, modulePathsWanted, relativePath } from "./trace.js";

/** A module of any signature (containers hold these). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any[], any>;

/** Runs before `forward`; may return replacement arguments. */
export type ForwardPreHook = (module: AnyModule, args: unknown[]) => unknown[] | void;
/** Runs after `forward`; may return a replacement output. */
export type ForwardHook = (module: AnyModule, args: unknown[], output: unknown) => unknown;

/** One own member of a module, under its state-dict key. */
export interface ModuleMember {
  /** The state-dict key (`"weight"`, `"0"`, `"running_mean"`). */
  key: string;
  /** What the member is. */
  kind: "parameter" | "buffer" | "module";
  /** The tensor or module (null for an optional member that is absent, e.g. a bias). */
  value: Tensor | AnyModule | null;
  /** Buffers only: whether the buffer is part of the state dict. */
  persistent: boolean;
}

export type { LoadStateDictOptions, LoadStateDictResult };

const KIND_ORDER = { parameter: 0, buffer: 1, module: 2 } as const;

/**
 * camelCase field → PyTorch snake_case key: `runningMean` → `running_mean`, `selfAttn` →
 * `self_attn`, `inProjWeight` → `in_proj_weight`; snake_case and plain names are unchanged.
 */
export function fieldToKey(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").toLowerCase();
}

/**
 * Base class of layers and models (PyTorch's `nn.Module`). Subclasses declare parameters
 * (`Parameter` fields), sub-modules (`Module` fields) and buffers (`registerBuffer`) and implement
 * `forward`; users run a module with `call(...)`, which also runs hooks and, when module tracing
 * is on (anomaly mode and the monitor switch it on), labels graph nodes with the module's path.
 * Plain tensors and arrays of modules are not collected: use `registerBuffer` and `ModuleList`.
 *
 * @example
 * class MLP extends st.nn.Module {
 *   fc1 = new st.nn.Linear(4, 8);
 *   fc2 = new st.nn.Linear(8, 2);
 *   forward(x: st.Tensor) { return this.fc2.call(this.fc1.call(x).relu()); }
 * }
 * const net = new MLP();
 * net.namedParameters().map(([k]) => k); // ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
 */
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** Training mode (Dropout drops, BatchNorm uses batch statistics); set by `train`/`eval`. */
  training = true;
  /** @internal buffer fields → persistent */
  private _bufferFields: Map<string, boolean> | undefined;
  /** @internal */
  private _preHooks: ForwardPreHook[] | undefined;
  /** @internal */
  private _postHooks: ForwardHook[] | undefined;

  /**
   * The names of `forward`'s leading parameters that must be Tensors. `call` checks them (after the
   * pre-hooks, which may convert arguments) and raises a DTypeError naming the module, what it got
   * and how to make a tensor. Built-in layers set it (`["input"]`, losses `["input", "target"]`);
   * the default checks nothing, since a module of yours may take any arguments.
   * @example
   * class Scale extends st.nn.Module {
   *   static override tensorInputs = ["input"];
   *   forward(x: st.Tensor) { return x.mul(2); }
   * }
   * try {
   *   new Scale().call([1, 2] as unknown as st.Tensor);
   * } catch (e) {
   *   // DTypeError: Scale().call: input (argument 1) must be a Tensor, got a JavaScript array; ...
   *   if (!(e instanceof st.DTypeError)) throw e;
   * }
   */
  static tensorInputs: readonly string[] = [];

  /** The computation. Implemented by subclasses; run it through `call`. */
  abstract forward(...args: In): Out;

  /**
   * Runs the module: forward pre-hooks, `forward`, forward hooks. This is how a module is invoked
   * (JavaScript objects are not callable).
   * @example
   * const linear = new st.nn.Linear(3, 2);
   * const y = linear.call(st.ones([4, 3])); // shape [4, 2]
   */
  call(...args: In): Out {
    const tensorInputs = (this.constructor as typeof Module).tensorInputs;
    // module paths are kept while tracing is on or a kernel observer listens (ops/dispatch.ts)
    const traced = modulePathsWanted();
    if (this._preHooks === undefined && this._postHooks === undefined && !traced) {
      if (tensorInputs.length > 0) this._checkArgs(tensorInputs, args);
      return this.forward(...args);
    }
    if (traced) {
      const parent = currentModule() as Module<unknown[], unknown> | undefined;
      if (parent === undefined) enterModule(this, this.constructor.name, "");
      else {
        const name = relativePath(parent as AnyModule, this) ?? this.constructor.name;
        const pre = currentPrefix();
        const path = pre === "" ? name : `${pre}.${name}`;
        enterModule(this, path, path);
      }
    }
    try {
      let a = args as unknown[];
      if (this._preHooks) for (const h of this._preHooks.slice()) { const r = h(this, a); if (r !== undefined) a = r; }
      if (tensorInputs.length > 0) this._checkArgs(tensorInputs, a);
      let out: unknown = this.forward(...(a as In));
      if (this._postHooks) for (const h of this._postHooks.slice()) { const r = h(this, a, out); if (r !== undefined) out = r; }
      return out as Out;
    } finally {
      if (traced) exitModule();
    }
  }

  /** @internal Raises the boundary error of checkTensorArgs, naming this module as it prints. */
  private _checkArgs(names: readonly string[], args: readonly unknown[]): void {
    checkTensorArgs(`${this.constructor.name}(${this.extraRepr()})`, names, args);
  }

  /**
   * Registers `hook(module, args)` to run before forward; returns a function that removes it.
   * @example
   * const layer = new st.nn.Linear(3, 2);
   * const remove = layer.registerForwardPreHook((m, [x]) => console.log(m.constructor.name, (x as st.Tensor).shape));
   * layer.call(st.ones([4, 3])); // prints: Linear [ 4, 3 ]
   * remove();
   */
  registerForwardPreHook(hook: ForwardPreHook): () => void {
    (this._preHooks ??= []).push(hook);
    return () => { this._preHooks = removeHook(this._preHooks, hook); };
  }

  /**
   * Registers `hook(module, args, output)` to run after forward; returns a function that removes it.
   * @example
   * const net = new st.nn.Sequential(new st.nn.Linear(3, 4), new st.nn.ReLU(), new st.nn.Linear(4, 1));
   * const acts: st.Tensor[] = [];
   * const remove = net.at(1).registerForwardHook((_m, _args, out) => { acts.push(out as st.Tensor); });
   * net.call(st.ones([2, 3])); // acts[0]: the ReLU's output, shape [2, 4]
   * remove();
   */
  registerForwardHook(hook: ForwardHook): () => void {
    (this._postHooks ??= []).push(hook);
    return () => { this._postHooks = removeHook(this._postHooks, hook); };
  }

  /**
   * Registers a buffer: state that is not trained but is saved (running statistics). `persistent`
   * false keeps it out of the state dict. Returns the tensor, so a field initializer can use it.
   * `name` is the field name; the state-dict key is `fieldToKey(name)`.
   */
  registerBuffer<T extends Tensor | null>(name: string, tensor: T, persistent = true): T {
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new DTypeError(`${this.constructor.name}.registerBuffer: buffer "${name}" must be a Tensor or null (got ${typeof tensor})`);
    }
    if (tensor instanceof Parameter) {
      throw new ValueError(`${this.constructor.name}.registerBuffer: "${name}" is a Parameter; assign it to a field instead`);
    }
    (this._bufferFields ??= new Map()).set(name, persistent);
    (this as unknown as Record<string, unknown>)[name] = tensor;
    return tensor;
  }

  /** Sets field `name` to a parameter (an explicit alternative to declaring a field). */
  registerParameter(name: string, param: Parameter | null): void {
    if (param !== null && !(param instanceof Parameter)) {
      throw new DTypeError(`${this.constructor.name}.registerParameter: "${name}" must be a Parameter or null (wrap the tensor: new nn.Parameter(t))`);
    }
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  /** Sets field `name` to a sub-module. */
  registerModule(name: string, module: AnyModule | null): void {
    if (module !== null && !(module instanceof Module)) {
      throw new DTypeError(`${this.constructor.name}.registerModule: "${name}" must be a Module or null`);
    }
    (this as unknown as Record<string, unknown>)[name] = module;
  }

  /** The state-dict key of field `field` (override for names `fieldToKey` cannot derive). */
  protected stateKeyOf(field: string): string {
    return fieldToKey(field);
  }

  /**
   * @internal Own parameters, buffers and sub-modules under their keys: parameters first, then
   * buffers, then modules (PyTorch's order), each in field order. Containers override this.
   */
  _members(): ModuleMember[] {
    const out: ModuleMember[] = [];
    const self = this as unknown as Record<string, unknown>;
    for (const field of Object.keys(this)) {
      const v = self[field];
      if (v instanceof Parameter) out.push({ key: this.stateKeyOf(field), kind: "parameter", value: v, persistent: true });
      else if (v instanceof Module) out.push({ key: this.stateKeyOf(field), kind: "module", value: v as AnyModule, persistent: true });
      else if (this._bufferFields?.has(field) && (v === null || v instanceof Tensor)) {
        out.push({ key: this.stateKeyOf(field), kind: "buffer", value: v, persistent: this._bufferFields.get(field)! });
      }
    }
    return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  }

  /** Direct sub-modules with their names. */
  namedChildren(): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<unknown>();
    for (const m of this._members()) {
      if (m.kind === "module" && m.value !== null && !seen.has(m.value)) {
        seen.add(m.value);
        out.push([m.key, m.value as AnyModule]);
      }
    }
    return out;
  }

  /**
   * The direct submodules, in registration order.
   * @example new st.nn.Sequential(new st.nn.Linear(2, 2), new st.nn.ReLU()).children().length; // 2
   */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /**
   * @internal Whether this module and every descendant run only code from `forwards` (nn/scratch.ts):
   * no forward hook or pre-hook, `call` not overridden, and a `forward` in the set. Hooks and a
   * subclass's forward are user code, which sees the tensors passed between submodules and may
   * keep them.
   */
  _runsOnly(forwards: ReadonlySet<unknown>): boolean {
    // runs on every forward of a Transformer layer: a plain walk, without modules()' path strings
    const seen = new Set<AnyModule>();
    const ok = (m: AnyModule): boolean => {
      if (seen.has(m)) return true;
      seen.add(m);
      if (m._preHooks !== undefined || m._postHooks !== undefined || m.call !== Module.prototype.call || !forwards.has(m.forward)) return false;
      for (const [, c] of m.namedChildren()) if (!ok(c)) return false;
      return true;
    };
    return ok(this);
  }

  /** This module and every descendant (pre-order, each once), with dotted paths ("" for this one). */
  namedModules(prefix = ""): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const walk = (m: AnyModule, path: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([path, m]);
      for (const [k, c] of m.namedChildren()) walk(c, path === "" ? k : `${path}.${k}`);
    };
    walk(this, prefix);
    return out;
  }

  /**
   * This module and all its descendants, depth first (this one first).
   * @example new st.nn.Sequential(new st.nn.Linear(2, 2), new st.nn.ReLU()).modules().length; // 3
   */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  private namedTensors(kind: "parameter" | "buffer", recurse: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const mods: [string, AnyModule][] = recurse ? this.namedModules() : [["", this]];
    for (const [path, m] of mods) {
      for (const mem of m._members()) {
        if (mem.kind !== kind || mem.value === null || seen.has(mem.value as Tensor)) continue;
        seen.add(mem.value as Tensor);
        out.push([path === "" ? mem.key : `${path}.${mem.key}`, mem.value as Tensor]);
      }
    }
    return out;
  }

  /** Parameters with PyTorch's dotted names (`"0.weight"`, `"fc1.bias"`), each once. */
  namedParameters(recurse = true): [string, Parameter][] {
    return this.namedTensors("parameter", recurse) as [string, Parameter][];
  }

  /**
   * All parameters, in namedParameters order (hand these to an optimizer); with those of
   * submodules when `recurse` (default true).
   * @example
   * const net = new st.nn.Linear(3, 2);
   * new st.optim.SGD(net.parameters(), { lr: 0.1 }); // weight and bias
   */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters(recurse).map(([, p]) => p);
  }

  /** Buffers (running statistics, …) with dotted names, each once. */
  namedBuffers(recurse = true): [string, Tensor][] {
    return this.namedTensors("buffer", recurse);
  }

  /**
   * The buffers (non-trained state such as BatchNorm's running statistics), with those of submodules when `recurse` (default true).
   * @example new st.nn.BatchNorm1d(4).buffers().length; // 3: running_mean, running_var, num_batches_tracked
   */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers(recurse).map(([, b]) => b);
  }

  /** Number of parameter elements (only those that require grad with `trainableOnly`). @example new st.nn.Linear(6, 8).numParameters() // 56 */
  numParameters(opts: { trainableOnly?: boolean } = {}): number {
    let n = 0;
    for (const p of this.parameters()) if (!opts.trainableOnly || p.requiresGrad) n += p.size;
    return n;
  }

  /**
   * Sets training mode (`mode`, default true) on this module and all descendants. Returns this.
   * @example
   * const net = new st.nn.Sequential(new st.nn.Linear(2, 2), new st.nn.Dropout(0.5));
   * net.eval(); // dropout off
   * net.train(); // net.training === true
   */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Calls `fn` on every descendant (children first) and then on this module. Returns this. */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Clears parameter gradients (to null by default, as PyTorch 2; `setToNone=false` zeroes them). */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else p.grad.zero_();
    }
  }

  /**
   * Sets requiresGrad on every parameter (`false` freezes the module). Returns this.
   * @example
   * const backbone = new st.nn.Linear(4, 4);
   * backbone.requiresGrad_(false); // backbone.weight.requiresGrad === false
   */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad_(flag);
    return this;
  }

  /**
   * Converts floating parameters and buffers (and gradients) to `dtype` in place: the Parameter
   * objects stay the same, so an optimizer holding them keeps working. Integer buffers are kept.
   * @example
   * const net = new st.nn.Linear(3, 2);
   * net.double(); // float64 for gradcheck: net.weight.dtype === "float64"
   */
  to(dtype: DType): this {
    if (!isFloat(dtype)) throw new DTypeError(`${this.constructor.name}.to: expected float32 or float64 (got ${dtype})`);
    for (const p of this.parameters()) convertInPlace(p, dtype);
    for (const b of this.buffers()) if (isFloat(b.dtype)) convertInPlace(b, dtype);
    return this;
  }

  /**
   * Converts parameters and float buffers to float64 in place (`to("float64")`); returns this.
   * @example new st.nn.Linear(2, 1).double().weight.dtype; // "float64"
   */
  double(): this {
    return this.to("float64");
  }

  /**
   * Converts parameters and float buffers to float32 in place (`to("float32")`); returns this.
   * @example new st.nn.Linear(2, 1).double().float().weight.dtype; // "float32"
   */
  float(): this {
    return this.to("float32");
  }

  /** @internal Every persistent parameter and buffer slot under its full key (shared modules repeat, like PyTorch). */
  _stateEntries(): StateEntry[] {
    const out: StateEntry[] = [];
    const walk = (m: AnyModule, path: string): void => {
      for (const mem of m._members()) {
        const key = path === "" ? mem.key : `${path}.${mem.key}`;
        if (mem.kind === "module") { if (mem.value !== null) walk(mem.value as AnyModule, key); }
        else if (mem.value !== null && mem.persistent) {
          out.push({ key, tensor: mem.value as Tensor, kind: mem.kind, local: mem.key, ownerPath: path, owner: m.constructor.name });
        }
      }
    };
    walk(this, "");
    return out;
  }

  /**
   * Parameters and persistent buffers under PyTorch's keys (`weight`, `running_mean`,
   * `num_batches_tracked`, `0.weight`, `layers.0.linear1.bias`), in PyTorch's order. Values share
   * storage with the module (detached), like PyTorch's `state_dict()`.
   * @example Object.keys(new st.nn.BatchNorm1d(4).stateDict()) // ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const e of this._stateEntries()) out[e.key] = new Tensor(shareStorage(e.tensor), e.tensor.shape.slice(), e.tensor.dtype, false);
    return out;
  }

  /**
   * Copies a state dict into the module's own tensors (identity kept; values cast to each
   * tensor's dtype). Wrong shapes always raise a ShapeError; with `strict` (default) missing or
   * unexpected keys raise a ValueError naming the key and its module. Nothing is copied unless
   * every check passes.
   * @example
   * const net = new st.nn.Linear(3, 2);
   * const saved = { weight: st.zeros([2, 3]) }; // no "bias"
   * const { missingKeys, unexpectedKeys } = net.loadStateDict(saved, { strict: false });
   * // missingKeys: ["bias"], unexpectedKeys: []
   */
  loadStateDict(dict: Record<string, Tensor> | Map<string, Tensor>, opts: LoadStateDictOptions = {}): LoadStateDictResult {
    return loadStateEntries(this, dict, opts);
  }

  /** Layer settings shown by toString, PyTorch style ("in_features=6, out_features=8, bias=True"). */
  extraRepr(): string {
    return "";
  }

  /** PyTorch-style description: `Sequential(\n  (0): Linear(in_features=6, ...)\n  (1): ReLU()\n)`. */
  toString(): string {
    const name = this.constructor.name;
    const extra = this.extraRepr();
    const kids = this.namedChildren();
    if (kids.length === 0) return `${name}(${extra})`;
    const lines = extra === "" ? [] : extra.split("\n");
    for (const [k, c] of kids) lines.push(`(${k}): ${c.toString().split("\n").join("\n  ")}`);
    return `${name}(\n  ${lines.join("\n  ")}\n)`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function removeHook<H>(list: H[] | undefined, hook: H): H[] | undefined {
  if (list === undefined) return undefined;
  const i = list.indexOf(hook);
  if (i >= 0) list.splice(i, 1);
  return list.length === 0 ? undefined : list;
}

/** Gives `t` new storage of `dtype` holding its values; the object (and its identity) stays. */
function convertInPlace(t: Tensor, dtype: DType): void {
  if (t.dtype !== dtype) setData(t, noGrad(() => cast(t, dtype)));
  const g = t.grad;
  if (g !== null && g.dtype !== dtype) t.grad = noGrad(() => cast(g, dtype));
}
