// Recording: after a kernel ran, attach a graph node to its output when autograd is on and any
// input requires grad. This is the only place ops touch the graph.

import { isGradEnabled } from "../core/grad-mode.js";
import { Node } from "../core/node.js";
import type { Tensor } from "../core/tensor.js";
import type { Op, OpAttrs } from "./op.js";

/** Observers of every recorded node (anomaly mode, module tracing). Empty in normal runs. */
export const recordObservers: ((node: Node, out: Tensor) => void)[] = [];

/**
 * Records `out = op(inputs)`. `saved` lists the tensors the backward rule reads (their versions
 * are checked at backward time, so an in-place write in between raises instead of misleading).
 */
export function record<O extends Op>(op: O, inputs: readonly Tensor[], out: Tensor, saved: Tensor[], attrs: OpAttrs[O]): Tensor {
  if (!isGradEnabled()) return out;
  let any = false;
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!.requiresGrad) { any = true; break; }
  if (!any) return out;
  const n = inputs.length;
  const next = new Array(n);
  const shapes = new Array(n);
  const dtypes = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = inputs[i]!;
    next[i] = t.requiresGrad ? (t.gradFn ?? t) : null;
    shapes[i] = t.shape;
    dtypes[i] = t.dtype;
  }
  const node = new Node(op, next, shapes, dtypes, out.shape, saved, attrs);
  out.gradFn = node;
  out.requiresGrad = true;
  for (let i = 0; i < recordObservers.length; i++) recordObservers[i]!(node, out);
  return out;
}
