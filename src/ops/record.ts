// Recording: after a kernel ran, dispatch attaches a graph node to its output when autograd is on
// and any input requires grad. The node saves exactly the inputs and outputs that the op's
// backward rule declares (GRADIENTS[op].inputs / .outputs), and the engine checks their versions.

import { AutogradError, fmtShape } from "../core/errors.js";
import { Node } from "../core/node.js";
import { isFloat } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { noteSaved } from "../core/scratch-memory.js";
import { hasStaleHistory } from "../core/tensor-internals.js";
import { GRADIENTS, type GradientConfig } from "./gradients.js";
import type { Op } from "./op.js";

/** Observers of every recorded node (anomaly mode, module tracing). Empty in normal runs. */
export const recordObservers: ((node: Node, out: Tensor) => void)[] = [];

/**
 * Refuses a tensor whose values were rewritten by a recorded in-place op on another view of its
 * storage (e.g. `v = y.reshape(...); v.mul_(2)`, then using y): its gradFn no longer describes
 * its values, and PyTorch's view rebasing is not implemented, so going on would be silently wrong.
 */
export function checkNotStale(op: string, t: Tensor, i: number): void {
  if (hasStaleHistory(t)) {
    throw new AutogradError(
      `${op}: input ${i} (shape ${fmtShape(t.shape)}) shares its storage with a view that was modified in place ` +
        "while autograd was recording, so its gradient history is stale. Use the out-of-place op, or clone() " +
        "before modifying a view in place",
    );
  }
}

function pick(list: readonly number[] | ((a: never) => readonly number[]) | undefined, attrs: unknown, from: readonly Tensor[], into: Tensor[]): void {
  if (list === undefined) return;
  const idx = typeof list === "function" ? list(attrs as never) : list;
  for (let i = 0; i < idx.length; i++) {
    const t = from[idx[i]!];
    if (t !== undefined) into.push(t);
  }
}

/**
 * Records `outputs[0] = op(inputs)` when grad mode is on (the caller checked), `op` is a
 * differentiable primitive with a float result and some input requires grad. A multi-output op
 * (GradientConfig.multiOutput: split) gets every output recorded, each with its own node.
 */
export function record(op: string, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: unknown): void {
  const n = inputs.length;
  let any = false;
  for (let i = 0; i < n; i++) if (inputs[i]!.requiresGrad) { any = true; break; }
  if (!any) return;
  const cfg = GRADIENTS[op as Op] as GradientConfig<Op> | undefined;
  const out = outputs[0]!;
  if (cfg === undefined || !isFloat(out.dtype)) return;
  const next = new Array(n);
  const shapes = new Array(n);
  const dtypes = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = inputs[i]!;
    if (t.requiresGrad) checkNotStale(op, t, i);
    next[i] = t.requiresGrad ? (t.gradFn ?? t) : null;
    shapes[i] = t.shape;
    dtypes[i] = t.dtype;
  }
  const saved: Tensor[] = [];
  pick(cfg.inputs, attrs, inputs, saved);
  pick(cfg.outputs, attrs, outputs, saved);
  // counted so that a layer's scratch memory is reused only once no node needs it (nn/scratch.ts)
  for (let i = 0; i < saved.length; i++) noteSaved(saved[i]!);
  const node = new Node(op, next, shapes, dtypes, out.shape, saved, attrs);
  if (cfg.multiOutput) return recordOutputs(node, outputs);
  out.gradFn = node;
  out.requiresGrad = true;
  out._gradVersion = out.version;
  for (let i = 0; i < recordObservers.length; i++) recordObservers[i]!(node, out);
}

/**
 * The per-output nodes of a multi-output op (core/node.ts): output j's node forwards its
 * gradient to slot j of `node`, whose rule then sees every output's gradient at once.
 */
function recordOutputs(node: Node, outputs: readonly Tensor[]): void {
  node.nOutputs = outputs.length;
  for (let i = 0; i < recordObservers.length; i++) recordObservers[i]!(node, outputs[0]!);
  for (let j = 0; j < outputs.length; j++) {
    const t = outputs[j]!;
    const on = new Node(node.op, [node], [t.shape], [t.dtype], t.shape, [], node.attrs);
    on.outputIndex = j;
    t.gradFn = on;
    t.requiresGrad = true;
    t._gradVersion = t.version;
    for (let i = 0; i < recordObservers.length; i++) recordObservers[i]!(on, t);
  }
}
