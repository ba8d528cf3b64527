// js reference kernels of the attention primitive (backend.ts documents the formulas): the
// forward takes keys in blocks with an online softmax — a running max m and normalizer l per
// query row, rescaled when a block raises the max — so only one block of scores exists at a time
// and the [L, S] matrix is never stored; it saves lse = m + log l per row. The backward
// (FlashAttention-2) recomputes the probabilities block by block from lse. Query rows go in
// tiles of four, so each key and value row loaded serves four queries. Accumulation is in
// float64. Operands are read through their strides, so heads of [B, L, H·D] need no copies.

import type { AttentionParams, FloatArray } from "../backend.js";

/** Keys per block: small enough for the scores to stay in L1, large enough to amortize the rescale. */
export const ATTENTION_BLOCK = 64;

type MaskArray = Uint8Array | FloatArray | null;

/** Query rows per tile: each key (and value) row read once serves four queries. */
const TQ = 4;

/**
 * Scores of the tile's query rows i0 .. i0 + nq − 1 (features in qt, rows beyond nq zero) against
 * keys [j0, j1), row r at s[r·BLOCK + t]: scale·q·k, then the mask (bool 0 → −∞, additive added),
 * then −∞ for causal j > i (which wins over any mask value, NaN included).
 */
function scoreTile(
  qt: Float64Array, k: FloatArray, mask: MaskArray, p: AttentionParams,
  b: number, h: number, kBase: number, i0: number, nq: number, j0: number, j1: number, s: Float64Array,
): void {
  const E = p.dk, kr = p.k.row, scale = p.scale, BL = ATTENTION_BLOCK;
  const E2 = 2 * E, E3 = 3 * E, B2 = 2 * BL, B3 = 3 * BL;
  for (let j = j0; j < j1; j++) {
    const ko = kBase + j * kr;
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let c = 0; c < E; c++) {
      const kc = k[ko + c]!;
      d0 += qt[c]! * kc;
      d1 += qt[E + c]! * kc;
      d2 += qt[E2 + c]! * kc;
      d3 += qt[E3 + c]! * kc;
    }
    const t = j - j0;
    s[t] = d0 * scale;
    s[BL + t] = d1 * scale;
    s[B2 + t] = d2 * scale;
    s[B3 + t] = d3 * scale;
  }
  const mk = p.mask;
  for (let r = 0; r < nq; r++) {
    const i = i0 + r, so = r * BL;
    if (mk !== null) {
      const [sb, sh, si, sj] = mk.strides;
      const mBase = b * sb + h * sh + i * si;
      if (mk.kind === "bool") {
        for (let j = j0; j < j1; j++) if (mask![mBase + j * sj] === 0) s[so + j - j0] = -Infinity;
      } else {
        for (let j = j0; j < j1; j++) s[so + j - j0]! += mask![mBase + j * sj]!;
      }
    }
    if (p.causal) for (let j = Math.max(j0, i + 1); j < j1; j++) s[so + j - j0] = -Infinity;
  }
}

/** Copies nq rows of n features from x (row stride `stride`) into the zero-padded tile `t`. */
function loadTile(x: FloatArray, o: number, stride: number, nq: number, n: number, t: Float64Array): void {
  t.fill(0);
  for (let r = 0; r < nq; r++) for (let c = 0; c < n; c++) t[r * n + c] = x[o + r * stride + c]!;
}

/** Last key (exclusive) any row of the tile sees: causal rows stop at i + 1. */
const tileKeyEnd = (p: AttentionParams, lastRow: number) => (p.causal ? Math.min(p.lk, lastRow + 1) : p.lk);

export function attentionForward(
  q: FloatArray, k: FloatArray, v: FloatArray, mask: MaskArray, out: FloatArray, lse: FloatArray, p: AttentionParams,
): void {
  const { batch, heads, lq, dk: E, dv: Ev } = p;
  const BL = ATTENTION_BLOCK, vr = p.v.row;
  const s = new Float64Array(TQ * BL), qt = new Float64Array(TQ * E), acc = new Float64Array(TQ * Ev);
  const m = new Float64Array(TQ), l = new Float64Array(TQ);
  const Ev2 = 2 * Ev, Ev3 = 3 * Ev;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const kBase = p.k.offset + b * p.k.batch + h * p.k.head;
      const vBase = p.v.offset + b * p.v.batch + h * p.v.head;
      for (let i0 = 0; i0 < lq; i0 += TQ) {
        const nq = Math.min(TQ, lq - i0);
        loadTile(q, p.q.offset + b * p.q.batch + h * p.q.head + i0 * p.q.row, p.q.row, nq, E, qt);
        m.fill(-Infinity);
        l.fill(0);
        acc.fill(0);
        const end = tileKeyEnd(p, i0 + nq - 1);
        for (let j0 = 0; j0 < end; j0 += BL) {
          const j1 = Math.min(end, j0 + BL), nb = j1 - j0;
          scoreTile(qt, k, mask, p, b, h, kBase, i0, nq, j0, j1, s);
          // online softmax per row: s becomes the weights exp(s − m) under the row's running max
          for (let r = 0; r < TQ; r++) {
            const so = r * BL;
            let bm = -Infinity;
            if (r < nq) for (let t = 0; t < nb; t++) bm = Math.max(bm, s[so + t]!); // Math.max keeps NaN
            if (bm === -Infinity) {
              // a masked block (or a padding row of the tile): weight 0, even under m = −∞
              s.fill(0, so, so + nb);
              continue;
            }
            const nm = Math.max(m[r]!, bm);
            if (nm !== m[r]) {
              const corr = Math.exp(m[r]! - nm); // 0 on the row's first block (m = −∞)
              l[r]! *= corr;
              for (let c = 0; c < Ev; c++) acc[r * Ev + c]! *= corr;
              m[r] = nm;
            }
            let sum = 0;
            for (let t = 0; t < nb; t++) {
              const e = Math.exp(s[so + t]! - nm);
              s[so + t] = e;
              sum += e;
            }
            l[r]! += sum;
          }
          for (let t = 0; t < nb; t++) {
            const e0 = s[t]!, e1 = s[BL + t]!, e2 = s[2 * BL + t]!, e3 = s[3 * BL + t]!;
            const vo = vBase + (j0 + t) * vr;
            if (e0 !== 0 && e1 !== 0 && e2 !== 0 && e3 !== 0) {
              for (let c = 0; c < Ev; c++) {
                const vc = v[vo + c]!;
                acc[c]! += e0 * vc;
                acc[Ev + c]! += e1 * vc;
                acc[Ev2 + c]! += e2 * vc;
                acc[Ev3 + c]! += e3 * vc;
              }
            } else {
              // some weight is 0 (masked, causal, underflow): those rows take nothing from this
              // key, not even a NaN of its value
              for (let r = 0; r < nq; r++) {
                const e = s[r * BL + t]!;
                if (e === 0) continue;
                for (let c = 0; c < Ev; c++) acc[r * Ev + c]! += e * v[vo + c]!;
              }
            }
          }
        }
        for (let r = 0; r < nq; r++) {
          const i = i0 + r;
          const oo = p.out.offset + b * p.out.batch + h * p.out.head + i * p.out.row;
          const row = (b * heads + h) * lq + i;
          if (m[r] === -Infinity) {
            // every key masked: zeros, and lse −∞ tells the backward to skip the row
            for (let c = 0; c < Ev; c++) out[oo + c] = 0;
            lse[row] = -Infinity;
          } else {
            const li = l[r]!;
            for (let c = 0; c < Ev; c++) out[oo + c] = acc[r * Ev + c]! / li;
            lse[row] = m[r]! + Math.log(li);
          }
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
  const BL = ATTENTION_BLOCK, vr = p.v.row, kr = p.k.row;
  const s = new Float64Array(TQ * BL), qt = new Float64Array(TQ * E), gt = new Float64Array(TQ * Ev);
  const dqt = new Float64Array(TQ * E);
  const dkAcc = new Float64Array(lk * E), dvAcc = new Float64Array(lk * Ev);
  const li = new Float64Array(TQ), D = new Float64Array(TQ), dS = new Float64Array(TQ);
  const E2 = 2 * E, E3 = 3 * E, Ev2 = 2 * Ev, Ev3 = 3 * Ev;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const kBase = p.k.offset + b * p.k.batch + h * p.k.head;
      const vBase = p.v.offset + b * p.v.batch + h * p.v.head;
      dkAcc.fill(0);
      dvAcc.fill(0);
      for (let i0 = 0; i0 < lq; i0 += TQ) {
        const nq = Math.min(TQ, lq - i0);
        const qo = p.q.offset + b * p.q.batch + h * p.q.head + i0 * p.q.row;
        const oo = p.out.offset + b * p.out.batch + h * p.out.head + i0 * p.out.row;
        loadTile(q, qo, p.q.row, nq, E, qt);
        loadTile(dOut, oo, p.out.row, nq, Ev, gt);
        dqt.fill(0);
        let live = false;
        for (let r = 0; r < TQ; r++) {
          li[r] = r < nq ? lse[(b * heads + h) * lq + i0 + r]! : -Infinity; // padding rows: as fully masked
          let d = 0;
          if (li[r] !== -Infinity) {
            live = true;
            for (let c = 0; c < Ev; c++) d += gt[r * Ev + c]! * out[oo + r * p.out.row + c]!;
          }
          D[r] = d;
        }
        const end = live ? tileKeyEnd(p, i0 + nq - 1) : 0;
        for (let j0 = 0; j0 < end; j0 += BL) {
          const j1 = Math.min(end, j0 + BL), nb = j1 - j0;
          scoreTile(qt, k, mask, p, b, h, kBase, i0, nq, j0, j1, s);
          for (let r = 0; r < TQ; r++) {
            const so = r * BL, lr = li[r]!;
            // P recomputed from the saved lse; fully masked (and padding) rows contribute nothing
            if (lr === -Infinity) s.fill(0, so, so + nb);
            else for (let t = 0; t < nb; t++) s[so + t] = Math.exp(s[so + t]! - lr);
          }
          for (let t = 0; t < nb; t++) {
            const j = j0 + t;
            const P0 = s[t]!, P1 = s[BL + t]!, P2 = s[2 * BL + t]!, P3 = s[3 * BL + t]!;
            const vo = vBase + j * vr, ko = kBase + j * kr, dvo = j * Ev, dko = j * E;
            if (P0 !== 0 && P1 !== 0 && P2 !== 0 && P3 !== 0) {
              let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
              for (let c = 0; c < Ev; c++) {
                const vc = v[vo + c]!, g0 = gt[c]!, g1 = gt[Ev + c]!, g2 = gt[Ev2 + c]!, g3 = gt[Ev3 + c]!;
                a0 += g0 * vc;
                a1 += g1 * vc;
                a2 += g2 * vc;
                a3 += g3 * vc;
                dvAcc[dvo + c]! += P0 * g0 + P1 * g1 + P2 * g2 + P3 * g3;
              }
              const s0 = P0 * (a0 - D[0]!) * scale, s1 = P1 * (a1 - D[1]!) * scale;
              const s2 = P2 * (a2 - D[2]!) * scale, s3 = P3 * (a3 - D[3]!) * scale;
              for (let c = 0; c < E; c++) {
                const kc = k[ko + c]!;
                dqt[c]! += s0 * kc;
                dqt[E + c]! += s1 * kc;
                dqt[E2 + c]! += s2 * kc;
                dqt[E3 + c]! += s3 * kc;
                dkAcc[dko + c]! += s0 * qt[c]! + s1 * qt[E + c]! + s2 * qt[E2 + c]! + s3 * qt[E3 + c]!;
              }
            } else {
              // rows with P = 0 (masked, causal, underflow) contribute nothing to any gradient
              for (let r = 0; r < nq; r++) {
                const P = s[r * BL + t]!;
                dS[r] = 0;
                if (P === 0) continue;
                let a = 0;
                for (let c = 0; c < Ev; c++) {
                  const g = gt[r * Ev + c]!;
                  a += g * v[vo + c]!;
                  dvAcc[dvo + c]! += P * g;
                }
                const ds = P * (a - D[r]!) * scale;
                for (let c = 0; c < E; c++) {
                  dqt[r * E + c]! += ds * k[ko + c]!;
                  dkAcc[dko + c]! += ds * qt[r * E + c]!;
                }
              }
            }
          }
        }
        for (let r = 0; r < nq; r++) {
          const o = qo + r * p.q.row;
          for (let c = 0; c < E; c++) dq[o + c] = dqt[r * E + c]!;
        }
      }
      for (let j = 0; j < lk; j++) {
        const ko = kBase + j * kr, vo = vBase + j * vr;
        for (let c = 0; c < E; c++) dk[ko + c] = dkAcc[j * E + c]!;
        for (let c = 0; c < Ev; c++) dv[vo + c] = dvAcc[j * Ev + c]!;
      }
    }
  }
}
