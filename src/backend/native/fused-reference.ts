// Pure-TypeScript reference of the fused kernels (float64 arithmetic, rounded once on store):
// the oracle the native fused kernels are tested against, and a fallback where there is no addon.
// The formulas are documented on FusedKernels in fused.ts.

import { erf } from "../js/elementwise.js";
import type { FloatArray, FusedActivation, FusedKernels } from "./fused.js";

function act(v: number, a: FusedActivation): number {
  switch (a) {
    case "relu": return v > 0 ? v : v !== v ? v : 0;
    case "gelu": return 0.5 * v * (1 + erf(v / Math.SQRT2));
    case "tanh": return Math.tanh(v);
    case "sigmoid": return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    default: return v;
  }
}

export const referenceFused: Required<FusedKernels> = {
  biasAct(x, bias, a, out) {
    const n = bias.length;
    for (let i = 0; i < x.length; i++) out[i] = act(x[i]! + bias[i % n]!, a);
  },

  adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, decoupled = false) {
    const bc1 = 1 - beta1 ** step, bc2 = 1 - beta2 ** step;
    const stepSize = lr / bc1, sbc2 = Math.sqrt(bc2);
    for (let i = 0; i < param.length; i++) {
      let p = param[i]!;
      if (decoupled) p *= 1 - lr * weightDecay;
      const g = grad[i]! + (decoupled ? 0 : weightDecay * p);
      const mi = beta1 * m[i]! + (1 - beta1) * g;
      const vi = beta2 * v[i]! + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      param[i] = p - (stepSize * mi) / (Math.sqrt(vi) / sbc2 + eps);
    }
  },

  sgdStep(param, grad, buf, lr, momentum, dampening, nesterov, weightDecay, firstStep) {
    for (let i = 0; i < param.length; i++) {
      const p = param[i]!;
      let g = grad[i]! + weightDecay * p;
      if (momentum !== 0 && buf) {
        const b = firstStep ? g : momentum * buf[i]! + (1 - dampening) * g;
        buf[i] = b;
        g = nesterov ? g + momentum * b : b;
      }
      param[i] = p - lr * g;
    }
  },

  rmspropStep(param, grad, squareAvg, momentumBuf, gradAvg, lr, alpha, eps, weightDecay, momentum) {
    for (let i = 0; i < param.length; i++) {
      const p = param[i]!;
      const g = grad[i]! + weightDecay * p;
      const s = alpha * squareAvg[i]! + (1 - alpha) * g * g;
      squareAvg[i] = s;
      let avg: number;
      if (gradAvg) {
        const ga = alpha * gradAvg[i]! + (1 - alpha) * g;
        gradAvg[i] = ga;
        avg = Math.sqrt(s - ga * ga) + eps;
      } else {
        avg = Math.sqrt(s) + eps;
      }
      if (momentum > 0 && momentumBuf) {
        const b = momentum * momentumBuf[i]! + g / avg;
        momentumBuf[i] = b;
        param[i] = p - lr * b;
      } else {
        param[i] = p - (lr * g) / avg;
      }
    }
  },

  layerNormForward(x, gamma, beta, eps, out, mean, rstd) {
    const m = mean.length, n = x.length / m;
    for (let r = 0; r < m; r++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += x[r * n + j]!;
      const mu = s / n;
      let ss = 0;
      for (let j = 0; j < n; j++) ss += (x[r * n + j]! - mu) ** 2;
      const rs = 1 / Math.sqrt(ss / n + eps);
      mean[r] = mu;
      rstd[r] = rs;
      for (let j = 0; j < n; j++) {
        let v = (x[r * n + j]! - mu) * rs;
        if (gamma) v *= gamma[j]!;
        if (beta) v += beta[j]!;
        out[r * n + j] = v;
      }
    }
  },

  layerNormBackward(dy, x, mean, rstd, gamma, dx, dgamma, dbeta) {
    const m = mean.length, n = x.length / m;
    const dg = new Float64Array(n), db = new Float64Array(n);
    for (let r = 0; r < m; r++) {
      const mu = mean[r]!, rs = rstd[r]!;
      let sg = 0, sgx = 0;
      for (let j = 0; j < n; j++) {
        const g = gamma ? dy[r * n + j]! * gamma[j]! : dy[r * n + j]!;
        const xh = (x[r * n + j]! - mu) * rs;
        sg += g;
        sgx += g * xh;
        dg[j] += dy[r * n + j]! * xh;
        db[j] += dy[r * n + j]!;
      }
      const a = sg / n, b = sgx / n;
      for (let j = 0; j < n; j++) {
        const g = gamma ? dy[r * n + j]! * gamma[j]! : dy[r * n + j]!;
        dx[r * n + j] = rs * (g - a - (x[r * n + j]! - mu) * rs * b);
      }
    }
    if (dgamma) dgamma.set(dg);
    if (dbeta) dbeta.set(db);
  },
};

/** True when every array is a Float32Array, or every one a Float64Array. */
export function sameFloatType(...xs: (FloatArray | null)[]): boolean {
  let ctor: unknown = null;
  for (const x of xs) {
    if (x === null) continue;
    if (!(x instanceof Float32Array || x instanceof Float64Array)) return false;
    if (ctor === null) ctor = x.constructor;
    else if (x.constructor !== ctor) return false;
  }
  return true;
}
