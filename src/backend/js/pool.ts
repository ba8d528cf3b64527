// js reference pooling kernels over N·C independent H×W planes (PyTorch's semantics):
//   maxPool2d: y = the window's max (NaN wins, like PyTorch), idx = its flat position r·W + col in
//              the plane (the first one on ties); padding never wins (it counts as −∞)
//   avgPool2d: y = Σ window / divisor, divisor = divisorOverride, else the window clipped to the
//              padded input (countIncludePad) or to the input itself
//   avgPool2dBackward: its adjoint (each dy spread over its window with the same divisor)

import type { TypedArray } from "../../core/dtype.js";
import type { PoolParams } from "../conv-params.js";
import { IndexError } from "../../core/errors.js";

export function maxPool2d(x: TypedArray, y: TypedArray, idx: Int32Array, p: PoolParams): void {
  const { planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw } = p;
  for (let pl = 0; pl < planes; pl++) {
    const xb = pl * h * w, yb = pl * oh * ow;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let best = -Infinity, at = -1;
        for (let a = 0; a < kh; a++) {
          const r = i * sh - ph + a * dh;
          if (r < 0 || r >= h) continue;
          for (let b = 0; b < kw; b++) {
            const col = j * sw - pw + b * dw;
            if (col < 0 || col >= w) continue;
            const v = x[xb + r * w + col]!;
            if (at < 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) { best = v; at = r * w + col; }
          }
        }
        y[yb + i * ow + j] = best;
        idx[yb + i * ow + j] = at;
      }
    }
  }
}

/** dx = 0, then each dy added at its plane's argmax index (the indices come from maxPool2d). */
export function maxPool2dBackward(dy: TypedArray, idx: Int32Array, dx: TypedArray, planes: number, inPlane: number, outPlane: number): void {
  dx.fill(0);
  for (let pl = 0; pl < planes; pl++) {
    const xb = pl * inPlane, yb = pl * outPlane;
    for (let k = 0; k < outPlane; k++) {
      const at = idx[yb + k]!;
      if (!(at >= 0 && at < inPlane)) throw new IndexError(`maxPool2dBackward: index ${at} is out of range for a plane of ${inPlane} elements`);
      dx[xb + at]! += dy[yb + k]!;
    }
  }
}

/** The window [r0, r1) × [c0, c1) clipped to the input, and its divisor. */
function window(p: PoolParams, i: number, j: number): [number, number, number, number, number] {
  let r0 = i * p.sh - p.ph, c0 = j * p.sw - p.pw;
  let r1 = Math.min(r0 + p.kh, p.h + p.ph), c1 = Math.min(c0 + p.kw, p.w + p.pw);
  const padded = (r1 - r0) * (c1 - c0);
  r0 = Math.max(r0, 0); c0 = Math.max(c0, 0);
  r1 = Math.min(r1, p.h); c1 = Math.min(c1, p.w);
  const div = p.divisorOverride > 0 ? p.divisorOverride : p.countIncludePad ? padded : (r1 - r0) * (c1 - c0);
  return [r0, r1, c0, c1, div];
}

export function avgPool2d(x: TypedArray, y: TypedArray, p: PoolParams): void {
  const { planes, h, w, oh, ow } = p;
  for (let pl = 0; pl < planes; pl++) {
    const xb = pl * h * w, yb = pl * oh * ow;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const [r0, r1, c0, c1, div] = window(p, i, j);
        let s = 0;
        for (let r = r0; r < r1; r++) for (let col = c0; col < c1; col++) s += x[xb + r * w + col]!;
        y[yb + i * ow + j] = s / div;
      }
    }
  }
}

export function avgPool2dBackward(dy: TypedArray, dx: TypedArray, p: PoolParams): void {
  const { planes, h, w, oh, ow } = p;
  // accumulate in float64 then round once, so float32 matches float64 like the forward
  const acc = new Float64Array(h * w);
  for (let pl = 0; pl < planes; pl++) {
    const xb = pl * h * w, yb = pl * oh * ow;
    acc.fill(0);
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const [r0, r1, c0, c1, div] = window(p, i, j);
        const g = dy[yb + i * ow + j]! / div;
        for (let r = r0; r < r1; r++) for (let col = c0; col < c1; col++) acc[r * w + col]! += g;
      }
    }
    for (let k = 0; k < h * w; k++) dx[xb + k] = acc[k]!;
  }
}
