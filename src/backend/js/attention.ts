// js reference kernels of the attention primitive (backend.ts documents the formulas): the
// forward takes keys in blocks with an online softmax — a running max m and normalizer l per
// query row, rescaled when a block raises the max — so only one block of scores exists at a time
// and the [L, S] matrix is never stored; it saves lse = m + log l per row. The backward
// (FlashAttention-2) recomputes the probabilities block by block from lse. Accumulation is in
// float64. Operands are read through their strides, so heads of [B, L, H·D] need no copies.

import type { AttentionParams, FloatArray } from "../backend.js";

/** Keys per block: small enough for the scores to stay in L1, large enough to amortize the rescale. */
export const ATTENTION_BLOCK = 64;

type MaskArray = Uint8Array | FloatArray | null;

/**
 * Writes the scaled, masked scores of query row i (its features copied into qi) against keys
 * [j0, j1) into s[0 .. j1 − j0). Masked entries get −∞ (bool mask 0, causal j > i); additive
 * masks are added.
 */
function scoreBlock(
  qi: Float64Array, k: FloatArray, mask: MaskArray, p: AttentionParams,
  kBase: number, mBase: number, i: number, j0: number, j1: number, s: Float64Array,
): void {
  const E = p.dk, kr = p.k.row, scale = p.scale, causal = p.causal;
  const mk = p.mask;
  const bool = mk !== null && mk.kind === "bool", mj = mk !== null ? mk.strides[3] : 0;
  for (let j = j0; j < j1; j++) {
    let v: number;
    if (causal && j > i) v = -Infinity;
    else {
      const ko = kBase + j * kr;
      let d = 0;
      for (let c = 0; c < E; c++) d += qi[c]! * k[ko + c]!;
      v = d * scale;
      if (mk !== null) {
        const m = mask![mBase + j * mj]!;
        if (bool) { if (m === 0) v = -Infinity; } else v += m;
      }
    }
    s[j - j0] = v;
  }
}

/** Copies row `o` of `x` (n features) into the float64 scratch `row`. */
function loadRow(x: FloatArray, o: number, n: number, row: Float64Array): void {
  for (let c = 0; c < n; c++) row[c] = x[o + c]!;
}

/** Last key (exclusive) row i can see: causal rows stop at i + 1. */
const keyEnd = (p: AttentionParams, i: number) => (p.causal ? Math.min(p.lk, i + 1) : p.lk);

export function attentionForward(
  q: FloatArray, k: FloatArray, v: FloatArray, mask: MaskArray, out: FloatArray, lse: FloatArray, p: AttentionParams,
): void {
  const { batch, heads, lq, dv: Ev } = p;
  const s = new Float64Array(ATTENTION_BLOCK);
  const acc = new Float64Array(Ev);
  const qi = new Float64Array(p.dk);
  const ms = p.mask?.strides;
  const vr = p.v.row;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const kBase = p.k.offset + b * p.k.batch + h * p.k.head;
      const vBase = p.v.offset + b * p.v.batch + h * p.v.head;
      for (let i = 0; i < lq; i++) {
        const qo = p.q.offset + b * p.q.batch + h * p.q.head + i * p.q.row;
        const oo = p.out.offset + b * p.out.batch + h * p.out.head + i * p.out.row;
        const mBase = ms ? b * ms[0] + h * ms[1] + i * ms[2] : 0;
        let m = -Infinity, l = 0;
        acc.fill(0);
        loadRow(q, qo, p.dk, qi);
        const end = keyEnd(p, i);
        for (let j0 = 0; j0 < end; j0 += ATTENTION_BLOCK) {
          const j1 = Math.min(end, j0 + ATTENTION_BLOCK);
          scoreBlock(qi, k, mask, p, kBase, mBase, i, j0, j1, s);
          let bm = -Infinity;
          for (let t = 0; t < j1 - j0; t++) bm = Math.max(bm, s[t]!); // Math.max keeps NaN
          if (bm === -Infinity) continue; // the whole block is masked
          const nm = Math.max(m, bm);
          if (nm !== m) {
            // rescale what was accumulated under the old max (exp(−∞) = 0 on the first block)
            const corr = Math.exp(m - nm);
            l *= corr;
            for (let c = 0; c < Ev; c++) acc[c]! *= corr;
            m = nm;
          }
          for (let t = 0; t < j1 - j0; t++) {
            const e = Math.exp(s[t]! - m);
            if (e === 0) continue;
            l += e;
            const vo = vBase + (j0 + t) * vr;
            for (let c = 0; c < Ev; c++) acc[c]! += e * v[vo + c]!;
          }
        }
        const r = (b * heads + h) * lq + i;
        if (m === -Infinity) {
          // every key masked: zeros, and lse −∞ tells the backward to skip the row
          for (let c = 0; c < Ev; c++) out[oo + c] = 0;
          lse[r] = -Infinity;
        } else {
          for (let c = 0; c < Ev; c++) out[oo + c] = acc[c]! / l;
          lse[r] = m + Math.log(l);
        }
      }
    }
  }
}

export function attentionBackward(
  q: FloatArray, k: FloatArray, v: FloatArray, out: FloatArray, dOut: FloatArray, lse: FloatArray,
  mask: MaskArray, dq: FloatArray, dk: FloatArray, dv: FloatArray, p: AttentionParams,
): void {
  const { batch, heads, lq, lk, dk: E, dv: Ev, scale } = p;
  const s = new Float64Array(ATTENTION_BLOCK);
  const dqRow = new Float64Array(E);
  const dkAcc = new Float64Array(lk * E);
  const dvAcc = new Float64Array(lk * Ev);
  const qi = new Float64Array(E), gi = new Float64Array(Ev);
  const ms = p.mask?.strides;
  const vr = p.v.row, kr = p.k.row;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const kBase = p.k.offset + b * p.k.batch + h * p.k.head;
      const vBase = p.v.offset + b * p.v.batch + h * p.v.head;
      dkAcc.fill(0);
      dvAcc.fill(0);
      for (let i = 0; i < lq; i++) {
        const qo = p.q.offset + b * p.q.batch + h * p.q.head + i * p.q.row;
        const oo = p.out.offset + b * p.out.batch + h * p.out.head + i * p.out.row;
        const li = lse[(b * heads + h) * lq + i]!;
        dqRow.fill(0);
        if (li !== -Infinity) {
          const mBase = ms ? b * ms[0] + h * ms[1] + i * ms[2] : 0;
          loadRow(q, qo, E, qi);
          loadRow(dOut, oo, Ev, gi);
          let D = 0;
          for (let c = 0; c < Ev; c++) D += gi[c]! * out[oo + c]!;
          const end = keyEnd(p, i);
          for (let j0 = 0; j0 < end; j0 += ATTENTION_BLOCK) {
            const j1 = Math.min(end, j0 + ATTENTION_BLOCK);
            scoreBlock(qi, k, mask, p, kBase, mBase, i, j0, j1, s);
            for (let t = 0; t < j1 - j0; t++) {
              const P = Math.exp(s[t]! - li);
              if (P === 0) continue; // masked (or underflowed): no contribution to any gradient
              const j = j0 + t;
              const vo = vBase + j * vr, ko = kBase + j * kr, dvo = j * Ev, dko = j * E;
              let dP = 0;
              for (let c = 0; c < Ev; c++) {
                const g = gi[c]!;
                dP += g * v[vo + c]!;
                dvAcc[dvo + c]! += P * g;
              }
              const dS = P * (dP - D) * scale;
              for (let c = 0; c < E; c++) {
                dqRow[c]! += dS * k[ko + c]!;
                dkAcc[dko + c]! += dS * qi[c]!;
              }
            }
          }
        }
        for (let c = 0; c < E; c++) dq[qo + c] = dqRow[c]!;
      }
      for (let j = 0; j < lk; j++) {
        const ko = kBase + j * p.k.row, vo = vBase + j * p.v.row;
        for (let c = 0; c < E; c++) dk[ko + c] = dkAcc[j * E + c]!;
        for (let c = 0; c < Ev; c++) dv[vo + c] = dvAcc[j * Ev + c]!;
      }
    }
  }
}
