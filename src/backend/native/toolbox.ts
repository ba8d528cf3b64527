// The native backend's toolbox kernels (issue 15; native/toolbox_math.cpp): tan … erfinv over
// float32/float64 and a stable argsort of float32/float64/int32 lanes, each falling back to the
// js kernel for what the addon does not take (other dtypes, an addon built before these existed,
// tiny inputs where the N-API call costs more than the work).

import type { TypedArray } from "../../core/dtype.js";
import type { Backend, UnaryKernel } from "../backend.js";
import { TOOLBOX_UNARY_NAMES } from "../kernel-table-toolbox.js";
import type { ToolboxKernels, ToolboxUnaryName } from "../toolbox-kernels.js";
import { axisSplit } from "../js/reduce.js";

/** The toolbox's exports of steady_native.node (absent from addons built before issue 15). */
export interface ToolboxAddon {
  /** op = the position of the name in TOOLBOX_UNARY_NAMES; float32 or float64, x and out one type. */
  unaryMath?(op: number, x: ArrayBufferView, out: ArrayBufferView): boolean;
  /** x viewed as [outer, len, inner], sorted along len into out (Int32Array of x's length). */
  argsort?(x: ArrayBufferView, out: ArrayBufferView, outer: number, len: number, inner: number, descending: boolean): boolean;
}

// Below these sizes the js kernels win (an N-API call costs ~0.5 µs).
const SMALL = { unaryMath: 32, argsort: 64 };

const isFloatPair = (a: TypedArray, b: TypedArray) => (a instanceof Float32Array || a instanceof Float64Array) && a.constructor === b.constructor;

/**
 * The toolbox entries of the native backend's kernel table, given the addon, the fallback
 * backend's kernels and whether tiny inputs go to js (setNativeSmallSizeFallback).
 */
export function toolboxNativeKernels(addon: ToolboxAddon, fk: Backend["kernels"], smallToJs: () => boolean): Partial<ToolboxKernels> {
  const out: Partial<ToolboxKernels> = {};
  const fbUnary = fk.unaryMath;
  const unaryMathFn = addon.unaryMath?.bind(addon);
  if (unaryMathFn && fbUnary) {
    const table = {} as Record<ToolboxUnaryName, UnaryKernel>;
    TOOLBOX_UNARY_NAMES.forEach((name, code) => {
      const fallback = fbUnary[name];
      table[name] = (x, o) => {
        if ((!smallToJs() || x.length >= SMALL.unaryMath) && isFloatPair(x, o) && unaryMathFn(code, x, o)) return;
        fallback(x, o);
      };
    });
    out.unaryMath = table;
  }
  const argsortFn = addon.argsort?.bind(addon);
  const fbArgsort = fk.argsort;
  if (argsortFn && fbArgsort) {
    out.argsort = (x, shape, axis, descending, o) => {
      const ok = x instanceof Float32Array || x instanceof Float64Array || x instanceof Int32Array;
      if (ok && (!smallToJs() || x.length >= SMALL.argsort)) {
        const [outer, len, inner] = axisSplit(shape, axis);
        if (argsortFn(x, o, outer, len, inner, descending)) return;
      }
      fbArgsort(x, shape, axis, descending, o);
    };
  }
  return out;
}
