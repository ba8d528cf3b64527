// dispatch: the one function every primitive passes through (the role of jax-js's `bind` and
// tfjs's `runKernel`). It allocates the outputs, tells the kernel observers, runs the kernel of
// the active backend (backend/kernel-table.ts) and records the autograd node with exactly what
// the backward rule declares it needs (GRADIENTS[op].inputs / .outputs in gradients.ts).
// Ops compute dtypes, shapes and attributes and call dispatch; they never see raw arrays.

import { KERNELS, type KernelAttrs, type KernelName, allocOutput } from "../backend/kernel-table.js";
import type { DType } from "../core/dtype.js";
import { isGradEnabled } from "../core/grad-mode.js";
import { type BackwardFrame, currentBackward, currentModulePath, wantModulePaths } from "../core/module-path.js";
import type { Tensor } from "../core/tensor.js";
import { viewOf } from "../core/tensor-internals.js";
import { record } from "./record.js";

/** What a kernel observer is told about one kernel call (the same object in before and after). */
export interface KernelCall {
  /** Kernel name (= the op name for primitives; e.g. "adamStep", "layerNormBackward" otherwise). */
  op: KernelName;
  inputs: readonly Tensor[];
  /** Empty in `before`; the written outputs in `after` (none for in-place kernels). */
  outputs: readonly Tensor[];
  attrs: unknown;
  /** Dotted path of the innermost running module ("0", "layers.1.linear1"), undefined outside modules. */
  modulePath: string | undefined;
  /** In backward: the autograd node whose gradient this kernel computes (its op and forward module). */
  backward: BackwardFrame | undefined;
  /** True for kernels that write into their inputs (optimizer steps, fill, copyInto): no outputs. */
  inPlace: boolean;
}

/** Hooks run around every kernel call while registered (anomaly mode, profiler, tracers). */
export interface KernelObserver {
  before?(call: KernelCall): void;
  after?(call: KernelCall): void;
}

const observers: KernelObserver[] = [];

/**
 * Registers a kernel observer; returns a function that removes it. While any is registered,
 * Module.call keeps the module path stack so `call.modulePath` names the running layer.
 * @example
 * import { addKernelObserver } from "./dispatch.js";
 * const seen: string[] = [];
 * const off = addKernelObserver({ after: (c) => seen.push(c.op) });
 * st.ones([2]).add(1); off(); // seen = ["add"]
 */
export function addKernelObserver(o: KernelObserver): () => void {
  observers.push(o);
  wantModulePaths(1);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    const i = observers.indexOf(o);
    if (i >= 0) observers.splice(i, 1);
    wantModulePaths(-1);
  };
}

/** One output of a multi-output kernel. */
export interface OutSpec {
  shape: number[];
  dtype: DType;
}

function observed<N extends KernelName>(name: N, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: KernelAttrs[N]): void {
  const call: KernelCall = {
    op: name, inputs, outputs: [], attrs, modulePath: currentModulePath(), backward: currentBackward(), inPlace: outputs.length === 0,
  };
  const obs = observers.slice(); // an observer may remove itself
  for (const o of obs) o.before?.(call);
  KERNELS[name](inputs, outputs, attrs);
  call.outputs = outputs;
  for (const o of obs) o.after?.(call);
}

/**
 * Runs kernel `name` with one output of `shape`/`dtype` and records it for autograd when it is a
 * differentiable primitive, grad mode is on and an input requires grad. Returns the output.
 */
export function dispatch<N extends KernelName>(name: N, inputs: Tensor[], shape: number[], dtype: DType, attrs: KernelAttrs[N]): Tensor {
  const out = name === "reshape" ? viewOf(inputs[0]!, shape) : allocOutput(name, shape, dtype);
  const outs = [out];
  if (observers.length === 0) KERNELS[name](inputs, outs, attrs);
  else observed(name, inputs, outs, attrs);
  if (isGradEnabled()) record(name, inputs, outs, attrs);
  return out;
}

/** dispatch for kernels with several outputs (LayerNorm's y, mean, rstd) or none (in-place optimizer steps). */
export function dispatchMany<N extends KernelName>(name: N, inputs: Tensor[], outs: readonly OutSpec[], attrs: KernelAttrs[N]): Tensor[] {
  const outputs = outs.map((o) => allocOutput(name, o.shape, o.dtype));
  if (observers.length === 0) KERNELS[name](inputs, outputs, attrs);
  else observed(name, inputs, outputs, attrs);
  if (isGradEnabled() && outputs.length > 0) record(name, inputs, outputs, attrs);
  return outputs;
}

export { recordObservers } from "./record.js";
