// Anomaly mode: a kernel observer (ops/dispatch.ts) that looks at what every kernel wrote —
// forward, backward, under noGrad, in-place optimizer updates, BatchNorm running statistics —
// and stops at the first NaN/±Inf with the op, the module, the phase, the counts, the input
// ranges and the user's source line. Only the op that *produced* a non-finite value is reported:
// one whose inputs were already non-finite is propagating it. Nothing is registered while off,
// so a normal run pays nothing (dispatch tests `observers.length === 0`).

import { NonFiniteError, ValueError } from "../core/errors.js";
import { isGradEnabled } from "../core/grad-mode.js";
import type { Tensor } from "../core/tensor.js";
import { storageKey } from "../core/tensor-internals.js";
import { traceModules } from "../nn/trace.js";
import { type KernelCall, addKernelObserver, recordObservers } from "../ops/dispatch.js";
import type { Node } from "../core/node.js";
import { backwardObservers } from "../autograd/engine.js";
import { type ValueStats, captureStack, describeReport, sourceLine, valueStats } from "./anomaly-format.js";

export type { ValueStats } from "./anomaly-format.js";

/** What anomaly mode found at one kernel call. */
export interface AnomalyReport {
  /** Kernel name ("exp", "log", "layerNorm", "adamStep", "div", …). */
  op: string;
  /** Forward module path ("encoder.layers.1.self_attn"); for backward kernels the module of the forward node; undefined outside modules. */
  modulePath: string | undefined;
  /** Whether the kernel ran in the forward pass or in backward. */
  phase: "forward" | "backward";
  /** In backward: the forward op whose gradient was being computed ("sqrt" for the sqrt rule's kernels). */
  forwardOp?: string;
  /** The kernel writes into its inputs (optimizer steps, fill, copyInto): the counts are of the updated inputs. */
  inPlace: boolean;
  /** Whether autograd was recording (false under noGrad and inside optimizer steps). */
  gradEnabled: boolean;
  /** Index of the first output (for in-place kernels: input) holding a non-finite value. */
  tensorIndex: number;
  /** Shape of the offending tensor. */
  shape: number[];
  /** Its number of NaN entries. */
  nan: number;
  /** Its number of +Infinity entries. */
  posInf: number;
  /** Its number of −Infinity entries. */
  negInf: number;
  /** min/max (over finite entries) and non-finite counts of each input, before the kernel ran. */
  inputs: ValueStats[];
  /** Numeric attributes that are themselves non-finite (e.g. `lr = NaN` of an optimizer step). */
  badAttrs: string[];
  /** True when an input was already non-finite but no checked kernel produced it (data, or a tensor made before anomaly mode). */
  inputAlreadyNonFinite: boolean;
  /** The caller's line: first stack frame outside the library's sources ("tests/x.test.ts:12:5"). */
  source: string | undefined;
  /** In backward: the line where the forward op was called (recorded for every graph node while anomaly mode is on). */
  forwardSource?: string;
  /** The whole report in one sentence (the NonFiniteError's message). */
  message: string;
}

/**
 * The NonFiniteError anomaly mode throws; `report` holds the details.
 * @example
 * try {
 *   st.stability.detectAnomaly(() => st.tensor([0]).log());
 * } catch (e) {
 *   if (!(e instanceof st.stability.AnomalyError)) throw e;
 *   e.report.op; // "log"
 * }
 */
export class AnomalyError extends NonFiniteError {
  /** The details: op, module path, phase and value statistics. */
  readonly report: AnomalyReport;
  constructor(report: AnomalyReport) {
    super(report.message);
    this.report = report;
  }
}

/** Options of `detectAnomaly`. */
export interface AnomalyOptions {
  /** Collect reports (and go on) instead of throwing at the first one. Default false. */
  warnOnly?: boolean;
}

interface Session {
  warnOnly: boolean;
  reports: AnomalyReport[];
  /** global switch with warnOnly: where reports go (console.warn when absent) */
  onReport?: (r: AnomalyReport) => void;
}

const sessions: Session[] = [];
/** Storages known to hold non-finite values that a checked kernel produced (or propagated). */
let tainted = new WeakSet<object>();
let removeObserver: (() => void) | null = null;
let prevTracing = false;
const keepGradBuffers = (): void => {}; // registered so the engine keeps every gradient buffer (no reuse while checking)
let pendingInputs = new WeakMap<KernelCall, ValueStats[]>();
/** Where each graph node was recorded (PyTorch's anomaly mode keeps the forward traceback too). */
// (kept across sessions: a graph recorded in one detectAnomaly call may be backpropagated in another)
const sites = new WeakMap<object, Error>();
const captureSite = (node: Node): void => {
  sites.set(node, captureStack());
};

const isFloatTensor = (t: Tensor): boolean => t.dtype === "float32" || t.dtype === "float64";

function before(c: KernelCall): void {
  // in-place kernels overwrite their inputs: their "before" values are only visible now
  if (c.inPlace) pendingInputs.set(c, c.inputs.map(valueStats));
}

function after(c: KernelCall): void {
  const written = c.inPlace ? c.inputs : c.outputs;
  let idx = -1;
  let bad: ValueStats | undefined;
  for (let i = 0; i < written.length; i++) {
    const t = written[i]!;
    if (!isFloatTensor(t)) continue;
    const s = valueStats(t);
    if (s.nan + s.posInf + s.negInf > 0) {
      idx = i;
      bad = s;
      break;
    }
  }
  if (bad === undefined) return;
  const ins = c.inPlace ? (pendingInputs.get(c) ?? c.inputs.map(valueStats)) : c.inputs.map(valueStats);
  pendingInputs.delete(c);
  const nonFiniteIn = ins.map((s) => s.nan + s.posInf + s.negInf > 0);
  const producedElsewhere = c.inputs.some((t, i) => nonFiniteIn[i] && tainted.has(storageKey(t)));
  for (let i = idx; i < written.length; i++) tainted.add(storageKey(written[i]!));
  // propagation of a value some checked kernel already reported: not this op's fault
  if (producedElsewhere) return;
  const badAttrs = nonFiniteAttrs(c.attrs);
  const report: AnomalyReport = {
    op: c.op,
    modulePath: c.backward ? c.backward.module : c.modulePath,
    phase: c.backward ? "backward" : "forward",
    ...(c.backward ? { forwardOp: c.backward.op } : {}),
    inPlace: c.inPlace,
    gradEnabled: isGradEnabled(),
    tensorIndex: idx,
    shape: written[idx]!.shape.slice(),
    nan: bad.nan, posInf: bad.posInf, negInf: bad.negInf,
    inputs: ins,
    badAttrs,
    inputAlreadyNonFinite: nonFiniteIn.some(Boolean),
    source: sourceLine(captureStack().stack),
    ...(c.backward && sites.has(c.backward) ? { forwardSource: sourceLine(sites.get(c.backward)!.stack) } : {}),
    message: "",
  };
  report.message = describeReport(report);
  const s = sessions[sessions.length - 1]!;
  if (!s.warnOnly) throw new AnomalyError(report);
  s.reports.push(report);
  s.onReport?.(report);
}

function nonFiniteAttrs(attrs: unknown): string[] {
  const out: string[] = [];
  if (attrs === null || typeof attrs !== "object") return out;
  for (const [k, v] of Object.entries(attrs as Record<string, unknown>)) {
    if (typeof v === "number" && !Number.isFinite(v)) out.push(`${k} = ${v}`);
  }
  return out;
}

function push(s: Session): void {
  sessions.push(s);
  if (sessions.length === 1) {
    removeObserver = addKernelObserver({ before, after });
    prevTracing = traceModules(true); // label graph nodes so backward kernels can name their module
    backwardObservers.push(keepGradBuffers);
    recordObservers.push(captureSite);
  }
}

function pop(s: Session): void {
  const i = sessions.lastIndexOf(s);
  if (i >= 0) sessions.splice(i, 1);
  if (sessions.length === 0 && removeObserver !== null) {
    removeObserver();
    removeObserver = null;
    traceModules(prevTracing);
    const j = backwardObservers.indexOf(keepGradBuffers);
    if (j >= 0) backwardObservers.splice(j, 1);
    const k = recordObservers.indexOf(captureSite);
    if (k >= 0) recordObservers.splice(k, 1);
    tainted = new WeakSet();
    pendingInputs = new WeakMap();
  }
}

/** What detectAnomaly returns: fn's result and the reports (empty unless warnOnly found some). */
export interface AnomalyResult<T> {
  /** What `fn` returned. */
  result: T;
  /** The anomalies found (only with `warnOnly`; otherwise the first one throws). */
  reports: AnomalyReport[];
}

/**
 * Runs `fn` in anomaly mode (PyTorch's `detect_anomaly`, but on every kernel): after each kernel —
 * forward, backward, under noGrad, optimizer updates, running statistics — its outputs (for
 * in-place kernels, the updated inputs) are scanned, and at the first NaN/+Inf/−Inf an
 * {@link AnomalyError} (a `NonFiniteError`) is thrown naming the op, the module path, forward or
 * backward, the counts, the inputs' ranges and the caller's source line. Kernels whose inputs
 * were already non-finite only propagate and are not reported. With `warnOnly: true` the reports
 * are collected and returned instead. A function returning a promise is checked until it settles.
 * Slow (every kernel output is copied and scanned): a debugging tool. Backward reports name the
 * forward module and the forward op's line when the forward pass also ran in anomaly mode.
 *
 * @example
 * const { reports } = st.stability.detectAnomaly(() => st.tensor([1000]).exp(), { warnOnly: true });
 * reports[0]!.op; // "exp"
 * try {
 *   st.stability.detectAnomaly(() => st.tensor([0]).log());
 * } catch (e) {
 *   if (!(e instanceof st.NonFiniteError)) throw e; // NonFiniteError: ... op "log" ...
 * }
 */
export function detectAnomaly<T>(fn: () => Promise<T>, opts?: AnomalyOptions): Promise<AnomalyResult<T>>;
export function detectAnomaly<T>(fn: () => T, opts?: AnomalyOptions): AnomalyResult<T>;
export function detectAnomaly<T>(fn: () => T | Promise<T>, opts: AnomalyOptions = {}): AnomalyResult<T> | Promise<AnomalyResult<T>> {
  if (typeof fn !== "function") throw new ValueError(`detectAnomaly: expected a function to run (got ${fn === null ? "null" : typeof fn})`);
  const s: Session = { warnOnly: opts.warnOnly === true, reports: [] };
  push(s);
  let r: T | Promise<T>;
  try {
    r = fn();
  } catch (e) {
    pop(s);
    throw e;
  }
  if (r instanceof Promise) {
    return r.then(
      (v) => { pop(s); return { result: v, reports: s.reports }; },
      (e: unknown) => { pop(s); throw e; },
    );
  }
  pop(s);
  return { result: r, reports: s.reports };
}

let globalSession: Session | null = null;

/**
 * Switches anomaly mode on or off for everything that runs afterwards (the global form of
 * {@link detectAnomaly}); returns the previous setting. Off by default. With `warnOnly`, each
 * report goes to `onReport` (default: `console.warn` of its message) instead of being thrown.
 *
 * @example
 * st.stability.setAnomalyEnabled(true);
 * // ... train: the first NaN throws a NonFiniteError naming op, module and source line
 * st.stability.setAnomalyEnabled(false);
 */
export function setAnomalyEnabled(on: boolean, opts: AnomalyOptions & { onReport?: (r: AnomalyReport) => void } = {}): boolean {
  if (typeof on !== "boolean") throw new ValueError(`setAnomalyEnabled: expected true or false (got ${typeof on})`);
  const prev = globalSession !== null;
  if (globalSession !== null) {
    pop(globalSession);
    globalSession = null;
  }
  if (on) {
    globalSession = {
      warnOnly: opts.warnOnly === true, reports: [],
      onReport: opts.onReport ?? ((r) => console.warn(`anomaly: ${r.message}`)),
    };
    push(globalSession);
  }
  return prev;
}

/**
 * Whether anomaly checks are running (the global switch or a detectAnomaly call).
 * @example
 * st.stability.isAnomalyEnabled(); // false
 * st.stability.detectAnomaly(() => st.stability.isAnomalyEnabled()).result; // true inside
 */
export function isAnomalyEnabled(): boolean {
  return sessions.length > 0;
}
