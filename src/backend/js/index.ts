// The js backend: every kernel in pure TypeScript. It runs everywhere and is the oracle that
// faster backends are tested against.

import type { Backend, Kernels } from "../backend.js";
import { binaryKernels, clamp, unaryKernels, where } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { argmax, argmin, logSoftmax, reduceKernels, softmax } from "./reduce.js";
import { cat, expand, gather, indexAdd, indexSelect, permute, scatterAdd, slice, sliceScatter } from "./shape.js";

export const jsKernels: Kernels = {
  unary: unaryKernels,
  binary: binaryKernels,
  reduce: reduceKernels,
  argmax,
  argmin,
  where,
  clamp,
  matmul,
  softmax,
  logSoftmax,
  permute,
  expand,
  slice,
  sliceScatter,
  cat,
  gather,
  scatterAdd,
  indexSelect,
  indexAdd,
};

export const jsBackend: Backend = { name: "js", kernels: jsKernels };
