// Recording: after a kernel ran, attach a graph node to its output when autograd is on and any
// input requires grad. This is the only place ops touch the graph.

import { AutogradError, fmtShape } from "../core/errors.js";
import { isGradEnabled } from "../core/grad-mode.js";
import { Node } from "../core/node.js";
import type { Tensor } from "../core/tensor.js";
import type { Op, OpAttrs } from "./op.js";

/** Observers of every recorded node (anomaly mode, module tracing). Empty in normal runs. */
export const recordObservers: ((node: Node, out: Tensor) => void)[] = [];

/**
 * Refuses a tensor whose values were rewritten by a recorded in-place op on another view of its
 * storage (e.g. `v = y.reshape(...); v.mul_(2)`, then using y): its gradFn no longer describes
 * its values, and PyTorch's view rebasing is not implemented, so going on would be silently wrong.
 */
export function checkNotStale(op: string, t: Tensor, i: number): void {
  if (t._s.trackedWrite > t._gradVersion) {
    throw new AutogradError(
      `${op}: input ${i} (shape ${fmtShape(t.shape)}) shares its storage with a view that was modified in place ` +
        "while autograd was recording, so its gradient history is stale. Use the out-of-place op, or clone() " +
        "before modifying a view in place",
    );
  }
}

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
    if (t.requiresGrad) checkNotStale(op, t, i);
    next[i] = t.requiresGrad ? (t.gradFn ?? t) : null;
    shapes[i] = t.shape;
    dtypes[i] = t.dtype;
  }
  const node = new Node(op, next, shapes, dtypes, out.shape, saved, attrs);
  out.gradFn = node;
  out.requiresGrad = true;
  out._gradVersion = out._s.version;
  for (let i = 0; i < recordObservers.length; i++) recordObservers[i]!(node, out);
  return out;
}
