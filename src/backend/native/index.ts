// The native backend: thin wrappers that hand float32/float64 work to the steady_native addon
// (zero-copy, sizes as positional numbers) and everything else to the fallback backend (js).
// loadNativeBackend() never throws: without the addon it returns backend = null and the reason.

import type { TypedArray } from "../../core/dtype.js";
import { stridesOf } from "../../core/shape.js";
import type {
  AttentionParams, Backend, ConvParams, PoolParams, BinaryKernel, Kernels, BinaryKernelName, ReduceKernel, ReduceKernelName, UnaryKernel, UnaryKernelName,
} from "../backend.js";
import { jsBackend } from "../js/index.js";
import { loadAddon, type NativeAddon } from "./addon.js";
import { FUSED_ACTIVATION_CODE, type FloatArray, type FusedKernels } from "./fused.js";
import { sameFloatType } from "./fused-reference.js";
import { type ToolboxAddon, toolboxNativeKernels } from "./toolbox.js";
import { type ReluMseAddon, reluMseNativeKernels } from "./relu-mse.js";

export type { FusedKernels, FusedActivation, FloatArray } from "./fused.js";

/** What the addon runs on. */
export interface NativeInfo {
  /** ISA of the kernels in use: "avx512" | "avx2" | "scalar". */
  isa: string;
  /** Best ISA this CPU supports (STEADY_ISA may lower the one in use). */
  detectedIsa: string;
  /** Threads of the kernel pool (STEADY_NUM_THREADS, else all cores). */
  threads: number;
  /** GEMM micro-kernels in use, e.g. "gemm_f32_6x16_avx2". */
  gemmF32: string;
  gemmF64: string;
}

export interface NativeLoad {
  backend: Backend | null;
  /** "loaded", or why the addon is not available. */
  reason: string;
  info?: NativeInfo;
  /** The fused kernels (null without the addon). */
  fused: FusedKernels | null;
}

// Op codes shared with native/ew_table.h.
const UNARY_CODE: Partial<Record<UnaryKernelName, number>> = {
  neg: 0, abs: 1, exp: 2, log: 3, sqrt: 4, rsqrt: 5, square: 6, tanh: 7, sigmoid: 8, relu: 9,
  floor: 10, ceil: 11, sign: 12, erf: 13, expm1: 14, log1p: 15, sin: 16, cos: 17,
};
const BINARY_CODE: Partial<Record<BinaryKernelName, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 };
const REDUCE_CODE: Partial<Record<ReduceKernelName, number>> = { sum: 0, max: 1, min: 2 };
// Comparison codes of native/select.cpp (output uint8).
const COMPARE_CODE: Partial<Record<BinaryKernelName, number>> = {
  eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5, logicalAnd: 6, logicalOr: 7,
};

// Below these sizes a call into the addon (~0.5 µs of N-API overhead) costs more than the js
// kernel itself, so the wrappers stay in js. setNativeSmallSizeFallback(false) turns this off
// (the conformance tests use it to run the native kernels on tiny inputs too).
const SMALL = { cheapUnary: 256, heavyUnary: 32, binary: 256, reduce: 256, softmax: 128, matmulFma: 400, select: 256, copy: 1024 };
const HEAVY_UNARY = new Set<UnaryKernelName>(["exp", "log", "tanh", "sigmoid", "erf", "expm1", "log1p", "sin", "cos"]);
let smallToJs = true;

/** Whether tiny inputs go to the js kernels (default true). Returns the previous setting. */
export function setNativeSmallSizeFallback(on: boolean): boolean {
  const prev = smallToJs;
  smallToJs = on;
  return prev;
}

const MAX_RANK = 16;
const desc = new Int32Array(1 + 3 * MAX_RANK);
// [rank, outShape, strides of cond, a, b] for the broadcasting where / comparisons of select.cpp.
const selDesc = new Int32Array(1 + 4 * MAX_RANK);

/** The element types the strided select kernels take (where copies bits; comparisons compare values). */
function isSelectArray(a: TypedArray): boolean {
  return a instanceof Float32Array || a instanceof Float64Array || a instanceof Int32Array || a instanceof Uint8Array;
}

function isFloatPair(a: TypedArray, b: TypedArray): boolean {
  return (a instanceof Float32Array || a instanceof Float64Array) && a.constructor === b.constructor;
}

function missing(kind: string, name: string): never {
  throw new Error(`native backend: no fallback kernel for ${kind}.${name}`);
}

/** Broadcast strides of `shape` inside `outShape` (0 where broadcast), written into desc at `at`. */
function writeStrides(shape: readonly number[], outShape: readonly number[], at: number): void {
  const r = outShape.length, off = r - shape.length;
  let stride = 1;
  for (let d = r - 1; d >= 0; d--) {
    const sd = d - off;
    const size = sd >= 0 ? shape[sd]! : 1;
    desc[at + d] = size === 1 ? 0 : stride;
    stride *= size;
  }
}

const copyDesc = new Int32Array(3 + 3 * MAX_RANK);
const INT32_MAX = 0x7fffffff;

/**
 * Fills copyDesc for native stridedCopy: out[dstOffset + Σ i·dst] = x[srcOffset + Σ i·src] over
 * `shape`. False when the rank or the arrays are too large for int32 offsets (js then runs).
 */
function writeCopyDesc(
  shape: readonly number[], src: readonly number[], dst: readonly number[], srcOffset: number, dstOffset: number,
  xLen: number, outLen: number,
): boolean {
  const r = shape.length;
  if (r > MAX_RANK || xLen > INT32_MAX || outLen > INT32_MAX) return false;
  copyDesc[0] = r;
  for (let d = 0; d < r; d++) {
    copyDesc[1 + d] = shape[d]!;
    copyDesc[1 + r + d] = src[d]!;
    copyDesc[1 + 2 * r + d] = dst[d]!;
  }
  copyDesc[1 + 3 * r] = srcOffset;
  copyDesc[2 + 3 * r] = dstOffset;
  return true;
}

/** x viewed as [outer, red, inner] when the reduced axes are one contiguous block; else null. */
function reduceView(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  let outer = 1, red = 1, inner = 1;
  let phase = 0; // 0: before the reduced block, 1: inside it, 2: after it
  const isRed = new Array<boolean>(shape.length).fill(false);
  for (const a of axes) isRed[a] = true;
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 0) return null;
    if (n === 1) continue;
    if (isRed[d]) {
      if (phase === 2) return null;
      phase = 1;
      red *= n;
    } else if (phase === 0) {
      outer *= n;
    } else {
      phase = 2;
      inner *= n;
    }
  }
  return [outer, red, inner];
}

function makeBackend(addon: NativeAddon, fb: Backend): Backend {
  const fk = fb.kernels;

  const unary: Partial<Record<UnaryKernelName, UnaryKernel>> = {};
  for (const [name, code] of Object.entries(UNARY_CODE) as [UnaryKernelName, number][]) {
    const fallback = fk.unary?.[name];
    const small = HEAVY_UNARY.has(name) ? SMALL.heavyUnary : SMALL.cheapUnary;
    unary[name] = (x, out) => {
      if ((!smallToJs || x.length >= small) && isFloatPair(x, out) && addon.unary(code, x, out)) return;
      (fallback ?? missing("unary", name))(x, out);
    };
  }

  const binary: Partial<Record<BinaryKernelName, BinaryKernel>> = {};
  for (const [name, code] of Object.entries(BINARY_CODE) as [BinaryKernelName, number][]) {
    const fallback = fk.binary?.[name];
    binary[name] = (a, aShape, b, bShape, out, outShape) => {
      const r = outShape.length;
      if ((!smallToJs || out.length >= SMALL.binary) && isFloatPair(a, b) && isFloatPair(a, out) && r <= MAX_RANK
        && aShape.length <= r && bShape.length <= r) {
        desc[0] = r;
        for (let d = 0; d < r; d++) desc[1 + d] = outShape[d]!;
        writeStrides(aShape, outShape, 1 + r);
        writeStrides(bShape, outShape, 1 + 2 * r);
        if (addon.binary(code, a, b, out, desc)) return;
      }
      (fallback ?? missing("binary", name))(a, aShape, b, bShape, out, outShape);
    };
  }

  // Operand layout for select.cpp: 0 both of the output's length, 1 b scalar, 2 a scalar, 3 both
  // scalar; -1 for anything else (then the strided entry points take any broadcast). An operand of
  // the output's length is not broadcast, so its layout is the output's.
  const selectMode = (alen: number, blen: number, n: number): number =>
    alen === n ? (blen === n ? 0 : blen === 1 ? 1 : -1) : alen === 1 ? (blen === n ? 2 : blen === 1 ? 3 : -1) : -1;

  /** desc for compareStrided / whereStrided: [rank, ...outShape, ...strides of each operand]; false past MAX_RANK. */
  const writeSelectDesc = (outShape: readonly number[], shapes: readonly (readonly number[])[]): boolean => {
    const r = outShape.length;
    if (r > MAX_RANK || shapes.some((s) => s.length > r)) return false;
    selDesc[0] = r;
    for (let d = 0; d < r; d++) selDesc[1 + d] = outShape[d]!;
    shapes.forEach((s, k) => {
      writeStrides(s, outShape, 0);
      selDesc.set(desc.subarray(0, r), 1 + (k + 1) * r);
    });
    return true;
  };

  for (const [name, code] of Object.entries(COMPARE_CODE) as [BinaryKernelName, number][]) {
    const fallback = fk.binary?.[name];
    binary[name] = (a, aShape, b, bShape, out, outShape) => {
      const n = out.length;
      if ((!smallToJs || n >= SMALL.select) && out instanceof Uint8Array && a.constructor === b.constructor) {
        const mode = code < 6 && isFloatPair(a, b) ? selectMode(a.length, b.length, n) : -1;
        if (mode >= 0 && mode < 3 && addon.compare(code, a, b, out, mode)) return;
        if (mode < 0 && isSelectArray(a) && writeSelectDesc(outShape, [aShape, bShape])
          && addon.compareStrided(code, a, b, out, selDesc)) return;
      }
      (fallback ?? missing("binary", name))(a, aShape, b, bShape, out, outShape);
    };
  }

  const where: Backend["kernels"]["where"] = (cond, cShape, a, aShape, b, bShape, out, outShape) => {
    const n = out.length;
    if ((!smallToJs || n >= SMALL.select) && a.constructor === b.constructor && a.constructor === out.constructor) {
      const mode = cond.length === n && isFloatPair(a, b) ? selectMode(a.length, b.length, n) : -1;
      if (mode >= 0 && addon.where(cond, a, b, out, mode)) return;
      if (mode < 0 && isSelectArray(a) && writeSelectDesc(outShape, [cShape, aShape, bShape])
        && addon.whereStrided(cond, a, b, out, selDesc)) return;
    }
    (fk.where ?? missing("kernels", "where"))(cond, cShape, a, aShape, b, bShape, out, outShape);
  };

  const reduce: Partial<Record<ReduceKernelName, ReduceKernel>> = {};
  for (const [name, code] of Object.entries(REDUCE_CODE) as [ReduceKernelName, number][]) {
    const fallback = fk.reduce?.[name];
    reduce[name] = (x, shape, axes, out) => {
      if ((!smallToJs || x.length >= SMALL.reduce) && isFloatPair(x, out) && axes.length > 0) {
        const v = reduceView(shape, axes);
        if (v !== null && addon.reduce(code, x, out, v[0], v[1], v[2])) return;
      }
      (fallback ?? missing("reduce", name))(x, shape, axes, out);
    };
  }

  /** rows x cols when `axis` is the last axis of extent > 1 (softmax over a contiguous row). */
  const lastAxisView = (shape: readonly number[], axis: number): [number, number] | null => {
    for (let d = axis + 1; d < shape.length; d++) if (shape[d] !== 1) return null;
    const cols = shape[axis]!;
    if (cols < 1) return null;
    let size = 1;
    for (const s of shape) size *= s;
    return [size / cols, cols];
  };

  // permute / expand / slice / sliceScatter are one native strided copy (native/copy.cpp).
  const sameType = (x: TypedArray, out: TypedArray) => x.constructor === out.constructor;
  const bigCopy = (n: number) => !smallToJs || n >= SMALL.copy;
  const permute: Backend["kernels"]["permute"] = (x, shape, perm, out) => {
    if (bigCopy(out.length) && sameType(x, out)) {
      const st = stridesOf(shape);
      const outShape = perm.map((p) => shape[p]!);
      if (writeCopyDesc(outShape, perm.map((p) => st[p]!), stridesOf(outShape), 0, 0, x.length, out.length)
        && addon.stridedCopy(x, out, copyDesc)) return;
    }
    (fk.permute ?? missing("kernels", "permute"))(x, shape, perm, out);
  };
  const expand: Backend["kernels"]["expand"] = (x, shape, outShape, out) => {
    if (bigCopy(out.length) && sameType(x, out) && shape.length <= outShape.length && outShape.length <= MAX_RANK) {
      const r = outShape.length;
      writeStrides(shape, outShape, 0); // broadcast strides of x into desc[0..r)
      const src = Array.from(desc.subarray(0, r));
      if (writeCopyDesc(outShape, src, stridesOf(outShape), 0, 0, x.length, out.length)
        && addon.stridedCopy(x, out, copyDesc)) return;
    }
    (fk.expand ?? missing("kernels", "expand"))(x, shape, outShape, out);
  };
  const slice: Backend["kernels"]["slice"] = (x, shape, starts, steps, out, outShape) => {
    if (bigCopy(out.length) && sameType(x, out)) {
      const st = stridesOf(shape);
      let base = 0;
      for (let d = 0; d < shape.length; d++) base += starts[d]! * st[d]!;
      if (writeCopyDesc(outShape, st.map((s, d) => s * steps[d]!), stridesOf(outShape), base, 0, x.length, out.length)
        && addon.stridedCopy(x, out, copyDesc)) return;
    }
    (fk.slice ?? missing("kernels", "slice"))(x, shape, starts, steps, out, outShape);
  };
  const sliceScatter: Backend["kernels"]["sliceScatter"] = (out, shape, src, srcShape, starts, steps) => {
    if (bigCopy(src.length) && sameType(src, out)) {
      const st = stridesOf(shape);
      let base = 0;
      for (let d = 0; d < shape.length; d++) base += starts[d]! * st[d]!;
      if (writeCopyDesc(srcShape, stridesOf(srcShape), st.map((s, d) => s * steps[d]!), 0, base, src.length, out.length)
        && addon.stridedCopy(src, out, copyDesc)) return;
    }
    (fk.sliceScatter ?? missing("kernels", "sliceScatter"))(out, shape, src, srcShape, starts, steps);
  };
  // split and cat: one strided copy per piece, each a block of rows of the bigger tensor
  // (js's cat would make a subarray per row and piece: 3072 of them for a [1024, 3·128] split)
  const piecesCopy = (big: TypedArray, shape: readonly number[], axis: number, sizes: readonly number[], pieces: readonly TypedArray[], toBig: boolean): boolean => {
    if (!bigCopy(big.length) || shape.length > MAX_RANK || !pieces.every((p) => sameType(big, p))) return false;
    const st = stridesOf(shape);
    for (let t = 0, start = 0; t < pieces.length; start += sizes[t]!, t++) {
      const p = pieces[t]!;
      if (p.length === 0) continue;
      const ps = shape.slice();
      ps[axis] = sizes[t]!;
      const pst = stridesOf(ps);
      const ok = toBig
        ? writeCopyDesc(ps, pst, st, 0, start * st[axis]!, p.length, big.length) && addon.stridedCopy(p, big, copyDesc)
        : writeCopyDesc(ps, st, pst, start * st[axis]!, 0, big.length, p.length) && addon.stridedCopy(big, p, copyDesc);
      if (!ok) return false; // the js kernel then redoes every piece
    }
    return true;
  };
  const split: Backend["kernels"]["split"] = (x, shape, axis, sizes, outs) => {
    if (piecesCopy(x, shape, axis, sizes, outs, false)) return;
    (fk.split ?? missing("kernels", "split"))(x, shape, axis, sizes, outs);
  };
  const cat: Backend["kernels"]["cat"] = (xs, shapes, axis, out) => {
    const shape = shapes[0]!.slice();
    shape[axis] = shapes.reduce((a, s) => a + s[axis]!, 0);
    if (piecesCopy(out, shape, axis, shapes.map((s) => s[axis]!), xs, true)) return;
    (fk.cat ?? missing("kernels", "cat"))(xs, shapes, axis, out);
  };

  const kernels: Backend["kernels"] = {
    unary,
    binary,
    reduce,
    matmul(a, b, out, p) {
      if ((!smallToJs || p.batch * p.m * p.n * p.k >= SMALL.matmulFma) && isFloatPair(a, b) && isFloatPair(a, out)
        && addon.matmul(a, b, out, p.batch, p.m, p.n, p.k, p.strideA, p.strideB, p.transA, p.transB)) return;
      (fk.matmul ?? missing("kernels", "matmul"))(a, b, out, p);
    },
    softmax(x, shape, axis, out) {
      const v = (!smallToJs || x.length >= SMALL.softmax) && isFloatPair(x, out) ? lastAxisView(shape, axis) : null;
      if (v !== null && addon.softmax(x, out, v[0], v[1], false)) return;
      (fk.softmax ?? missing("kernels", "softmax"))(x, shape, axis, out);
    },
    logSoftmax(x, shape, axis, out) {
      const v = (!smallToJs || x.length >= SMALL.softmax) && isFloatPair(x, out) ? lastAxisView(shape, axis) : null;
      if (v !== null && addon.softmax(x, out, v[0], v[1], true)) return;
      (fk.logSoftmax ?? missing("kernels", "logSoftmax"))(x, shape, axis, out);
    },
    where,
    permute,
    expand,
    slice,
    sliceScatter,
    split,
    cat,
    clamp(x, lo, hi, out) {
      if ((!smallToJs || x.length >= SMALL.cheapUnary) && isFloatPair(x, out) && addon.clamp(x, lo, hi, out)) return;
      (fk.clamp ?? missing("kernels", "clamp"))(x, lo, hi, out);
    },
  };
  // The fused kernels are ordinary entries: the addon runs the case it covers (all arrays one
  // float dtype; for optimizers a number lr, no AMSGrad, not maximizing) and js runs the rest.
  const nf = makeFused(addon);
  const js = (name: keyof Backend["kernels"]) => (fk[name] ?? missing("kernels", name)) as never;
  Object.assign(kernels, {
    biasAct(x, bias, act, out) {
      if (sameFloatType(x, bias, out)) nf.biasAct(x, bias, act, out);
      else (js("biasAct") as Kernels["biasAct"])(x, bias, act, out);
    },
    layerNormForward(x, gamma, beta, eps, out, mean, rstd) {
      if (sameFloatType(x, gamma, beta, out, mean, rstd)) nf.layerNormForward(x, gamma, beta, eps, out, mean, rstd);
      else (js("layerNormForward") as Kernels["layerNormForward"])(x, gamma, beta, eps, out, mean, rstd);
    },
    layerNormBackward(dy, x, mean, rstd, gamma, dx, dgamma, dbeta) {
      if (sameFloatType(dy, x, mean, rstd, gamma, dx, dgamma, dbeta)) nf.layerNormBackward(dy, x, mean, rstd, gamma, dx, dgamma, dbeta);
      else (js("layerNormBackward") as Kernels["layerNormBackward"])(dy, x, mean, rstd, gamma, dx, dgamma, dbeta);
    },
    adamStep(p, grad, m, v, vmax, lr, a) {
      if (typeof lr === "number" && vmax === null && !a.maximize && sameFloatType(p as FloatArray, grad as FloatArray, m as FloatArray, v as FloatArray)) {
        nf.adamStep(p as FloatArray, grad as FloatArray, m as FloatArray, v as FloatArray, lr, a.beta1, a.beta2, a.eps, a.weightDecay, a.step, a.decoupled);
      } else (js("adamStep") as Kernels["adamStep"])(p, grad, m, v, vmax, lr, a);
    },
    sgdStep(p, grad, buf, lr, a) {
      if (typeof lr === "number" && !a.maximize && sameFloatType(p as FloatArray, grad as FloatArray, buf as FloatArray | null)) {
        nf.sgdStep(p as FloatArray, grad as FloatArray, buf as FloatArray | null, lr, a.momentum, a.dampening, a.nesterov, a.weightDecay, a.firstStep);
      } else (js("sgdStep") as Kernels["sgdStep"])(p, grad, buf, lr, a);
    },
    attentionForward(q, k, v, mask, out, lse, p) {
      if (sameFloatType(q, k, v, out, lse) && attentionMaskFits(mask, q, p) && writeAttentionDesc(p)
        && addon.attentionForward(q, k, v, mask, out, lse, attnDesc)) return;
      (js("attentionForward") as Kernels["attentionForward"])(q, k, v, mask, out, lse, p);
    },
    attentionBackward(q, k, v, out, dOut, lse, mask, dq, dk, dv, p) {
      if (sameFloatType(q, k, v, out, dOut, lse, dq, dk, dv) && attentionMaskFits(mask, q, p) && writeAttentionDesc(p)
        && addon.attentionBackward(q, k, v, out, dOut, lse, mask, dq, dk, dv, attnDesc)) return;
      (js("attentionBackward") as Kernels["attentionBackward"])(q, k, v, out, dOut, lse, mask, dq, dk, dv, p);
    },
    rmspropStep(p, grad, sq, buf, ga, lr, a) {
      if (typeof lr === "number" && !a.maximize && sameFloatType(p as FloatArray, grad as FloatArray, sq as FloatArray, buf as FloatArray | null, ga as FloatArray | null)) {
        nf.rmspropStep(p as FloatArray, grad as FloatArray, sq as FloatArray, buf as FloatArray | null, ga as FloatArray | null, lr, a.alpha, a.eps, a.weightDecay, a.momentum);
      } else (js("rmspropStep") as Kernels["rmspropStep"])(p, grad, sq, buf, ga, lr, a);
    },
    // convolution and pooling (native/conv.cpp, pool.cpp): float32/float64 arrays of one dtype
    conv2d(x, w, y, p) {
      if (sameFloatType(x as FloatArray, w as FloatArray, y as FloatArray) && typeof addon.conv2dForward === "function" && addon.conv2dForward(x, w, y, convDesc(p))) return;
      (js("conv2d") as Kernels["conv2d"])(x, w, y, p);
    },
    conv2dInput(dy, w, dx, p) {
      if (sameFloatType(dy as FloatArray, w as FloatArray, dx as FloatArray) && typeof addon.conv2dInput === "function" && addon.conv2dInput(dy, w, dx, convDesc(p))) return;
      (js("conv2dInput") as Kernels["conv2dInput"])(dy, w, dx, p);
    },
    conv2dWeight(x, dy, dw, p) {
      if (sameFloatType(x as FloatArray, dy as FloatArray, dw as FloatArray) && typeof addon.conv2dWeight === "function" && addon.conv2dWeight(x, dy, dw, convDesc(p))) return;
      (js("conv2dWeight") as Kernels["conv2dWeight"])(x, dy, dw, p);
    },
    maxPool2d(x, y, idx, p) {
      if (sameFloatType(x as FloatArray, y as FloatArray) && typeof addon.maxPool2d === "function" && addon.maxPool2d(x, y, idx, poolDesc(p))) return;
      (js("maxPool2d") as Kernels["maxPool2d"])(x, y, idx, p);
    },
    maxPool2dBackward(dy, idx, dx, planes, inPlane, outPlane) {
      if (sameFloatType(dy as FloatArray, dx as FloatArray) && typeof addon.maxPool2dBackward === "function"
        && addon.maxPool2dBackward(dy, idx, dx, planes, inPlane, outPlane)) return;
      (js("maxPool2dBackward") as Kernels["maxPool2dBackward"])(dy, idx, dx, planes, inPlane, outPlane);
    },
    avgPool2d(x, y, p) {
      if (sameFloatType(x as FloatArray, y as FloatArray) && typeof addon.avgPool2d === "function" && addon.avgPool2d(x, y, poolDesc(p))) return;
      (js("avgPool2d") as Kernels["avgPool2d"])(x, y, p);
    },
    avgPool2dBackward(dy, dx, p) {
      if (sameFloatType(dy as FloatArray, dx as FloatArray) && typeof addon.avgPool2dBackward === "function" && addon.avgPool2dBackward(dy, dx, poolDesc(p))) return;
      (js("avgPool2dBackward") as Kernels["avgPool2dBackward"])(dy, dx, p);
    },
    tensorStats(x, ref, center, threshold, out) {
      if ((x instanceof Float32Array || x instanceof Float64Array) && (ref === null || ref.constructor === x.constructor)
        && typeof addon.tensorStats === "function" && addon.tensorStats(x, ref, center, threshold, out)) return;
      (js("tensorStats") as Kernels["tensorStats"])(x, ref, center, threshold, out);
    },
    lstmCellForward(gates, c, hc, acts, B, H) {
      if (sameFloatType(gates, c, hc, acts) && addon.lstmCellForward?.(gates, c, hc, acts, B, H) === true) return;
      (js("lstmCellForward") as Kernels["lstmCellForward"])(gates, c, hc, acts, B, H);
    },
    lstmCellBackward(dy, c, acts, hc, dgates, dc, B, H) {
      if (sameFloatType(dy, c, acts, hc, dgates, dc) && addon.lstmCellBackward?.(dy, c, acts, hc, dgates, dc, B, H) === true) return;
      (js("lstmCellBackward") as Kernels["lstmCellBackward"])(dy, c, acts, hc, dgates, dc, B, H);
    },
    gruCellForward(gi, gh, h, out, acts, B, H) {
      if (sameFloatType(gi, gh, h, out, acts) && addon.gruCellForward?.(gi, gh, h, out, acts, B, H) === true) return;
      (js("gruCellForward") as Kernels["gruCellForward"])(gi, gh, h, out, acts, B, H);
    },
    gruCellBackward(dy, gh, h, acts, dgi, dgh, dh, B, H) {
      if (sameFloatType(dy, gh, h, acts, dgi, dgh, dh) && addon.gruCellBackward?.(dy, gh, h, acts, dgi, dgh, dh, B, H) === true) return;
      (js("gruCellBackward") as Kernels["gruCellBackward"])(dy, gh, h, acts, dgi, dgh, dh, B, H);
    },
  } satisfies Partial<Kernels>);
  fusedOf.set(kernels, nf);
  // the tensor toolbox (issue 15): tan … erfinv and a stable argsort (native/toolbox_math.cpp)
  Object.assign(kernels, toolboxNativeKernels(addon as NativeAddon & ToolboxAddon, fk, () => smallToJs));
  // ReLU's backward and the MSE loss (native/relu_mse.cpp)
  Object.assign(kernels, reluMseNativeKernels(addon as NativeAddon & ReluMseAddon, fk, () => smallToJs));
  return { name: "native", kernels };
}

// [B, H, L, S, E, Ev, q/k/v/out (offset, batch, head, row), scale, causal, maskKind, mask strides]
// for native/attention.cpp.
const attnDesc = new Float64Array(29);

function writeAttentionDesc(p: AttentionParams): boolean {
  attnDesc.set([p.batch, p.heads, p.lq, p.lk, p.dk, p.dv], 0);
  [p.q, p.k, p.v, p.out].forEach((l, t) => attnDesc.set([l.offset, l.batch, l.head, l.row], 6 + 4 * t));
  attnDesc[22] = p.scale;
  attnDesc[23] = p.causal ? 1 : 0;
  attnDesc[24] = p.mask === null ? 0 : p.mask.kind === "bool" ? 1 : 2;
  attnDesc.set(p.mask?.strides ?? [0, 0, 0, 0], 25);
  return true;
}

/** A mask the addon takes: none with no mask kind, Uint8Array for "bool", q's float type for "additive". */
const convDescBuf = new Int32Array(16);
/** ConvParams as native/conv.cpp's desc. */
function convDesc(p: ConvParams): Int32Array {
  convDescBuf.set([p.n, p.c, p.h, p.w, p.o, p.kh, p.kw, p.oh, p.ow, p.sh, p.sw, p.ph, p.pw, p.dh, p.dw, p.groups]);
  return convDescBuf;
}
const poolDescBuf = new Int32Array(15);
/** PoolParams as native/pool.cpp's desc. */
function poolDesc(p: PoolParams): Int32Array {
  poolDescBuf.set([p.planes, p.h, p.w, p.oh, p.ow, p.kh, p.kw, p.sh, p.sw, p.ph, p.pw, p.dh, p.dw, p.countIncludePad ? 1 : 0, p.divisorOverride]);
  return poolDescBuf;
}

function attentionMaskFits(mask: Uint8Array | FloatArray | null, q: FloatArray, p: AttentionParams): boolean {
  if (p.mask === null || mask === null) return p.mask === null && mask === null;
  return p.mask.kind === "bool" ? mask instanceof Uint8Array : mask.constructor === q.constructor;
}

/** The addon's fused kernels per backend kernel table (for nativeFused and its tests). */
const fusedOf = new WeakMap<object, Required<FusedKernels>>();

function makeFused(addon: NativeAddon): Required<FusedKernels> {
  const fail = (name: string): never => {
    throw new TypeError(`native ${name}: arrays must all be Float32Array or all Float64Array`);
  };
  return {
    biasAct(x, bias, act, out) {
      const n = bias.length;
      const m = n === 0 ? 0 : x.length / n;
      if (!Number.isInteger(m)) throw new RangeError(`native biasAct: x.length ${x.length} is not a multiple of bias.length ${n}`);
      if (!addon.biasAct(x, bias, out, m, n, FUSED_ACTIVATION_CODE[act])) fail("biasAct");
    },
    adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, decoupled = false) {
      if (!addon.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, decoupled)) fail("adamStep");
    },
    sgdStep(param, grad, buf, lr, momentum, dampening, nesterov, weightDecay, firstStep) {
      if (!addon.sgdStep(param, grad, buf, lr, momentum, dampening, nesterov, weightDecay, firstStep)) fail("sgdStep");
    },
    rmspropStep(param, grad, squareAvg, momentumBuf, gradAvg, lr, alpha, eps, weightDecay, momentum) {
      if (!addon.rmspropStep(param, grad, squareAvg, momentumBuf, gradAvg, lr, alpha, eps, weightDecay, momentum)) {
        fail("rmspropStep");
      }
    },
    layerNormForward(x, gamma, beta, eps, out, mean, rstd) {
      const m = mean.length, n = m === 0 ? 0 : x.length / m;
      if (m === 0) return;
      if (!Number.isInteger(n)) throw new RangeError(`native layerNormForward: x.length ${x.length} is not a multiple of mean.length ${m}`);
      if (!sameFloatType(x, gamma, beta, out, mean, rstd) || !addon.layerNormForward(x, gamma, beta, out, mean, rstd, m, n, eps)) {
        fail("layerNormForward");
      }
    },
    layerNormBackward(dy, x, mean, rstd, gamma, dx, dgamma, dbeta) {
      const m = mean.length, n = m === 0 ? 0 : x.length / m;
      if (m === 0) {
        dgamma?.fill(0);
        dbeta?.fill(0);
        return;
      }
      if (!Number.isInteger(n)) throw new RangeError(`native layerNormBackward: x.length ${x.length} is not a multiple of mean.length ${m}`);
      if (!addon.layerNormBackward(dy, x, mean, rstd, gamma, dx, dgamma, dbeta, m, n)) fail("layerNormBackward");
    },
  };
}

let loaded: NativeLoad | null = null;

/**
 * Loads the native backend once. Never throws: `backend` is null and `reason` says why when the
 * addon is missing or broken. Kernels it does not handle (dtypes other than float32/float64,
 * layouts it does not cover) go to `fallback` (the js backend by default).
 */
export function loadNativeBackend(fallback: Backend = jsBackend): NativeLoad {
  if (loaded !== null && fallback === jsBackend) return loaded;
  let result: NativeLoad;
  try {
    const { addon, reason } = loadAddon();
    const backend = addon === null ? null : makeBackend(addon, fallback);
    result = addon === null || backend === null
      ? { backend: null, reason, fused: null }
      : { backend, reason: "loaded", info: addon.info(), fused: fusedOf.get(backend.kernels) ?? null };
  } catch (e) {
    result = { backend: null, reason: `native backend failed to initialise (${e instanceof Error ? e.message : String(e)})`, fused: null };
  }
  if (fallback === jsBackend) loaded = result;
  return result;
}

/** Live information about the addon (null without it). */
export function nativeInfo(): NativeInfo | null {
  return loadAddon().addon?.info() ?? null;
}

/** The addon's info as loaded: ISA chosen and thread count (null without the addon). */
export const info: NativeInfo | null = nativeInfo();

/** Resizes the kernel thread pool; returns the new size (0 without the addon). */
export function setNumThreads(n: number): number {
  return loadAddon().addon?.setNumThreads(n) ?? 0;
}

/** Lowers (or restores) the ISA the kernels use, for tests; clamped to what the CPU has. */
export function setNativeIsa(isa: "scalar" | "avx2" | "avx512"): string | null {
  return loadAddon().addon?.setIsa(isa) ?? null;
}

/** Fused kernels of the native addon (null without it). */
export function nativeFused(): FusedKernels | null {
  return loadNativeBackend().fused;
}

