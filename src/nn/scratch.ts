// Scratch memory of the built-in layers: intermediates of a layer's forward (the attention
// projections, the feed-forward block's hidden activations, the sums before a LayerNorm) that
// nothing outside the layer ever sees. JavaScript frees them only when the garbage collector runs,
// and a training step's worth of them is what makes V8 collect every few steps (a Transformer
// encoder layer at the bench's size: 11 MiB of fresh memory per step, and after an idle pause a
// mark-compact every 3–5 steps). A layer that is done with such an intermediate drops it here:
// at once when no autograd node saved it, else once the last node that saved it has run its
// backward (autograd/engine.ts), its memory goes to the buffer pool (core/buffer-pool.ts) and the
// next allocation of that size reuses it — what PyTorch's allocator does when the last reference
// to a tensor goes away.
//
// The layer vouches that no tensor over that memory escapes: none is returned, stored or passed
// to user code (a custom activation function is user code). Where something else could be
// looking — a forward hook on the layer or inside it, a kernel observer (anomaly mode, the
// profiler), module tracing — nothing is dropped and the garbage collector frees it as before.

import { poolEnabled } from "../core/buffer-pool.js";
import { dropStorage } from "../core/scratch-memory.js";
import type { Tensor } from "../core/tensor.js";
import type { AnyModule } from "./module.js";
import { modulePathsWanted } from "./trace.js";

/** Drops one intermediate (see scratchOf); the caller must not use it, or any view of it, afterwards. */
export type DropScratch = (t: Tensor) => void;

const keep: DropScratch = () => {};

/**
 * For one forward call of `owner`: a function that gives an intermediate of the call back to the
 * buffer pool when nothing needs it any more (now, or after the backward of the last autograd
 * node that saved it), or a no-op when a hook within `owner`, a kernel observer or module tracing
 * might be holding it (or the pool is off).
 */
export function scratchOf(owner: AnyModule): DropScratch {
  return poolEnabled() && !modulePathsWanted() && !owner._hooksWithin() ? dropStorage : keep;
}
