// The fused LSTM cell kernels in TypeScript: the pointwise part of one LSTM step (four gate
// activations, the cell update and the output) in one pass, and its gradient in one pass, where
// the composite form runs ~14 kernels forward and as many backward per step.

import type { FloatArray } from "../backend.js";

const sig = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/**
 * Per row b and unit j of gates [B, 4H] (i, f, g, o blocks of H) and c [B, H]:
 *   i = σ(gᵢ), f = σ(g_f), g = tanh(g_g), o = σ(g_o),  c' = f·c + i·g,  h' = o·tanh(c')
 * hc [2, B, H] gets h' then c'; acts [B, 4H] gets i, f, g, o (saved for the backward).
 */
export function lstmCellForward(gates: FloatArray, c: FloatArray, hc: FloatArray, acts: FloatArray, B: number, H: number): void {
  const BH = B * H;
  for (let b = 0; b < B; b++) {
    const gRow = b * 4 * H, sRow = b * H;
    for (let j = 0; j < H; j++) {
      const i = sig(gates[gRow + j]!), f = sig(gates[gRow + H + j]!), g = Math.tanh(gates[gRow + 2 * H + j]!), o = sig(gates[gRow + 3 * H + j]!);
      acts[gRow + j] = i; acts[gRow + H + j] = f; acts[gRow + 2 * H + j] = g; acts[gRow + 3 * H + j] = o;
      const c2 = f * c[sRow + j]! + i * g;
      hc[BH + sRow + j] = c2;
      hc[sRow + j] = o * Math.tanh(c2);
    }
  }
}

/**
 * Gradient of lstmCellForward from its saved acts and outputs, dy [2, B, H] = [dh', dc']:
 *   t = tanh(c'),  dc = dc' + dh'·o·(1 − t²)
 *   dgᵢ = dc·g·i(1 − i),  dg_f = dc·c·f(1 − f),  dg_g = dc·i·(1 − g²),  dg_o = dh'·t·o(1 − o)
 *   dc_prev = dc·f
 * (t is read back as h'/o where o ≠ 0 would lose precision, so it is recomputed from c').
 */
export function lstmCellBackward(dy: FloatArray, c: FloatArray, acts: FloatArray, hc: FloatArray, dgates: FloatArray, dc: FloatArray, B: number, H: number): void {
  const BH = B * H;
  for (let b = 0; b < B; b++) {
    const gRow = b * 4 * H, sRow = b * H;
    for (let j = 0; j < H; j++) {
      const i = acts[gRow + j]!, f = acts[gRow + H + j]!, g = acts[gRow + 2 * H + j]!, o = acts[gRow + 3 * H + j]!;
      const t = Math.tanh(hc[BH + sRow + j]!);
      const dh = dy[sRow + j]!;
      const dcTot = dy[BH + sRow + j]! + dh * o * (1 - t * t);
      dgates[gRow + j] = dcTot * g * i * (1 - i);
      dgates[gRow + H + j] = dcTot * c[sRow + j]! * f * (1 - f);
      dgates[gRow + 2 * H + j] = dcTot * i * (1 - g * g);
      dgates[gRow + 3 * H + j] = dh * t * o * (1 - o);
      dc[sRow + j] = dcTot * f;
    }
  }
}

/**
 * Per row b and unit j of gi, gh [B, 3H] (blocks r, z, n: x·W_ihᵀ + b_ih and h·W_hhᵀ + b_hh) and h [B, H]:
 *   r = σ(giᵣ + ghᵣ), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n),  h' = n + z·(h − n)
 * out gets h'; acts [B, 3H] gets r, z, n (saved for the backward).
 */
export function gruCellForward(gi: FloatArray, gh: FloatArray, h: FloatArray, out: FloatArray, acts: FloatArray, B: number, H: number): void {
  for (let b = 0; b < B; b++) {
    const gRow = b * 3 * H, sRow = b * H;
    for (let j = 0; j < H; j++) {
      const r = sig(gi[gRow + j]! + gh[gRow + j]!);
      const z = sig(gi[gRow + H + j]! + gh[gRow + H + j]!);
      const n = Math.tanh(gi[gRow + 2 * H + j]! + r * gh[gRow + 2 * H + j]!);
      acts[gRow + j] = r; acts[gRow + H + j] = z; acts[gRow + 2 * H + j] = n;
      out[sRow + j] = n + z * (h[sRow + j]! - n);
    }
  }
}

/**
 * Gradient of gruCellForward from its saved acts, dy = dh' [B, H]:
 *   dz = dy·(h − n)·z(1 − z),  dn = dy·(1 − z)·(1 − n²),  dr = dn·gh_n·r(1 − r)
 *   dgi = [dr, dz, dn],  dgh = [dr, dz, dn·r],  dh = dy·z
 */
export function gruCellBackward(dy: FloatArray, gh: FloatArray, h: FloatArray, acts: FloatArray, dgi: FloatArray, dgh: FloatArray, dh: FloatArray, B: number, H: number): void {
  for (let b = 0; b < B; b++) {
    const gRow = b * 3 * H, sRow = b * H;
    for (let j = 0; j < H; j++) {
      const r = acts[gRow + j]!, z = acts[gRow + H + j]!, n = acts[gRow + 2 * H + j]!;
      const g = dy[sRow + j]!;
      const dz = g * (h[sRow + j]! - n) * z * (1 - z);
      const dn = g * (1 - z) * (1 - n * n);
      const dr = dn * gh[gRow + 2 * H + j]! * r * (1 - r);
      dgi[gRow + j] = dr; dgi[gRow + H + j] = dz; dgi[gRow + 2 * H + j] = dn;
      dgh[gRow + j] = dr; dgh[gRow + H + j] = dz; dgh[gRow + 2 * H + j] = dn * r;
      dh[sRow + j] = g * z;
    }
  }
}
