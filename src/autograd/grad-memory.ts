// The engine's bookkeeping of which gradient buffers are dead during one backward pass, so that
// their memory is reused at once (core/buffer-pool.ts) instead of waiting for the garbage collector.
//
// Owned: buffers allocated while the engine itself ran (backward rules, broadcast reductions,
// gradient sums) — never user code (hooks run with tracking paused) and never a buffer that
// existed before the pass (saved activations, the seed gradient, `.grad`s). An owned buffer is
// dead when no pending gradient refers to it (counted per ArrayBuffer, so reshape views count)
// and it has not escaped: become a `.grad`, a retained or captured gradient, or been shown to a
// hook. Only gradients of `backward`/`grad` without createGraph are handled; with createGraph the
// gradients are graph nodes that a later backward may still need.

import { giveBuffer, poolableBuffer, trackAllocations } from "../core/buffer-pool.js";
import type { Tensor } from "../core/tensor.js";

const bufferOf = (t: Tensor): ArrayBuffer | null => poolableBuffer(t);

export class GradMemory {
  private readonly owned = new Set<ArrayBuffer>();
  private readonly refs = new Map<ArrayBuffer, number>();
  /** Buffers to look at on the next settle: fresh allocations and dropped references. */
  private candidates: ArrayBuffer[] = [];
  private readonly sink = (b: ArrayBuffer) => {
    this.owned.add(b);
    this.candidates.push(b);
  };
  private readonly prev: ((b: ArrayBuffer) => void) | null;

  constructor() {
    this.prev = trackAllocations(this.sink);
  }

  /** A pending gradient now refers to t's buffer. */
  hold(t: Tensor): void {
    const b = bufferOf(t);
    if (b !== null && this.owned.has(b)) this.refs.set(b, (this.refs.get(b) ?? 0) + 1);
  }

  /** A pending gradient no longer refers to t's buffer (it may be dead at the next settle). */
  drop(t: Tensor): void {
    const b = bufferOf(t);
    if (b === null || !this.owned.has(b)) return;
    this.refs.set(b, (this.refs.get(b) ?? 1) - 1);
    this.candidates.push(b);
  }

  /** t's buffer is reachable from outside the engine from now on: never give it back. */
  escape(t: Tensor): void {
    const b = bufferOf(t);
    if (b !== null) this.owned.delete(b);
  }

  /** Runs user code (a hook) without recording its allocations as the engine's. */
  user<T>(f: () => T): T {
    trackAllocations(this.prev);
    try {
      return f();
    } finally {
      trackAllocations(this.sink);
    }
  }

  /** Gives back every candidate buffer that is owned and referenced by no pending gradient. */
  settle(): void {
    const c = this.candidates;
    this.candidates = [];
    for (const b of c) {
      if (!this.owned.has(b) || (this.refs.get(b) ?? 0) > 0) continue;
      this.owned.delete(b);
      this.refs.delete(b);
      giveBuffer(b);
    }
  }

  /** Ends the pass: restores the previous allocation tracking, and settles when `release`. */
  close(release: boolean): void {
    trackAllocations(this.prev);
    if (release) this.settle();
  }
}
