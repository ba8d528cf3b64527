// The storage side of the layers' scratch memory (nn/scratch.ts): how many autograd nodes hold a
// storage saved, and giving a scratch storage's memory to the buffer pool once none does.

import { recycleStorage } from "./buffer-pool.js";
import type { Tensor } from "./tensor.js";

/** @internal An autograd node saved `t` (ops/record.ts); released by releaseSaved. */
export function noteSaved(t: Tensor): void {
  t._s.saves++;
}

/**
 * @internal A layer is done with its intermediate `t` (nn/scratch.ts): its memory is reused now
 * when no autograd node saved it, else once the last node that saved it frees it (releaseSaved).
 */
export function dropStorage(t: Tensor): void {
  const s = t._s;
  if (s.saves === 0) recycleStorage(s);
  else s.scratch = true;
}

/**
 * @internal A node freed its saved tensors after its backward (autograd/engine.ts): a scratch
 * storage that no other node holds goes to the buffer pool — unless `reuse` is false (an observer
 * may be keeping what it was shown) or the rule returned a gradient over it (none does today),
 * which hands it on: then it is never given back.
 */
export function releaseSaved(saved: readonly Tensor[], outs: readonly (Tensor | null)[], reuse: boolean): void {
  for (let i = 0; i < saved.length; i++) {
    const s = saved[i]!._s;
    if (--s.saves > 0 || !s.scratch) continue;
    let handedOn = !reuse;
    for (const o of outs) if (o !== null && o._s === s) handedOn = true;
    if (handedOn) s.scratch = false;
    else recycleStorage(s);
  }
}
