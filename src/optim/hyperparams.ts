// Hyper-parameter plumbing shared by the optimizers and the learning-rate schedules: merging user
// options over defaults, range checks whose ValueError names the owner and the option, the
// per-element learning rate, and the camelCase ↔ snake_case names used in PyTorch-layout state dicts.

import { isFloat } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { broadcastShapes, shapesEqual } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { fromTypedArray } from "../core/tensor-internals.js";
import { expand } from "../ops/shape.js";

/** A learning rate: one number, or a tensor broadcastable to each parameter (a per-element rate). */
export type LearningRate = number | Tensor;

/**
 * The learning rate as the pure update functions read it: one number, or one value per element
 * of the parameter (row-major, the parameter's own shape).
 */
export type { ElementLr } from "../backend/js/optim.js";

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a ${v.dtype} tensor of shape ${fmtShape(v.shape)}`;
  if (Array.isArray(v)) return `[${v.map(describe).join(", ")}]`;
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/**
 * `given` laid over `defaults`, rejecting option names the owner does not know (a typo such as
 * `weight_decay` would otherwise be ignored silently) and options left undefined that have no
 * default. Arrays are copied so groups never share a mutable `betas`.
 */
export function mergeOptions<O extends object>(owner: string, defaults: Partial<O>, given: Partial<O> | undefined, required: readonly string[] = []): O {
  const out: Record<string, unknown> = { ...defaults };
  const known = new Set([...Object.keys(defaults), ...required]);
  for (const [k, v] of Object.entries(given ?? {})) {
    if (!known.has(k)) {
      throw new ValueError(`${owner}: unknown option "${k}" (expected one of ${[...known].sort().join(", ")})`);
    }
    if (v !== undefined) out[k] = Array.isArray(v) ? v.slice() : v;
  }
  for (const k of required) {
    if (out[k] === undefined) throw new ValueError(`${owner}: option ${k} is required (got none)`);
  }
  return out as O;
}

function where(ctx: string): string {
  return ctx ? ` in ${ctx}` : "";
}

/** A finite number (NaN or ±Infinity options are always a mistake). */
export function checkFinite(owner: string, key: string, v: unknown, ctx = ""): void {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new ValueError(`${owner}: option ${key}${where(ctx)} must be a finite number (got ${describe(v)})`);
  }
}

/** A finite number ≥ 0. */
export function checkNonNegative(owner: string, key: string, v: unknown, ctx = ""): void {
  checkFinite(owner, key, v, ctx);
  if ((v as number) < 0) throw new ValueError(`${owner}: option ${key}${where(ctx)} must be >= 0 (got ${describe(v)})`);
}

/** A finite number in [lo, hi) or [lo, hi] (`hiInclusive`). */
export function checkRange(owner: string, key: string, v: unknown, lo: number, hi: number, hiInclusive: boolean, ctx = ""): void {
  checkFinite(owner, key, v, ctx);
  const x = v as number;
  if (x < lo || x > hi || (!hiInclusive && x === hi)) {
    const range = `${lo} <= ${key} ${hiInclusive ? "<=" : "<"} ${hi}`;
    throw new ValueError(`${owner}: option ${key}${where(ctx)} is out of range (got ${x}; expected ${range})`);
  }
}

/** An integer ≥ `min`. */
export function checkInteger(owner: string, key: string, v: unknown, min: number, ctx = ""): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new ValueError(`${owner}: option ${key}${where(ctx)} must be an integer >= ${min} (got ${describe(v)})`);
  }
}

/** A boolean (a truthy string such as "false" must not switch a feature on). */
export function checkBool(owner: string, key: string, v: unknown, ctx = ""): void {
  if (typeof v !== "boolean") throw new ValueError(`${owner}: option ${key}${where(ctx)} must be a boolean (got ${describe(v)})`);
}

/** One of the listed strings. */
export function checkChoice(owner: string, key: string, v: unknown, choices: readonly string[], ctx = ""): void {
  if (typeof v !== "string" || !choices.includes(v)) {
    throw new ValueError(`${owner}: option ${key}${where(ctx)} must be one of ${choices.map((c) => `"${c}"`).join(", ")} (got ${describe(v)})`);
  }
}

/** `betas = [β₁, β₂]` with each 0 ≤ β < 1 (PyTorch's check). */
export function checkBetas(owner: string, v: unknown, ctx = ""): void {
  if (!Array.isArray(v) || v.length !== 2) {
    throw new ValueError(`${owner}: option betas${where(ctx)} must be an array of two numbers (got ${describe(v)})`);
  }
  checkRange(owner, "betas[0]", v[0], 0, 1, false, ctx);
  checkRange(owner, "betas[1]", v[1], 0, 1, false, ctx);
}

/**
 * A learning rate: a finite number ≥ 0, or a floating tensor whose elements all are. A tensor lr
 * must also broadcast to every parameter it will update (`params`), which is checked here so the
 * error comes at construction rather than at the first step.
 */
export function checkLr(owner: string, lr: unknown, ctx = "", params: readonly Tensor[] = []): void {
  if (!(lr instanceof Tensor)) {
    checkNonNegative(owner, "lr", lr, ctx);
    return;
  }
  if (!isFloat(lr.dtype)) {
    throw new DTypeError(`${owner}: a tensor lr${where(ctx)} must be float32 or float64 (got ${lr.dtype})`);
  }
  const d = lr.dataSync(); // a copy, once per construction
  for (let i = 0; i < d.length; i++) {
    if (!(d[i]! >= 0) || !Number.isFinite(d[i]!)) {
      throw new ValueError(`${owner}: every element of a tensor lr${where(ctx)} must be a finite number >= 0 (element ${i} is ${d[i]})`);
    }
  }
  for (const p of params) lrFitsParam(owner, lr, p);
}

function lrFitsParam(owner: string, lr: Tensor, p: Tensor): void {
  const fail = () =>
    new ShapeError(`${owner}: a tensor lr of shape ${fmtShape(lr.shape)} does not broadcast to a parameter of shape ${fmtShape(p.shape)} (expected a shape that broadcasts to exactly the parameter's)`);
  let b: number[];
  try {
    b = broadcastShapes(owner, lr.shape, p.shape);
  } catch {
    throw fail();
  }
  if (!shapesEqual(b, p.shape)) throw fail();
}

/**
 * The learning rate of every element of `p` for a dispatched update kernel: a number stays a
 * number; a tensor lr is broadcast to `p`'s shape (read as it is when it already has it).
 */
export function lrOperand(owner: string, lr: LearningRate, p: Tensor): number | Tensor {
  if (typeof lr === "number") return lr;
  if (shapesEqual(lr.shape, p.shape)) return lr;
  lrFitsParam(owner, lr, p);
  return expand(lr, p.shape);
}

const SNAKE_EXCEPTIONS: Record<string, string> = { tMax: "T_max" };
const CAMEL_EXCEPTIONS: Record<string, string> = Object.fromEntries(Object.entries(SNAKE_EXCEPTIONS).map(([a, b]) => [b, a]));

/** `weightDecay` → `weight_decay`, `_lastLr` → `_last_lr` (PyTorch's names in state dicts). */
export function camelToSnake(key: string): string {
  return SNAKE_EXCEPTIONS[key] ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `weight_decay` → `weightDecay`, `_last_lr` → `_lastLr` (the inverse of camelToSnake). */
export function snakeToCamel(key: string): string {
  return CAMEL_EXCEPTIONS[key] ?? key.replace(/(?<=[^_])_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** A deep copy of an option or state value: tensors get their own storage, arrays are copied. */
export function copyValue<T>(v: T): T {
  if (v instanceof Tensor) return fromTypedArray(v.dataSync(), v.shape.slice(), v.dtype) as T;
  if (Array.isArray(v)) return v.map(copyValue) as T;
  return v;
}
