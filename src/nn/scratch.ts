// Scratch memory of the built-in layers: intermediates of a layer's forward (the attention
// projections, the feed-forward block's hidden activations, the sums before a LayerNorm, the
// tensors between the layers of a stack) that nothing outside the layer ever sees. JavaScript
// frees them only when the garbage collector runs, and a training step's worth of them is what
// makes V8 collect every few steps (a Transformer encoder layer at the bench's size: 11 MiB of
// fresh memory per step, and after an idle pause a mark-compact every 3–5 steps). A layer that is
// done with such an intermediate drops it here: at once when no autograd node saved it, else once
// the last node that saved it has run its backward (autograd/engine.ts), its memory goes to the
// buffer pool (core/buffer-pool.ts) and the next allocation of that size reuses it — what
// PyTorch's allocator does when the last reference to a tensor goes away.
//
// The layer vouches that no tensor over that memory escapes: none is returned, stored or passed
// to user code (a custom activation function is user code). It can only vouch for code it knows:
// so nothing is dropped unless every module inside it is a built-in whose forward is registered
// here (a subclass's forward, a module swapped in, a forward hook are user code), and no kernel
// observer (anomaly mode, the profiler) or module tracing is watching.

import { poolEnabled } from "../core/buffer-pool.js";
import { dropStorage } from "../core/scratch-memory.js";
import type { Tensor } from "../core/tensor.js";
import type { AnyModule } from "./module.js";
import { modulePathsWanted } from "./trace.js";

/** Drops one intermediate (see scratchOf); the caller must not use it, or any view of it, afterwards. */
export type DropScratch = (t: Tensor) => void;

const keep: DropScratch = () => {};

/** The forward methods known to keep nothing they are given or return. */
const libraryForwards = new Set<unknown>();

/**
 * Registers built-in module classes whose `forward` keeps no reference to its inputs, outputs or
 * intermediates beyond the call (each layer file registers its own classes).
 */
export function trustForward(...classes: { prototype: { forward: unknown } }[]): void {
  for (const c of classes) if (typeof c.prototype.forward === "function") libraryForwards.add(c.prototype.forward);
}

/**
 * For one forward call of `owner`: a function that gives an intermediate of the call back to the
 * buffer pool when nothing needs it any more (now, or after the backward of the last autograd
 * node that saved it), or a no-op when user code inside `owner`, a kernel observer or module
 * tracing might be holding it (or the pool is off).
 */
export function scratchOf(owner: AnyModule): DropScratch {
  return poolEnabled() && !modulePathsWanted() && owner._runsOnly(libraryForwards) ? dropStorage : keep;
}
