// The Optimizer base class: parameter groups, per-parameter state, step/zeroGrad, PyTorch-layout
// state dicts. Each optimizer subclass only says how one parameter is updated (by calling its pure
// update function), so the bookkeeping below is written once.

import { isFloat } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { enableGrad, noGrad } from "../core/grad-mode.js";
import { shapesEqual } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { bumpVersion, fromTypedArray } from "../core/tensor-internals.js";
import { dispatchMany } from "../ops/dispatch.js";
import { type LearningRate, camelToSnake, checkLr, copyValue, snakeToCamel } from "./hyperparams.js";

export type { ElementLr, LearningRate } from "./hyperparams.js";

/** Options every optimizer has. */
export interface OptimizerOptions {
  /** Learning rate: a number, or a tensor broadcastable to each parameter (per-element rates). */
  lr: LearningRate;
}

/**
 * A parameter group: its tensors plus every option (the group's own values over the optimizer's
 * defaults). Schedulers add their own keys (`initialLr`, `maxLr`, …), hence the open index.
 */
export type ParamGroup<O extends OptimizerOptions = OptimizerOptions> = O & {
  /** The group's parameters. */
  params: Tensor[];
} & Record<string, unknown>;

/** A parameter group as passed in: tensors plus the options that differ from the defaults. */
export type ParamGroupSpec<O extends OptimizerOptions = OptimizerOptions> = Partial<O> & {
  /** The group's parameters. */
  params: Tensor | Iterable<Tensor>;
} & Record<string, unknown>;

/** What an optimizer is built from: parameters (e.g. `model.parameters()`) or parameter groups. */
export type Params<O extends OptimizerOptions = OptimizerOptions> = Iterable<Tensor> | Iterable<ParamGroupSpec<O>>;

/** Per-parameter state: buffers (tensors of the parameter's shape and dtype) and counters. */
export type ParamState = Record<string, Tensor | number>;

/** PyTorch's `optimizer.state_dict()` layout; parameters are numbered in group order. */
export interface OptimizerStateDict {
  /** Per-parameter state by parameter number (moment buffers, step counts). */
  state: Record<number, Record<string, Tensor | number>>;
  /** The parameter groups with their settings; `params` lists the parameter numbers. */
  param_groups: (Record<string, unknown> & {
    /** The group's parameter numbers. */
    params: number[];
  })[];
}

/** State entries that are counters (numbers), even when a PyTorch state dict holds them as tensors. */
const SCALAR_STATE_KEYS = new Set(["step", "mu_product"]);

/**
 * Base class of every optimizer (PyTorch's `torch.optim.Optimizer`).
 *
 * `step()` runs in no-grad mode and, for each parameter whose `grad` is not null, calls the
 * subclass's `update`, which reads and writes the parameter's typed array in place (float64
 * arithmetic per element, stored in the parameter's dtype) and then bumps its version counter.
 *
 * **Constraint hook.** After a parameter is updated, if it carries a function in a `constraint`
 * property, `(p as any).constraint(p)` is called (still in no-grad mode). The function either
 * projects `p` in place and returns nothing, or returns the projected values (a tensor of `p`'s
 * size), which are written into `p`. This is how weight constraints (max-norm, non-negativity, …)
 * are enforced after every step: the constraint code attaches the function, the optimizer calls
 * it; neither imports the other.
 *
 * State keys are PyTorch's (`exp_avg`, `momentum_buffer`, `step`, …) both in `state` and in
 * `stateDict()`; group options are camelCase here and snake_case (`weight_decay`) in `stateDict()`.
 *
 * @example
 * const w = st.randn([3], { requiresGrad: true });
 * const opt = new st.optim.SGD([w], { lr: 0.1 });
 * for (let i = 0; i < 100; i++) {
 *   opt.zeroGrad();
 *   w.square().sum().backward();
 *   opt.step();
 * }
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The optimizer's name, used in error messages and `toString()`. */
  readonly name: string;
  /** Options of a group that does not set its own. */
  readonly defaults: O;
  /** The parameter groups, each `{params, ...options}`. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, moment estimates, step counts), keyed by the parameter. */
  readonly state = new Map<Tensor, ParamState>();

  protected constructor(name: string, params: Params<O>, defaults: O) {
    this.name = name;
    this.defaults = defaults;
    this.checkOptions(defaults, "");
    checkLr(name, defaults.lr, "");
    if (params === null || params === undefined || typeof (params as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new ValueError(`${name}: params must be an iterable of tensors or of parameter groups (got ${params === null ? "null" : typeof params})`);
    }
    const list = [...(params as Iterable<Tensor | ParamGroupSpec<O>>)];
    if (list.length === 0) throw new ValueError(`${name}: got an empty parameter list (expected at least one tensor)`);
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] } as unknown as ParamGroupSpec<O>] : (list as ParamGroupSpec<O>[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Throws a ValueError naming the option when `o` holds an invalid hyper-parameter. */
  protected abstract checkOptions(o: O, ctx: string): void;

  /**
   * Updates one parameter in place from `grad` (same shape), its state and its group's options;
   * `lr` is the resolved learning rate (a number, or one value per element).
   */
  /**
   * The update of one parameter, in place (dispatch the optimizer's kernel; hyperparams.lrOperand
   * gives the group's learning rate as a number or a tensor broadcast to p).
   */
  protected abstract update(p: Tensor, grad: Tensor, group: ParamGroup<O>, state: ParamState): void;

  /**
   * Adds a parameter group (e.g. layers unfrozen during fine-tuning). Options it leaves out take the
   * optimizer's defaults. A parameter may belong to one group only.
   */
  addParamGroup(spec: ParamGroupSpec<O>): void {
    const ctx = `param group ${this.paramGroups.length}`;
    if (typeof spec !== "object" || spec === null || spec instanceof Tensor || !("params" in spec)) {
      throw new ValueError(`${this.name}: a parameter group must be an object with a params field (got ${spec instanceof Tensor ? "a Tensor" : typeof spec})`);
    }
    const raw = spec.params;
    const params = raw instanceof Tensor ? [raw] : [...(raw as Iterable<Tensor>)];
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new ValueError(`${this.name}: ${ctx} params[${i}] is not a Tensor (got ${typeof p})`);
      if (!isFloat(p.dtype)) throw new DTypeError(`${this.name}: ${ctx} params[${i}] has dtype ${p.dtype} (expected float32 or float64)`);
      if (!p.isLeaf) throw new ValueError(`${this.name}: ${ctx} params[${i}] is not a leaf tensor (an optimizer can only update leaves; use detach().requiresGrad_())`);
      if (seen.has(p)) throw new ValueError(`${this.name}: ${ctx} params[${i}] already appears in a parameter group (each parameter may be in one group only)`);
      seen.add(p);
    });
    const group: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.defaults)) group[k] = copyDefault(v);
    for (const [k, v] of Object.entries(spec)) if (k !== "params" && v !== undefined) group[k] = v;
    group.params = params;
    const g = group as ParamGroup<O>;
    this.checkOptions(g, ctx);
    checkLr(this.name, g.lr, ctx, params);
    this.paramGroups.push(g);
  }

  /**
   * One optimization step over every parameter that has a gradient. `closure`, when given,
   * re-evaluates the model and returns the loss; it runs first, with gradients enabled, and its
   * result is returned.
   */
  step<L = undefined>(closure?: () => L): L | undefined {
    let loss: L | undefined;
    if (closure !== undefined) loss = enableGrad(closure);
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const grad = p.grad;
          if (grad === null) continue;
          if (!shapesEqual(grad.shape, p.shape)) {
            throw new ShapeError(`${this.name}.step: a gradient of shape ${fmtShape(grad.shape)} does not fit its parameter of shape ${fmtShape(p.shape)}`);
          }
          const known = this.state.get(p);
          const s = known ?? {};
          this.update(p, grad, group, s);
          // like PyTorch, a parameter whose update keeps no state (plain SGD) gets no entry
          if (known === undefined && Object.keys(s).length > 0) this.state.set(p, s);
          bumpVersion(p);
          applyConstraintHook(this.name, p);
        }
      }
    });
    return loss;
  }

  /**
   * Clears every parameter's gradient: sets it to null (default, like PyTorch), or with
   * `{setToNone: false}` fills it with zeros in place.
   */
  zeroGrad(opts: { setToNone?: boolean } = {}): void {
    const setToNone = opts.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = p.grad;
        if (g === null) continue;
        if (setToNone) p.grad = null;
        else if (g.gradFn !== null || g.requiresGrad) {
          // a gradient built with createGraph is part of a graph: replace it, don't write into it
          p.grad = fromTypedArray(g.dtype === "float32" ? new Float32Array(g.size) : new Float64Array(g.size), g.shape.slice(), g.dtype);
        } else {
          dispatchMany("fill", [g], [], { value: 0 });
          bumpVersion(g);
        }
      }
    }
  }

  /**
   * A zero-filled state buffer `key` of `p`'s shape and dtype (created on first use, with every
   * element `fill`), returned as the tensor itself: the update kernels dispatched on it write it in place.
   */
  protected stateTensor(state: ParamState, key: string, p: Tensor, fill = 0): Tensor {
    let t = state[key];
    if (!(t instanceof Tensor)) {
      const data = p.dtype === "float32" ? new Float32Array(p.size) : new Float64Array(p.size);
      if (fill !== 0) data.fill(fill);
      state[key] = t = fromTypedArray(data, p.shape.slice(), p.dtype);
    }
    return t;
  }

  /** Increments the counter `key` (0 when absent) and returns the new value. */
  protected count(state: ParamState, key = "step"): number {
    const n = ((state[key] as number | undefined) ?? 0) + 1;
    state[key] = n;
    return n;
  }

  /** The optimizer's state in PyTorch's layout; tensors are copies. */
  stateDict(): OptimizerStateDict {
    const ids = new Map<Tensor, number>();
    const param_groups = this.paramGroups.map((g) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== "params") out[camelToSnake(k)] = copyValue(v);
      const params = g.params.map((p) => {
        if (!ids.has(p)) ids.set(p, ids.size);
        return ids.get(p)!;
      });
      return { ...out, params };
    });
    const state: Record<number, Record<string, Tensor | number>> = {};
    for (const [p, s] of this.state) {
      const id = ids.get(p);
      if (id === undefined) continue;
      const copy: Record<string, Tensor | number> = {};
      for (const [k, v] of Object.entries(s)) copy[k] = copyValue(v);
      state[id] = copy;
    }
    return { state, param_groups };
  }

  /**
   * Restores a state dict from `stateDict()` (or PyTorch's layout: 0-d tensor counters are
   * accepted). Groups must match this optimizer's in number and sizes; state tensors are copied
   * and cast to their parameter's dtype.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const n = this.name;
    if (typeof sd !== "object" || sd === null || !Array.isArray(sd.param_groups) || typeof sd.state !== "object") {
      throw new ValueError(`${n}.loadStateDict: expected {state, param_groups} (got ${sd === null ? "null" : typeof sd})`);
    }
    if (sd.param_groups.length !== this.paramGroups.length) {
      throw new ValueError(`${n}.loadStateDict: the state dict has ${sd.param_groups.length} parameter groups, this optimizer ${this.paramGroups.length}`);
    }
    const byId = new Map<number, Tensor>();
    sd.param_groups.forEach((sg, gi) => {
      const mine = this.paramGroups[gi]!.params;
      if (!Array.isArray(sg.params) || sg.params.length !== mine.length) {
        throw new ValueError(`${n}.loadStateDict: parameter group ${gi} has ${Array.isArray(sg.params) ? sg.params.length : "no"} parameters in the state dict, ${mine.length} in this optimizer`);
      }
      sg.params.forEach((id, i) => byId.set(id, mine[i]!));
    });
    const newState = new Map<Tensor, ParamState>();
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = byId.get(Number(key));
      if (p === undefined) throw new ValueError(`${n}.loadStateDict: state entry ${key} names no parameter of the state dict's groups`);
      const s: ParamState = {};
      for (const [k, v] of Object.entries(entry)) s[k] = loadStateValue(n, k, v, p);
      newState.set(p, s);
    }
    const newGroups = sd.param_groups.map((sg, gi) => {
      const g: Record<string, unknown> = { params: this.paramGroups[gi]!.params };
      for (const [k, v] of Object.entries(sg)) if (k !== "params") g[snakeToCamel(k)] = copyValue(v);
      const typed = g as ParamGroup<O>;
      this.checkOptions(typed, `param group ${gi}`);
      checkLr(n, typed.lr, `param group ${gi}`, typed.params);
      return typed;
    });
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
    this.paramGroups.splice(0, this.paramGroups.length, ...newGroups);
  }

  /** PyTorch-style summary: the name, then each group's options (sorted) and its parameter shapes. */
  toString(): string {
    const lines = [`${this.name} (`];
    this.paramGroups.forEach((g, i) => {
      lines.push(`Parameter Group ${i}`);
      for (const k of Object.keys(g).filter((k) => k !== "params").sort()) lines.push(`    ${k}: ${fmtOption(g[k])}`);
      lines.push(`    params: ${g.params.length} tensor${g.params.length === 1 ? "" : "s"} (${g.params.map((p) => fmtShape(p.shape)).join(", ")})`);
    });
    lines.push(")");
    return lines.join("\n");
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** Runs `p.constraint` (see the class comment), writing a returned projection into `p`. */
function applyConstraintHook(owner: string, p: Tensor): void {
  const constraint = (p as { constraint?: unknown }).constraint;
  if (typeof constraint !== "function") return;
  const v: unknown = (constraint as (t: Tensor) => unknown)(p);
  if (v === undefined || v === p) return;
  if (!(v instanceof Tensor) || v.size !== p.size) {
    throw new ShapeError(`${owner}.step: the constraint of a parameter of shape ${fmtShape(p.shape)} returned ${v instanceof Tensor ? `shape ${fmtShape(v.shape)}` : typeof v} (expected nothing, or a tensor of the parameter's shape)`);
  }
  dispatchMany("copyInto", [p, v], [], null);
  bumpVersion(p);
}

function copyDefault(v: unknown): unknown {
  // a default tensor lr is shared on purpose (changing it changes every group that uses it)
  return Array.isArray(v) ? v.slice() : v;
}

function fmtOption(v: unknown): string {
  if (v instanceof Tensor) return `tensor of shape ${fmtShape(v.shape)} (${v.dtype})`;
  if (Array.isArray(v)) return `[${v.map(fmtOption).join(", ")}]`;
  return String(v);
}

function loadStateValue(owner: string, key: string, v: unknown, p: Tensor): Tensor | number {
  if (SCALAR_STATE_KEYS.has(key)) {
    if (typeof v === "number") return v;
    if (v instanceof Tensor && v.size === 1) return v.item();
    throw new ValueError(`${owner}.loadStateDict: state ${key} must be a number or a one-element tensor (got ${v instanceof Tensor ? `shape ${fmtShape(v.shape)}` : typeof v})`);
  }
  if (typeof v === "number") return v;
  if (!(v instanceof Tensor)) throw new ValueError(`${owner}.loadStateDict: state ${key} must be a tensor or a number (got ${v === null ? "null" : typeof v})`);
  if (!shapesEqual(v.shape, p.shape)) {
    throw new ShapeError(`${owner}.loadStateDict: state ${key} has shape ${fmtShape(v.shape)}, its parameter ${fmtShape(p.shape)}`);
  }
  const data = p.dtype === "float32" ? Float32Array.from(v.dataSync()) : Float64Array.from(v.dataSync());
  return fromTypedArray(data, p.shape.slice(), p.dtype);
}
