// The closed primitive set. Every op the library offers is either one of these (a kernel plus a
// row in ops/gradients.ts) or a composite of them, differentiable for free. Kernels without a
// derivative (comparisons, argmax, fused optimizer steps, backward-only kernels) are listed in
// NonDiffOp; the kernel table (backend/kernel-table.ts) holds both.

import type { KernelAttrs, KernelName } from "../backend/kernel-table.js";
import type { BinaryKernelName, ReduceKernelName, UnaryKernelName } from "../backend/backend.js";
import type { Node } from "../core/node.js";

/** Kernels that are not differentiable primitives: their outputs never require grad. */
export type NonDiffOp = Extract<UnaryKernelName, "isFinite" | "isNaN" | "logicalNot"> |
  Exclude<BinaryKernelName, "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"> |
  "argmax" | "argmin" | "sliceBackward" | "prodOthers" | "layerNormBackward" | "attentionBackward" | "biasAct" |
  "adamStep" | "sgdStep" | "rmspropStep" | "adagradStep" | "adadeltaStep" | "adamaxStep" | "nadamStep" | "fill" | "copyInto" | "tensorStats" |
  "maxPool2dBackward" | "argsort" | "cumprodBackward" | "lstmCellBackward" | "gruCellBackward" |
  "reluBackward" | "mseLossBackward";

/** The kernels without a derivative, at run time (tests enumerate the table with it). */
export const NON_DIFF_OPS = [
  "isFinite", "isNaN", "logicalNot", "eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr",
  "argmax", "argmin", "sliceBackward", "prodOthers", "layerNormBackward", "attentionBackward", "biasAct", "adamStep", "sgdStep", "rmspropStep",
  "adagradStep", "adadeltaStep", "adamaxStep", "nadamStep", "fill", "copyInto", "tensorStats",
  "maxPool2dBackward",
  "argsort", "cumprodBackward",
  "lstmCellBackward", "gruCellBackward",
  "reluBackward", "mseLossBackward",
] as const satisfies readonly NonDiffOp[];
// every NonDiffOp is listed (a missing one makes this line fail to compile)
const _allListed: NonDiffOp extends (typeof NON_DIFF_OPS)[number] ? true : never = true;
void _allListed;

/** Names of the differentiable primitives (the keys of the backward table). */
export type Op = Exclude<KernelName, NonDiffOp>;

/** Attributes each primitive records for its backward, keyed by op name (= its kernel's). */
export type OpAttrs = { [O in Op]: KernelAttrs[O] };

/** A graph node recorded by primitive O: its attributes are typed, so rules need no casts. */
export type OpNode<O extends Op> = Node<OpAttrs[O]> & { readonly op: O };

export type { BinaryKernelName, KernelAttrs, KernelName, ReduceKernelName, UnaryKernelName };
