// The kernel-table entries of issue 15's tensor toolbox (see toolbox-kernels.ts), spread into THE
// kernel table (kernel-table.ts): each unwraps its tensors' storages and calls the active
// backend's kernel through the registry, so ops stay free of raw arrays.

import { IndexError } from "../core/errors.js";
import type { TypedArray } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import type { ScatterReduceMode, ToolboxBinaryName, ToolboxUnaryName } from "./toolbox-kernels.js";
import { K } from "./registry.js";

/** Attributes of the toolbox kernels, merged into KernelAttrs. */
export type ToolboxKernelAttrs = { [N in ToolboxUnaryName | ToolboxBinaryName]: null } & {
  /** one int32 output: the stable sorting permutation of each lane */
  argsort: { axis: number; descending: boolean };
  cumsum: { axis: number; reverse: boolean };
  cumprod: { axis: number };
  /** inputs [x, g]: cumprod's gradient (exact with zeros) */
  cumprodBackward: { axis: number };
  /** inputs [base, index, src] */
  scatterReduce: { dim: number; reduce: ScatterReduceMode; includeSelf: boolean };
};

type Kernel<A> = (inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: A) => void;

const d = (t: Tensor): TypedArray => t._s.data;

export const TOOLBOX_UNARY_NAMES: readonly ToolboxUnaryName[] = [
  "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "log2", "log10", "exp2", "erfinv",
];
export const TOOLBOX_BINARY_NAMES: readonly ToolboxBinaryName[] = ["atan2", "remainder", "fmod", "hypot"];

const table: { [N in keyof ToolboxKernelAttrs]?: Kernel<ToolboxKernelAttrs[N]> } = {
  argsort: (i, o, a) => K.argsort(d(i[0]!), i[0]!.shape, a.axis, a.descending, d(o[0]!) as Int32Array),
  cumsum: (i, o, a) => K.cumsum(d(i[0]!), i[0]!.shape, a.axis, a.reverse, d(o[0]!)),
  cumprod: (i, o, a) => K.cumprod(d(i[0]!), i[0]!.shape, a.axis, d(o[0]!)),
  cumprodBackward: (i, o, a) => K.cumprodBackward(d(i[0]!), d(i[1]!), i[0]!.shape, a.axis, d(o[0]!)),
  scatterReduce: (i, o, a) => {
    const [base, index, src] = i as [Tensor, Tensor, Tensor];
    const idx = d(index) as Int32Array;
    const limit = base.shape[a.dim]!;
    for (let k = 0; k < idx.length; k++) {
      const v = idx[k]!;
      if (v < 0 || v >= limit) {
        throw new IndexError(`scatterReduce: index ${v} is out of range for dim ${a.dim} of size ${limit} (expected 0 <= index < ${limit})`);
      }
    }
    d(o[0]!).set(d(base));
    K.scatterReduce(d(o[0]!), base.shape, a.dim, idx, index.shape, d(src), a.reduce, a.includeSelf);
  },
};
for (const n of TOOLBOX_UNARY_NAMES) {
  (table as Record<string, Kernel<null>>)[n] = (i, o) => K.unaryMath[n](d(i[0]!), d(o[0]!));
}
for (const n of TOOLBOX_BINARY_NAMES) {
  (table as Record<string, Kernel<null>>)[n] = (i, o) => {
    const a = i[0]!, b = i[1]!, out = o[0]!;
    K.binaryMath[n](d(a), a.shape, d(b), b.shape, d(out), out.shape);
  };
}

/** The toolbox's entries of the kernel table. */
export const TOOLBOX_TABLE = table as { [N in keyof ToolboxKernelAttrs]: Kernel<ToolboxKernelAttrs[N]> };

/** Toolbox kernels that write every element of their output (dispatch may skip zeroing it). */
export const TOOLBOX_FULL_WRITE: { readonly [N in keyof ToolboxKernelAttrs]?: true } = {
  ...Object.fromEntries([...TOOLBOX_UNARY_NAMES, ...TOOLBOX_BINARY_NAMES].map((n) => [n, true])),
  argsort: true, cumsum: true, cumprod: true, cumprodBackward: true, scatterReduce: true,
};
