// Containers: Sequential (a pipeline), ModuleList (an indexable list) and ModuleDict (a keyed
// map) of sub-modules. Their children are keyed "0", "1", … (or by name), as in PyTorch, so
// state-dict keys read "0.weight", "layers.3.bias".

import { DTypeError, IndexError, ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { type AnyModule, Module, type ModuleMember } from "../module.js";
import { trustForward } from "../scratch.js";

function checkModule(who: string, m: unknown, where: string): AnyModule {
  if (!(m instanceof Module)) {
    throw new DTypeError(`${who}: ${where} is not a Module (got ${m === null ? "null" : typeof m === "object" ? (m as object).constructor?.name ?? "object" : typeof m})`);
  }
  return m as AnyModule;
}

function indexOf(who: string, i: number, n: number): number {
  const j = i < 0 ? i + n : i;
  if (!Number.isInteger(i) || j < 0 || j >= n) throw new IndexError(`${who}: index ${i} is out of range for ${n} modules (expected ${-n} <= index < ${n})`);
  return j;
}

const members = (entries: Iterable<readonly [string, AnyModule]>): ModuleMember[] =>
  Array.from(entries, ([key, value]) => ({ key, kind: "module" as const, value, persistent: true }));

/**
 * Runs modules one after another: y = mₙ(… m₂(m₁(x))). Built from modules
 * (`new Sequential(a, b)`), an array, or an object of named modules (PyTorch's OrderedDict form,
 * whose names become the keys).
 *
 * @example
 * const net = new st.nn.Sequential(new st.nn.Linear(6, 8), new st.nn.ReLU(), new st.nn.Linear(8, 3));
 * Object.keys(net.stateDict()) // ["0.weight", "0.bias", "2.weight", "2.bias"]
 */
export class Sequential extends Module<[Tensor], Tensor> {
  private readonly _items: [string, AnyModule][] = [];

  constructor(...modules: AnyModule[] | [readonly AnyModule[]] | [Readonly<Record<string, AnyModule>>]) {
    super();
    const first = modules[0] as unknown;
    if (modules.length === 1 && Array.isArray(first)) {
      (first as AnyModule[]).forEach((m, i) => this.append(checkModule("Sequential", m, `element ${i}`)));
    } else if (modules.length === 1 && first !== null && typeof first === "object" && !(first instanceof Module)) {
      for (const [k, m] of Object.entries(first as Record<string, AnyModule>)) {
        if (k.includes(".") || k === "") throw new ValueError(`Sequential: module name "${k}" must be non-empty and contain no "."`);
        this._items.push([k, checkModule("Sequential", m, `"${k}"`)]);
      }
    } else (modules as AnyModule[]).forEach((m, i) => this.append(checkModule("Sequential", m, `argument ${i}`)));
  }

  override _members(): ModuleMember[] {
    return members(this._items);
  }

  /** Number of modules. */
  get length(): number {
    return this._items.length;
  }

  /**
   * The module at position `i` (negative counts from the end); name its type to reach its fields:
   * `seq.at<nn.Linear>(0).weight`.
   */
  at<M extends AnyModule = AnyModule>(i: number): M {
    return this._items[indexOf("Sequential.at", i, this._items.length)]![1] as M;
  }

  /** Adds a module at the end (key = its position). Returns this. */
  append(m: AnyModule): this {
    this._items.push([String(this._items.length), checkModule("Sequential.append", m, "the argument")]);
    return this;
  }

  /** Iterates the modules, in order. */
  [Symbol.iterator](): Iterator<AnyModule> {
    return this._items.map(([, m]) => m)[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const [, m] of this._items) y = m.call(y);
    return y;
  }
}

/**
 * A list of sub-modules, registered so their parameters are found (a plain array is not walked).
 * It has no forward of its own: iterate it in the owner's forward.
 *
 * @example
 * class Stack extends st.nn.Module {
 *   layers = new st.nn.ModuleList([new st.nn.Linear(4, 4), new st.nn.Linear(4, 4)]);
 *   forward(x: st.Tensor) { for (const l of this.layers) x = l.call(x); return x; }
 * }
 */
export class ModuleList extends Module<unknown[], never> {
  private readonly _items: AnyModule[] = [];

  constructor(modules: Iterable<AnyModule> = []) {
    super();
    this.extend(modules);
  }

  override _members(): ModuleMember[] {
    return members(this._items.map((m, i) => [String(i), m] as const));
  }

  /** Number of modules. */
  get length(): number {
    return this._items.length;
  }

  /** The module at position `i` (negative counts from the end): `list.at<Block>(2)`. */
  at<M extends AnyModule = AnyModule>(i: number): M {
    return this._items[indexOf("ModuleList.at", i, this._items.length)]! as M;
  }

  /** Adds `m` at the end (its key is its index); returns this. */
  append(m: AnyModule): this {
    this._items.push(checkModule("ModuleList.append", m, "the argument"));
    return this;
  }

  /** Adds each of `modules` at the end; returns this. */
  extend(modules: Iterable<AnyModule>): this {
    let i = 0;
    for (const m of modules) this._items.push(checkModule("ModuleList", m, `element ${i++}`));
    return this;
  }

  /** Inserts `m` before position `i` (keys of the later modules shift, as in PyTorch). */
  insert(i: number, m: AnyModule): this {
    const n = this._items.length;
    const j = i < 0 ? Math.max(0, i + n) : Math.min(i, n);
    this._items.splice(j, 0, checkModule("ModuleList.insert", m, "the module"));
    return this;
  }

  /** Iterates the modules, in order. */
  [Symbol.iterator](): Iterator<AnyModule> {
    return this._items[Symbol.iterator]();
  }

  forward(): never {
    throw new ValueError("ModuleList has no forward: iterate over it in the owning module's forward");
  }
}

/**
 * A map of named sub-modules (insertion order kept; keys are used verbatim in state-dict keys).
 * @example
 * const heads = new st.nn.ModuleDict({ cls: new st.nn.Linear(8, 3), reg: new st.nn.Linear(8, 1) });
 * heads.get("cls")!.call(st.ones([2, 8])); // [2, 3]
 */
export class ModuleDict extends Module<unknown[], never> {
  private readonly _map = new Map<string, AnyModule>();

  constructor(modules: Readonly<Record<string, AnyModule>> | Iterable<readonly [string, AnyModule]> = {}) {
    super();
    const entries = Symbol.iterator in (modules as object) ? (modules as Iterable<readonly [string, AnyModule]>) : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }

  override _members(): ModuleMember[] {
    return members(this._map);
  }

  /** Number of entries. */
  get size(): number {
    return this._map.size;
  }

  /** The module under `key`: `dict.get<nn.Linear>("cls")`. */
  get<M extends AnyModule = AnyModule>(key: string): M | undefined {
    return this._map.get(key) as M | undefined;
  }

  /** Adds or replaces the module under `key`. Returns this. */
  set(key: string, m: AnyModule): this {
    if (typeof key !== "string" || key === "" || key.includes(".")) throw new ValueError(`ModuleDict: key ${JSON.stringify(key)} must be a non-empty string without "."`);
    this._map.set(key, checkModule("ModuleDict", m, `"${key}"`));
    return this;
  }

  /** Whether a module is stored under `key`. */
  has(key: string): boolean {
    return this._map.has(key);
  }

  /** Removes the module under `key`; returns whether there was one. */
  delete(key: string): boolean {
    return this._map.delete(key);
  }

  /** The keys, in insertion order. */
  keys(): string[] {
    return [...this._map.keys()];
  }

  /** The modules, in insertion order. */
  values(): AnyModule[] {
    return [...this._map.values()];
  }

  /** The [key, module] pairs, in insertion order. */
  entries(): [string, AnyModule][] {
    return [...this._map.entries()];
  }

  /** Iterates the [key, module] pairs, in insertion order. */
  [Symbol.iterator](): Iterator<[string, AnyModule]> {
    return this._map.entries();
  }

  forward(): never {
    throw new ValueError("ModuleDict has no forward: look modules up by key in the owning module's forward");
  }
}

// their forward keeps nothing it is given or makes (nn/scratch.ts)
trustForward(ModuleList);
