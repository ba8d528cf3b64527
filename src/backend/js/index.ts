// The js backend: every kernel in pure TypeScript. It runs everywhere and is the oracle that
// faster backends are tested against.

import type { TypedArray } from "../../core/dtype.js";
import type { Backend, Kernels } from "../backend.js";
import { binaryKernels, clamp, unaryKernels, where } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { attentionBackward, attentionForward } from "./attention.js";
import { argmax, argmin, logSoftmax, reduceKernels, softmax, tensorStats } from "./reduce.js";
import { referenceFused } from "../native/fused-reference.js";
import { adadeltaStep, adagradStep, adamaxStep, adamStep, nadamStep, rmspropStep, sgdStep } from "./optim.js";
import { conv2d, conv2dInput, conv2dWeight } from "./conv.js";
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from "./pool.js";
import { toolboxJsKernels } from "./toolbox.js";
import { gruCellBackward, gruCellForward, lstmCellBackward, lstmCellForward } from "./rnn-cell.js";
import { mseLoss, mseLossBackward, reluBackward } from "./relu-mse.js";
import { cat, expand, gather, indexAdd, indexSelect, permute, scatterAdd, slice, sliceScatter } from "./shape.js";
import { split } from "./shape.js";

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
  split,
  gather,
  scatterAdd,
  indexSelect,
  indexAdd,
  prodOthers,
  biasAct: referenceFused.biasAct,
  layerNormForward: referenceFused.layerNormForward,
  layerNormBackward: referenceFused.layerNormBackward,
  attentionForward,
  attentionBackward,
  adamStep,
  sgdStep,
  rmspropStep,
  adagradStep,
  adadeltaStep,
  adamaxStep,
  nadamStep,
  tensorStats,
  conv2d,
  conv2dInput,
  conv2dWeight,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  ...toolboxJsKernels,
  lstmCellForward,
  lstmCellBackward,
  gruCellForward,
  gruCellBackward,
  reluBackward,
  mseLoss,
  mseLossBackward,
};

function prodOthers(x: TypedArray, rows: number, r: number, o: TypedArray): void {
  for (let row = 0; row < rows; row++) {
    const base = row * r;
    let acc = 1;
    for (let j = 0; j < r; j++) { o[base + j] = acc; acc *= x[base + j]!; }
    acc = 1;
    for (let j = r - 1; j >= 0; j--) { o[base + j] = o[base + j]! * acc; acc *= x[base + j]!; }
  }
}

export const jsBackend: Backend = { name: "js", kernels: jsKernels };
