// Finds and loads the compiled steady_native addon; never throws. When it is missing, says why
// (from build/native-status.json, written by scripts/build-native.mjs at install time).

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The raw exports of steady_native.node. Sizes are positional numbers; kernels return false
 * when they do not handle the dtype/layout (the caller then falls back to js). */
export interface NativeAddon {
  matmul(
    a: ArrayBufferView, b: ArrayBufferView, out: ArrayBufferView, batch: number, m: number, n: number, k: number,
    strideA: number, strideB: number, transA: boolean, transB: boolean,
  ): boolean;
  unary(op: number, x: ArrayBufferView, out: ArrayBufferView): boolean;
  /** desc = [rank, ...outShape, ...aStrides, ...bStrides] with broadcast strides (0 on broadcast dims). */
  binary(op: number, a: ArrayBufferView, b: ArrayBufferView, out: ArrayBufferView, desc: Int32Array): boolean;
  /** x viewed as [outer, red, inner] (reduced over the middle). */
  reduce(op: number, x: ArrayBufferView, out: ArrayBufferView, outer: number, red: number, inner: number): boolean;
  softmax(x: ArrayBufferView, out: ArrayBufferView, rows: number, cols: number, log: boolean): boolean;
  clamp(x: ArrayBufferView, lo: number, hi: number, out: ArrayBufferView): boolean;
  /** desc = [rank, ...shape, ...srcStrides, ...dstStrides, srcOffset, dstOffset]: out[dst walk] = x[src walk]. */
  stridedCopy(x: ArrayBufferView, out: ArrayBufferView, desc: Int32Array): boolean;
  /** out (Uint8Array) = a op b; op 0..5 = eq ne lt le gt ge; mode 0 both full, 1 b scalar, 2 a scalar. */
  compare(op: number, a: ArrayBufferView, b: ArrayBufferView, out: ArrayBufferView, mode: number): boolean;
  /** out = cond ? a : b (cond Uint8Array of out's length); mode 0 both full, 1 b scalar, 2 a scalar, 3 both. */
  where(cond: ArrayBufferView, a: ArrayBufferView, b: ArrayBufferView, out: ArrayBufferView, mode: number): boolean;
  /** out (Uint8Array, contiguous) = a op b under any broadcast; op 0..7 = eq ne lt le gt ge logicalAnd logicalOr;
   * desc = [rank, ...outShape, ...aStrides, ...bStrides] (0 on broadcast dims); float32/float64/int32/uint8. */
  compareStrided(op: number, a: ArrayBufferView, b: ArrayBufferView, out: ArrayBufferView, desc: Int32Array): boolean;
  /** out = cond ? a : b under any broadcast; desc = [rank, ...outShape, ...condStrides, ...aStrides, ...bStrides]. */
  whereStrided(cond: ArrayBufferView, a: ArrayBufferView, b: ArrayBufferView, out: ArrayBufferView, desc: Int32Array): boolean;
  /** Attention forward (native/attention.cpp); desc = [B, H, L, S, E, Ev, q/k/v/out (offset, batch, head, row),
   * scale, causal, maskKind 0 none | 1 bool | 2 additive, mask strides (batch, head, query, key)]. */
  attentionForward(
    q: ArrayBufferView, k: ArrayBufferView, v: ArrayBufferView, mask: ArrayBufferView | null, out: ArrayBufferView,
    lse: ArrayBufferView, desc: Float64Array,
  ): boolean;
  /** Attention backward from the saved lse (FlashAttention-2); desc as attentionForward's. */
  attentionBackward(
    q: ArrayBufferView, k: ArrayBufferView, v: ArrayBufferView, out: ArrayBufferView, dOut: ArrayBufferView,
    lse: ArrayBufferView, mask: ArrayBufferView | null, dq: ArrayBufferView, dk: ArrayBufferView, dv: ArrayBufferView,
    desc: Float64Array,
  ): boolean;
  /** Convolution through im2col + GEMM (native/conv.cpp); desc = [n, c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups]. */
  conv2dForward(x: ArrayBufferView, w: ArrayBufferView, y: ArrayBufferView, desc: Int32Array): boolean;
  conv2dInput(dy: ArrayBufferView, w: ArrayBufferView, dx: ArrayBufferView, desc: Int32Array): boolean;
  conv2dWeight(x: ArrayBufferView, dy: ArrayBufferView, dw: ArrayBufferView, desc: Int32Array): boolean;
  /** Pooling (native/pool.cpp); desc = [planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, countIncludePad, divisorOverride]. */
  maxPool2d(x: ArrayBufferView, y: ArrayBufferView, indices: Int32Array, desc: Int32Array): boolean;
  maxPool2dBackward(dy: ArrayBufferView, indices: Int32Array, dx: ArrayBufferView, planes: number, inPlane: number, outPlane: number): boolean;
  avgPool2d(x: ArrayBufferView, y: ArrayBufferView, desc: Int32Array): boolean;
  avgPool2dBackward(dy: ArrayBufferView, dx: ArrayBufferView, desc: Int32Array): boolean;
  biasAct(x: ArrayBufferView, bias: ArrayBufferView, out: ArrayBufferView, m: number, n: number, act: number): boolean;
  adamStep(
    param: ArrayBufferView, grad: ArrayBufferView, m: ArrayBufferView, v: ArrayBufferView, lr: number, beta1: number,
    beta2: number, eps: number, weightDecay: number, step: number, decoupled: boolean,
  ): boolean;
  sgdStep(
    param: ArrayBufferView, grad: ArrayBufferView, buf: ArrayBufferView | null, lr: number, momentum: number,
    dampening: number, nesterov: boolean, weightDecay: number, firstStep: boolean,
  ): boolean;
  rmspropStep(
    param: ArrayBufferView, grad: ArrayBufferView, squareAvg: ArrayBufferView, momentumBuf: ArrayBufferView | null,
    gradAvg: ArrayBufferView | null, lr: number, alpha: number, eps: number, weightDecay: number, momentum: number,
  ): boolean;
  layerNormForward(
    x: ArrayBufferView, gamma: ArrayBufferView | null, beta: ArrayBufferView | null, out: ArrayBufferView,
    mean: ArrayBufferView, rstd: ArrayBufferView, m: number, n: number, eps: number,
  ): boolean;
  layerNormBackward(
    dy: ArrayBufferView, x: ArrayBufferView, mean: ArrayBufferView, rstd: ArrayBufferView, gamma: ArrayBufferView | null,
    dx: ArrayBufferView, dgamma: ArrayBufferView | null, dbeta: ArrayBufferView | null, m: number, n: number,
  ): boolean;
  /** out (Float64Array[7]) = [Σx, Σx², #zeros, min, max, #(|x − center| > threshold), Σ(x − ref)²]; x and ref float32 or float64 alike. */
  tensorStats(x: ArrayBufferView, ref: ArrayBufferView | null, center: number, threshold: number, out: ArrayBufferView): boolean;
  /** The LSTM cell's pointwise part (src/backend/js/rnn-cell.ts); absent from addons built before it. */
  lstmCellForward?(gates: ArrayBufferView, c: ArrayBufferView, hc: ArrayBufferView, acts: ArrayBufferView, B: number, H: number): boolean;
  lstmCellBackward?(
    dy: ArrayBufferView, c: ArrayBufferView, acts: ArrayBufferView, hc: ArrayBufferView, dgates: ArrayBufferView, dc: ArrayBufferView, B: number, H: number,
  ): boolean;
  /** The GRU cell's pointwise part (src/backend/js/rnn-cell.ts); absent from addons built before it. */
  gruCellForward?(gi: ArrayBufferView, gh: ArrayBufferView, h: ArrayBufferView, out: ArrayBufferView, acts: ArrayBufferView, B: number, H: number): boolean;
  gruCellBackward?(
    dy: ArrayBufferView, gh: ArrayBufferView, h: ArrayBufferView, acts: ArrayBufferView, dgi: ArrayBufferView, dgh: ArrayBufferView, dh: ArrayBufferView, B: number, H: number,
  ): boolean;
  info(): { isa: string; detectedIsa: string; threads: number; gemmF32: string; gemmF64: string };
  setNumThreads(n: number): number;
  setIsa(isa: string): string;
  /** glibc mallopt(M_MMAP_THRESHOLD / M_TRIM_THRESHOLD); false when not glibc (see malloc.ts). */
  tuneMalloc(mmapThreshold: number, trimThreshold: number): boolean;
}

const ADDON_REL = join("build", "Release", "steady_native.node");

/** The package root: the nearest directory upwards with a package.json named "steadytensor". */
function findPackageRoot(start: string): string | null {
  let dir = start;
  for (;;) {
    const pj = join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "steadytensor") return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

function statusReason(root: string | null): string | null {
  if (root === null) return null;
  const file = join(root, "build", "native-status.json");
  if (!existsSync(file)) return null;
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as { ok?: boolean; reason?: string };
    return s.ok === false && s.reason ? s.reason : null;
  } catch {
    return null;
  }
}

export interface AddonLoad {
  addon: NativeAddon | null;
  reason: string;
  path: string | null;
}

let cached: AddonLoad | null = null;

/** Loads steady_native.node once (STEADY_NATIVE=0 disables it). Never throws. */
export function loadAddon(): AddonLoad {
  if (cached) return cached;
  cached = tryLoad();
  return cached;
}

function tryLoad(): AddonLoad {
  if (typeof process === "undefined" || !process.versions?.node) {
    return { addon: null, reason: "not running on Node", path: null };
  }
  if (process.env.STEADY_NATIVE === "0") {
    return { addon: null, reason: "disabled by STEADY_NATIVE=0", path: null };
  }
  let here: string;
  try {
    here = dirname(fileURLToPath(import.meta.url));
  } catch (e) {
    return { addon: null, reason: `cannot locate the package (${String(e)})`, path: null };
  }
  const root = findPackageRoot(here);
  // src/backend/native/ and dist/backend/native/ are both three levels below the root.
  const candidates = [join(here, "..", "..", "..", ADDON_REL)];
  if (root !== null) candidates.unshift(join(root, ADDON_REL));
  const require = createRequire(import.meta.url);
  const errors: string[] = [];
  for (const path of [...new Set(candidates)]) {
    if (!existsSync(path)) continue;
    try {
      const addon = require(path) as NativeAddon;
      return { addon, reason: "loaded", path };
    } catch (e) {
      errors.push(`${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (errors.length > 0) return { addon: null, reason: `steady_native.node failed to load (${errors.join("; ")})`, path: null };
  const why = statusReason(root);
  return {
    addon: null,
    reason: why !== null
      ? `native addon not built: ${why}`
      : `native addon not built: ${ADDON_REL} not found (run \`npm install\` or \`node scripts/build-native.mjs\`)`,
    path: null,
  };
}
