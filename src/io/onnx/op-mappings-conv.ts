// ONNX nodes for the convolution and pooling primitives (issue 15's layers): conv2d → Conv,
// conv2dInput (ConvTranspose2d's forward) → ConvTranspose, maxPool2d → MaxPool, avgPool2d →
// AveragePool. Conv1d and the 1-d pools reach these as their H = 1 case, so they export too.
// Only the batch axis may be dynamic: the spatial sizes are the example's (sym-infer.ts keeps them
// constant), and a dynamic height or width is refused rather than exported frozen.

import type { ConvAttrs, PoolAttrs } from "../../backend/conv-params.js";
import type { EmitContext, OpMapping } from "./emit-context.js";
import { isConst } from "./sym-shape.js";

/** ONNX's pads: begin of every spatial dim, then end of every spatial dim (ours are symmetric). */
const pads = (p: readonly [number, number]) => ({ ints: [p[0], p[1], p[0], p[1]] });

function spatialFixed(c: EmitContext): void {
  const s = c.inSym(0);
  if (!isConst(s[2]!) || !isConst(s[3]!)) throw c.unsupported("a dynamic height or width (only the batch axis of a convolution or pooling input may be dynamic)");
}

function conv2d(c: EmitContext): void {
  spatialFixed(c);
  const a = c.call.attrs as ConvAttrs & { bias: boolean };
  const w = c.inTensor(1);
  const inputs = [c.input(0), c.input(1)];
  if (a.bias) inputs.push(c.input(2));
  c.g.op("Conv", inputs, {
    kernel_shape: { ints: w.shape.slice(2) }, strides: { ints: a.stride }, pads: pads(a.padding),
    dilations: { ints: a.dilation }, group: { i: a.groups },
  }, c.out(0));
}

/**
 * conv2d's input gradient as a forward op (ConvTranspose2d): ONNX's ConvTranspose takes the same
 * weight layout [O, C/groups, KH, KW] (its input channels first); output_padding makes its output
 * size stride·(in − 1) + d·(k − 1) + 1 − 2p + output_padding equal the recorded inSize.
 */
function conv2dInput(c: EmitContext): void {
  spatialFixed(c);
  const a = c.call.attrs as ConvAttrs & { inSize: [number, number] };
  const dy = c.inTensor(0), w = c.inTensor(1);
  const k = w.shape.slice(2) as [number, number];
  const outPad = [0, 1].map((i) => a.inSize[i]! - (a.stride[i]! * (dy.shape[2 + i]! - 1) + a.dilation[i]! * (k[i]! - 1) + 1 - 2 * a.padding[i]!));
  c.g.op("ConvTranspose", [c.input(0), c.input(1)], {
    kernel_shape: { ints: k }, strides: { ints: a.stride }, pads: pads(a.padding), dilations: { ints: a.dilation },
    group: { i: a.groups }, output_padding: { ints: outPad },
  }, c.out(0));
}

function maxPool2d(c: EmitContext): void {
  spatialFixed(c);
  if (c.outUsed(1)) throw c.unsupported("its indices output (returnIndices)");
  const a = c.call.attrs as PoolAttrs;
  c.g.op("MaxPool", [c.input(0)], {
    kernel_shape: { ints: a.kernel }, strides: { ints: a.stride }, pads: pads(a.padding), dilations: { ints: a.dilation },
    ceil_mode: { i: a.ceilMode ? 1 : 0 },
  }, c.out(0));
}

function avgPool2d(c: EmitContext): void {
  spatialFixed(c);
  const a = c.call.attrs as PoolAttrs;
  if (a.divisorOverride > 0) throw c.unsupported("divisorOverride (ONNX's AveragePool has no divisor option)");
  if (a.dilation[0] !== 1 || a.dilation[1] !== 1) throw c.unsupported("a dilation other than 1");
  c.g.op("AveragePool", [c.input(0)], {
    kernel_shape: { ints: a.kernel }, strides: { ints: a.stride }, pads: pads(a.padding),
    ceil_mode: { i: a.ceilMode ? 1 : 0 }, count_include_pad: { i: a.countIncludePad ? 1 : 0 },
  }, c.out(0));
}

export const CONV_MAPPINGS: Record<string, OpMapping> = { conv2d, conv2dInput, maxPool2d, avgPool2d };
