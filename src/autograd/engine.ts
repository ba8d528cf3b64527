// The reverse-mode engine: orders the graph iteratively (no recursion, so a chain of 100,000 ops
// is fine), runs each node's backward rule once all its consumers have contributed, reduces
// broadcast gradients to input shapes, casts them to input dtypes, and accumulates. A multi-output
// op's node (split) runs once, on the gradients its outputs' nodes handed on (core/node.ts).

import { AutogradError, fmtShape } from "../core/errors.js";
import { setGradEnabled } from "../core/grad-mode.js";
import { modulePathsWanted, setBackward } from "../core/module-path.js";
import { Node } from "../core/node.js";
import { type GradHook, Tensor } from "../core/tensor.js";
import { storageKey, storageMadeSince, storageMark } from "../core/tensor-internals.js";
import { poolEnabled } from "../core/buffer-pool.js";
import { releaseSaved } from "../core/scratch-memory.js";
import { GradMemory } from "./grad-memory.js";
import { shapesEqual } from "../core/shape.js";
import { add, cast, mul } from "../ops/elementwise.js";
import { GRADIENTS } from "../ops/gradients.js";
import type { Op } from "../ops/op.js";
import { sum } from "../ops/reduce.js";
import { expand, reshape } from "../ops/shape.js";

/**
 * Brings a gradient to `shape`: sums over the dims that broadcasting added or stretched, and
 * broadcasts back over dims a reduction removed (reduction rules return the small gradient).
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = Math.max(0, g.ndim - shape.length);
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead) dims.push(i);
    else if (shape[i - lead] === 1 && g.shape[i] !== 1) dims.push(i);
  }
  let r = dims.length ? sum(g, dims, true) : g;
  if (lead > 0) r = reshape(r, r.shape.slice(lead));
  return shapesEqual(r.shape, shape) ? r : expand(r, shape);
}

const SEED_FRAME = { op: "backward", module: undefined };
const ACCUMULATE_FRAME = { op: "accumulateGrad", module: undefined };

/** Called on every node before its backward (anomaly mode installs checks here). */
export const backwardObservers: ((node: Node, grads: (Tensor | null)[]) => void)[] = [];

export interface RunOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** When given, gradients are returned for these tensors instead of accumulated into `.grad`. */
  inputs?: readonly Tensor[];
}

/**
 * Backpropagates `grads` from `roots`. Returns the gradients of `opts.inputs` (null where a tensor
 * is unreachable) when inputs are given; otherwise accumulates into leaves' `.grad`.
 */
export function runBackward(roots: readonly Tensor[], grads: readonly Tensor[], opts: RunOptions): (Tensor | null)[] {
  // 1. Collect reachable nodes and count, for each, the edges that point at it.
  const deps = new Map<Node, number>();
  const stack: Node[] = [];
  for (const r of roots) {
    if (r.gradFn && !deps.has(r.gradFn)) {
      deps.set(r.gradFn, 0);
      stack.push(r.gradFn);
    }
  }
  while (stack.length) {
    const n = stack.pop()!;
    for (const e of n.next) {
      if (e instanceof Node) {
        const c = deps.get(e);
        if (c === undefined) {
          deps.set(e, 1);
          stack.push(e);
        } else deps.set(e, c + 1);
      }
    }
  }

  // Inputs we must capture: leaves by identity, non-leaves by their producing node.
  const wantLeaf = new Map<Tensor, number>();
  const wantNode = new Map<Node, number[]>();
  const captured: (Tensor | null)[] = opts.inputs ? opts.inputs.map(() => null) : [];
  opts.inputs?.forEach((t, i) => {
    if (t.gradFn) wantNode.set(t.gradFn, [...(wantNode.get(t.gradFn) ?? []), i]);
    else wantLeaf.set(t, i);
  });

  // Storages made from here on are the engine's; a gradient over one of them that is handed out
  // nowhere else may become a `.grad` as it is. Any other (the seed, a saved tensor, one already
  // given to another tensor's `.grad` or shown to a hook) is copied first, so that no two `.grad`s
  // share memory (PyTorch's rule: `a.add(b)` must not leave `a.grad === b.grad`).
  const passStart = storageMark();
  const handedOut = new Set<object>(); // storageKey()s
  const own = (g: Tensor): Tensor => {
    if (!storageMadeSince(g, passStart) || handedOut.has(storageKey(g))) {
      g = mul(g, 1); // a copy that keeps every bit (−0 and NaN included) and stays differentiable
    }
    handedOut.add(storageKey(g));
    // the engine's own buffer: that a rule made it with expand or permute is no concern of the
    // user's, whose in-place ops on `.grad` (clipping, zeroing) must work
    g._copyOf = null;
    return g;
  };
  const prevMode = setGradEnabled(opts.createGraph);
  // kernels run from here on are backward kernels; each node's frame names its forward op/module
  const prevFrame = setBackward(SEED_FRAME);
  // Reuse of dead gradient buffers (grad-memory.ts); off under createGraph, where gradients are
  // graph nodes, and while anomaly checks look at every gradient.
  const mem = !opts.createGraph && backwardObservers.length === 0 && poolEnabled() ? new GradMemory() : null;
  let finished = false;
  try {
    const buffer = new Map<Node, Tensor>();
    const leafBuf = new Map<Tensor, Tensor>();
    // gradients of the outputs of multi-output nodes (core/node.ts), one slot per output
    const slots = new Map<Node, (Tensor | null)[]>();
    const accumulate = <K>(map: Map<K, Tensor>, key: K, g: Tensor) => {
      const cur = map.get(key);
      const sum = cur ? add(cur, g) : g;
      // (g itself is pending nowhere: if the engine made it, it is already a settle candidate)
      if (mem && cur) {
        mem.drop(cur);
        mem.hold(sum);
      } else mem?.hold(g);
      map.set(key, sum);
    };
    /** Runs user hooks on g; whatever they see or return may be kept, so it escapes. */
    const runHooks = (hooks: readonly GradHook[], g0: Tensor, what: string): Tensor => {
      let g = g0;
      for (let k = 0; k < hooks.length; k++) {
        const h = hooks[k]!;
        mem?.escape(g);
        handedOut.add(storageKey(g)); // the hook may keep it
        const r: unknown = mem ? mem.user(() => h(g)) : h(g);
        if (r !== undefined && r !== null) g = checkHookResult(r, g, k, hooks.length, what);
      }
      mem?.escape(g);
      handedOut.add(storageKey(g));
      return g;
    };
    roots.forEach((r, i) => {
      const g = grads[i]!;
      if (r.gradFn) accumulate(buffer, r.gradFn, g);
      else accumulate(leafBuf, r, g);
    });

    const ready: Node[] = [];
    for (const [n, c] of deps) if (c === 0) ready.push(n);
    while (ready.length) {
      const node = ready.pop()!;
      setBackward(node);
      let g = buffer.get(node) ?? null;
      buffer.delete(node);
      let outs: (Tensor | null)[] | null = null;
      if (g) {
        mem?.drop(g);
        if (node.hooks) g = runHooks(node.hooks, g, `the output of "${node.op}"`);
        if (node.retain) {
          mem?.escape(g);
          node.retain.grad = node.retain.grad ? add(node.retain.grad, g) : own(g);
          mem?.escape(node.retain.grad);
        }
        const w = wantNode.get(node);
        if (w) {
          mem?.escape(g);
          handedOut.add(storageKey(g));
          g._copyOf = null;
          for (const i of w) captured[i] = g;
        }
        if (node.outputIndex >= 0) {
          // an output of a multi-output op: its gradient waits in the op node's slot (each output
          // has one node, so nothing else writes that slot)
          const op = node.next[0] as Node;
          let list = slots.get(op);
          if (list === undefined) slots.set(op, (list = new Array<Tensor | null>(op.nOutputs).fill(null)));
          list[node.outputIndex] = g;
          mem?.hold(g);
        } else outs = callRule(node, g, opts.retainGraph);
      } else if (node.nOutputs > 0) {
        const list = slots.get(node);
        slots.delete(node);
        if (list) {
          for (const gi of list) if (gi) mem?.drop(gi);
          outs = callRule(node, list, opts.retainGraph);
        }
      }
      for (let i = 0; i < node.next.length; i++) {
        const e = node.next[i];
        if (!e) continue;
        let gi = outs ? outs[i] ?? null : null;
        if (gi) {
          gi = fitGradient(node, i, gi);
          if (e instanceof Node) accumulate(buffer, e, gi);
          else accumulate(leafBuf, e, gi);
        }
        if (e instanceof Node) {
          const c = deps.get(e)! - 1;
          deps.set(e, c);
          if (c === 0) ready.push(e);
        }
      }
      // the gradient this node received and its rule's temporaries are dead unless still pending
      mem?.settle();
    }

    setBackward(ACCUMULATE_FRAME);
    for (const [leaf, g0] of leafBuf) {
      let g = g0;
      mem?.drop(g);
      if (leaf._hooks) g = runHooks(leaf._hooks, g, "a leaf tensor");
      const idx = wantLeaf.get(leaf);
      if (opts.inputs) {
        if (idx !== undefined) {
          mem?.escape(g);
          handedOut.add(storageKey(g));
          g._copyOf = null;
          captured[idx] = g;
        }
      } else if (leaf.requiresGrad) {
        mem?.escape(g);
        leaf.grad = leaf.grad ? add(leaf.grad, g) : own(g);
        mem?.escape(leaf.grad);
      }
      mem?.settle();
    }
    finished = true;
  } finally {
    setGradEnabled(prevMode);
    setBackward(prevFrame);
    // after an error nothing is given back: what was dead is left to the garbage collector
    mem?.close(finished);
  }
  return captured;
}

/** A hook's replacement gradient must be a tensor of the gradient's shape. */
function checkHookResult(r: unknown, g: Tensor, k: number, n: number, what: string): Tensor {
  const hook = n > 1 ? `gradient hook ${k + 1} of ${n}` : "gradient hook";
  if (!(r instanceof Tensor)) {
    const got = Array.isArray(r) ? "an array" : typeof r;
    throw new AutogradError(
      `backward: the ${hook} registered on ${what} returned ${got} (expected a Tensor of shape ${fmtShape(g.shape)}, ` +
        "or nothing to keep the gradient unchanged)",
    );
  }
  if (!shapesEqual(r.shape, g.shape)) {
    throw new AutogradError(
      `backward: the ${hook} registered on ${what} returned a gradient of shape ${fmtShape(r.shape)} ` +
        `(expected ${fmtShape(g.shape)}, the shape of the gradient it received)`,
    );
  }
  return r;
}

function callRule(node: Node, g: Tensor | (Tensor | null)[], retain: boolean): (Tensor | null)[] {
  const saved = node.saved;
  if (saved === null) {
    throw new AutogradError(
      `backward: trying to backward through the graph a second time (op "${node.op}"): its saved tensors were freed ` +
        "after the first backward. Pass { retainGraph: true } to the first backward if you need to call it twice.",
    );
  }
  for (let i = 0; i < saved.length; i++) {
    if (saved[i]!.version !== node.savedVersions[i]) {
      throw new AutogradError(
        `backward: a tensor saved by "${node.op}" (shape ${fmtShape(saved[i]!.shape)}) was modified by an in-place op ` +
          `after it was used (version ${saved[i]!.version}, expected ${node.savedVersions[i]}). ` +
          "Use the out-of-place op (e.g. add instead of add_) or clone() before modifying.",
      );
    }
  }
  const needs = node.next.map((e) => e !== null);
  // the saved tensors are those the rule's save contract declared (ops/record.ts)
  const rule = GRADIENTS[node.op as Op].rule as (g: Tensor | (Tensor | null)[], s: Tensor[], a: unknown, n: Node, needs: boolean[]) => (Tensor | null)[];
  const outs = rule(g, saved, node.attrs, node, needs);
  for (const obs of backwardObservers) obs(node, outs);
  if (!retain) {
    node.saved = null;
    // a layer's scratch memory that no node holds any more goes to the pool (core/scratch-memory.ts),
    // not while an observer (anomaly mode, a kernel observer) may be keeping what it was shown
    releaseSaved(saved, outs, backwardObservers.length === 0 && !modulePathsWanted());
  }
  return outs;
}

/** Reduces a rule's gradient to the input's shape (undoing broadcasting) and casts its dtype. */
function fitGradient(node: Node, i: number, g: Tensor): Tensor {
  const shape = node.inShapes[i]!;
  let r = shapesEqual(g.shape, shape) ? g : sumToShape(g, shape);
  const dt = node.inDTypes[i]!;
  if (r.dtype !== dt) r = cast(r, dt as Tensor["dtype"]);
  return r;
}
