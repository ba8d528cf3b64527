// What an op mapping sees while it writes the ONNX nodes of one traced kernel call: the graph
// builder, the call, the value names and symbolic shapes of its inputs, and the names its
// outputs must get. Mappings live in op-mappings*.ts; export.ts builds one context per call.

import type { DType } from "../../core/dtype.js";
import type { Tensor } from "../../core/tensor.js";
import type { GraphBuilder } from "./graph-builder.js";
import type { SymShape } from "./sym-shape.js";
import type { TracedCall } from "./trace.js";

export interface EmitContext {
  g: GraphBuilder;
  call: TracedCall;
  /** The ONNX opset being written (17 or later). */
  opset: number;
  /** The value name of input i (constants become initializers on first use). */
  input(i: number): string;
  inTensor(i: number): Tensor;
  inSym(i: number): SymShape;
  /** The name output j must be written to. */
  out(j: number): string;
  outSym(j: number): SymShape;
  outDType(j: number): DType;
  /** Whether output j is read by anything exported (LayerNorm's mean, attention's lse usually are not). */
  outUsed(j: number): boolean;
  /** A typed error: this call's op (or one of its features) has no ONNX mapping. */
  unsupported(what?: string): Error;
}

/** Writes the ONNX nodes of one kernel call. */
export type OpMapping = (c: EmitContext) => void;
