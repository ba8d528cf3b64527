// The autograd graph node. Ops create one per differentiable result (ops/record.ts); the engine
// (autograd/engine.ts) walks them. It lives in core so Tensor can name its type.

import type { GradHook, Tensor } from "./tensor.js";

/** Where a gradient flows: the producing node of a non-leaf input, a leaf tensor, or nowhere. */
export type Edge = Node | Tensor | null;

export class Node<A = unknown> {
  /** Op name (the primitive's key), for errors, anomaly mode and graph printing. */
  readonly op: string;
  /** One edge per input, captured at record time (so in-place rebinding cannot form cycles). */
  readonly next: Edge[];
  /** Input shapes and dtypes, for broadcast reduction and casting of gradients. */
  readonly inShapes: (readonly number[])[];
  readonly inDTypes: string[];
  /** Output shape and dtype. */
  readonly outShape: readonly number[];
  /** Saved tensors (null once freed after a backward without retainGraph). */
  saved: Tensor[] | null;
  /** Versions of the saved tensors at record time. */
  savedVersions: number[];
  /** Op attributes (dims, scalars, ...), typed per op by ops/op.ts `OpNode<O>`. */
  attrs: A;
  /** Hooks registered on the output tensor (non-leaf `registerHook`). */
  hooks: GradHook[] | null = null;
  /** Tensors that asked `retainGrad()`: their .grad gets this node's output gradient. */
  retain: Tensor | null = null;
  /**
   * Multi-output ops (split), whose outputs all carry gradients: each output tensor gets its own
   * node (so hooks, retainGrad and grad(…, inputs) stay per tensor) with `outputIndex` ≥ 0 and
   * one edge, next[0], to the op's node, which has `nOutputs` > 0. The engine hands an output
   * node's gradient on to slot `outputIndex` of the op's node, whose rule gets the list of slots
   * (null where no gradient arrived). Ordinary nodes: −1 and 0.
   */
  outputIndex = -1;
  nOutputs = 0;
  /** Label of the module that ran this op (set by nn when module tracing is on). */
  module: string | undefined;
  /** Sequence number: later nodes have larger ids (for deterministic ordering and anomaly reports). */
  readonly id: number;
  static counter = 0;

  constructor(
    op: string, next: Edge[], inShapes: (readonly number[])[], inDTypes: string[],
    outShape: readonly number[], saved: Tensor[], attrs: A,
  ) {
    this.op = op;
    this.next = next;
    this.inShapes = inShapes;
    this.inDTypes = inDTypes;
    this.outShape = outShape;
    this.saved = saved;
    this.savedVersions = saved.map((t) => t._s.version);
    this.attrs = attrs;
    this.id = Node.counter++;
  }
}
