// js reference convolution kernels (the oracle the native im2col + GEMM kernels are tested
// against): direct loops over NCHW arrays, every sum accumulated in float64. Each output element
// is a gather (no scattered accumulation), so every kernel writes every element of its output.
//   conv2d:       y[n,o,i,j]  = Σ_{c,a,b} x[n, g·Cg+c, i·sh−ph+a·dh, j·sw−pw+b·dw] · w[o,c,a,b]
//   conv2dInput:  dx = the adjoint of conv2d in x (a transposed convolution of dy by w)
//   conv2dWeight: dw = the adjoint of conv2d in w (the correlation of x with dy)

import type { TypedArray } from "../../core/dtype.js";
import type { ConvParams } from "../conv-params.js";

export function conv2d(x: TypedArray, wt: TypedArray, y: TypedArray, p: ConvParams): void {
  const { n, c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups } = p;
  const cg = c / groups, og = o / groups;
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < o; oc++) {
      const g = Math.floor(oc / og);
      const yBase = (b * o + oc) * oh * ow;
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let s = 0;
          for (let ci = 0; ci < cg; ci++) {
            const xPlane = (b * c + g * cg + ci) * h * w;
            const wBase = (oc * cg + ci) * kh * kw;
            for (let a = 0; a < kh; a++) {
              const r = i * sh - ph + a * dh;
              if (r < 0 || r >= h) continue;
              const xRow = xPlane + r * w;
              for (let bb = 0; bb < kw; bb++) {
                const col = j * sw - pw + bb * dw;
                if (col < 0 || col >= w) continue;
                s += x[xRow + col]! * wt[wBase + a * kw + bb]!;
              }
            }
          }
          y[yBase + i * ow + j] = s;
        }
      }
    }
  }
}

/** dx[n, ch, r, col] = Σ over the (o, a, b) whose window reads (r, col): dy[n, o, i, j] · w[o, c, a, b]. */
export function conv2dInput(dy: TypedArray, wt: TypedArray, dx: TypedArray, p: ConvParams): void {
  const { n, c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups } = p;
  const cg = c / groups, og = o / groups;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const g = Math.floor(ch / cg), ci = ch - g * cg;
      for (let r = 0; r < h; r++) {
        for (let col = 0; col < w; col++) {
          let s = 0;
          for (let a = 0; a < kh; a++) {
            const ti = r + ph - a * dh;
            if (ti < 0 || ti % sh !== 0) continue;
            const i = ti / sh;
            if (i >= oh) continue;
            for (let bb = 0; bb < kw; bb++) {
              const tj = col + pw - bb * dw;
              if (tj < 0 || tj % sw !== 0) continue;
              const j = tj / sw;
              if (j >= ow) continue;
              for (let k = 0; k < og; k++) {
                const oc = g * og + k;
                s += dy[((b * o + oc) * oh + i) * ow + j]! * wt[((oc * cg + ci) * kh + a) * kw + bb]!;
              }
            }
          }
          dx[((b * c + ch) * h + r) * w + col] = s;
        }
      }
    }
  }
}

/** dw[o, c, a, b] = Σ_{n,i,j} dy[n, o, i, j] · x[n, g·Cg+c, i·sh−ph+a·dh, j·sw−pw+b·dw]. */
export function conv2dWeight(x: TypedArray, dy: TypedArray, dwOut: TypedArray, p: ConvParams): void {
  const { n, c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups } = p;
  const cg = c / groups, og = o / groups;
  for (let oc = 0; oc < o; oc++) {
    const g = Math.floor(oc / og);
    for (let ci = 0; ci < cg; ci++) {
      for (let a = 0; a < kh; a++) {
        for (let bb = 0; bb < kw; bb++) {
          let s = 0;
          for (let b = 0; b < n; b++) {
            const xPlane = (b * c + g * cg + ci) * h * w;
            const yPlane = (b * o + oc) * oh * ow;
            for (let i = 0; i < oh; i++) {
              const r = i * sh - ph + a * dh;
              if (r < 0 || r >= h) continue;
              for (let j = 0; j < ow; j++) {
                const col = j * sw - pw + bb * dw;
                if (col < 0 || col >= w) continue;
                s += dy[yPlane + i * ow + j]! * x[xPlane + r * w + col]!;
              }
            }
          }
          dwOut[((oc * cg + ci) * kh + a) * kw + bb] = s;
        }
      }
    }
  }
}
