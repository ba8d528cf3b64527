// The convolution and pooling primitives at tensor level: conv2d, its two adjoints conv2dInput
// (= ConvTranspose2d's forward) and conv2dWeight, maxPool2d (saving argmax indices), avgPool2d
// and its adjoint avgPool2dBackward. Callers (nn/functional/conv.ts, pooling.ts) validate and
// normalize options; these compute output shapes and dispatch. The backward rules are below, as
// these same primitives: the three convolutions are bilinear and each one's gradients are the
// other two, so gradients of gradients work to any order.

import type { ConvAttrs, PoolAttrs } from "../backend/conv-params.js";
import { convOutSize, poolOutSize } from "../backend/conv-params.js";
import type { Tensor } from "../core/tensor.js";
import { isGradEnabled } from "../core/grad-mode.js";
import { dispatch, dispatchMany } from "./dispatch.js";
import { scatterAdd } from "./indexing.js";
import type { OpAttrs, OpNode } from "./op.js";
import { reshape } from "./shape.js";
import { sum } from "./reduce.js";
import { empty } from "./util.js";

export type { ConvAttrs, PoolAttrs };

/** The convolution attributes alone (no bias flag, inSize or kernel), for the primitives' attrs. */
function convOf(a: ConvAttrs): ConvAttrs {
  return { stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups };
}

/** y = conv2d(x, w) (+ b[o] per output channel): x [N, C, H, W], w [O, C/groups, KH, KW], b [O] → [N, O, OH, OW]. */
export function conv2dOp(x: Tensor, w: Tensor, a: ConvAttrs, b: Tensor | null = null): Tensor {
  const [n, , h, wd] = x.shape as [number, number, number, number];
  const [o, , kh, kw] = w.shape as [number, number, number, number];
  const oh = convOutSize(h, kh, a.stride[0], a.padding[0], a.dilation[0]);
  const ow = convOutSize(wd, kw, a.stride[1], a.padding[1], a.dilation[1]);
  return dispatch("conv2d", b ? [x, w, b] : [x, w], [n, o, oh, ow], x.dtype, { ...convOf(a), bias: b !== null });
}

/** dx = conv2dInput(dy, w) of spatial size inSize: the adjoint of conv2d in x (a transposed convolution). */
export function conv2dInputOp(dy: Tensor, w: Tensor, a: ConvAttrs, inSize: [number, number]): Tensor {
  const c = w.shape[1]! * a.groups;
  return dispatch("conv2dInput", [dy, w], [dy.shape[0]!, c, inSize[0], inSize[1]], dy.dtype, { ...convOf(a), inSize });
}

/** dw = conv2dWeight(x, dy) of kernel size `kernel`: the adjoint of conv2d in w. */
export function conv2dWeightOp(x: Tensor, dy: Tensor, a: ConvAttrs, kernel: [number, number]): Tensor {
  const shape = [dy.shape[1]!, x.shape[1]! / a.groups, kernel[0], kernel[1]];
  return dispatch("conv2dWeight", [x, dy], shape, x.dtype, { ...convOf(a), kernel });
}

/** Output spatial size of a pooling window over x [N, C, H, W]. */
export function poolOutShape(x: Tensor, a: PoolAttrs): [number, number] {
  return [
    poolOutSize(x.shape[2]!, a.kernel[0], a.stride[0], a.padding[0], a.dilation[0], a.ceilMode),
    poolOutSize(x.shape[3]!, a.kernel[1], a.stride[1], a.padding[1], a.dilation[1], a.ceilMode),
  ];
}

/** [y, indices]: the max of each window and its flat index r·W + col in its H×W plane (int32). */
export function maxPool2dOp(x: Tensor, a: PoolAttrs): [Tensor, Tensor] {
  const [oh, ow] = poolOutShape(x, a);
  const shape = [x.shape[0]!, x.shape[1]!, oh, ow];
  const [y, idx] = dispatchMany("maxPool2d", [x], [{ shape, dtype: x.dtype }, { shape: shape.slice(), dtype: "int32" }], { ...a });
  return [y!, idx!];
}

export function avgPool2dOp(x: Tensor, a: PoolAttrs): Tensor {
  const [oh, ow] = poolOutShape(x, a);
  return dispatch("avgPool2d", [x], [x.shape[0]!, x.shape[1]!, oh, ow], x.dtype, { ...a });
}

export function avgPool2dBackwardOp(dy: Tensor, a: PoolAttrs, inSize: [number, number]): Tensor {
  return dispatch("avgPool2dBackward", [dy], [dy.shape[0]!, dy.shape[1]!, inSize[0], inSize[1]], dy.dtype, { ...a, inSize });
}

const spatial = (s: readonly number[]): [number, number] => [s[2]!, s[3]!];

// ---- backward rules (rows of ops/gradients.ts) ---------------------------------------------------

/**
 * conv2d, inputs [x, w, b?]: dx = conv2dInput(g, w), dw = conv2dWeight(x, g), db = Σ_{n,i,j} g —
 * summed as two contiguous reductions (over each plane, then over the batch), which the native
 * reductions take, instead of one over the scattered dims [0, 2, 3].
 */
export function conv2dBackward(g: Tensor, [x, w]: Tensor[], a: OpAttrs["conv2d"], node: OpNode<"conv2d">, needs: boolean[]): (Tensor | null)[] {
  const [n, o] = g.shape as [number, number];
  return [
    needs[0] ? conv2dInputOp(g, w!, a, spatial(node.inShapes[0]!)) : null,
    needs[1] ? conv2dWeightOp(x!, g, a, spatial(node.inShapes[1]!)) : null,
    a.bias && needs[2] ? sum(sum(reshape(g, [n, o, -1]), 2), 0) : null,
  ];
}

/** conv2dInput, inputs [dy, w] (⟨conv2dInput(dy, w), G⟩ = ⟨dy, conv2d(G, w)⟩): d dy = conv2d(G, w), dw = conv2dWeight(G, dy). */
export function conv2dInputBackward(g: Tensor, [dy, w]: Tensor[], a: OpAttrs["conv2dInput"], node: OpNode<"conv2dInput">, needs: boolean[]): (Tensor | null)[] {
  const c = convOf(a);
  return [needs[0] ? conv2dOp(g, w!, c) : null, needs[1] ? conv2dWeightOp(g, dy!, c, spatial(node.inShapes[1]!)) : null];
}

/** conv2dWeight, inputs [x, dy] (⟨conv2dWeight(x, dy), G⟩ = ⟨dy, conv2d(x, G)⟩): dx = conv2dInput(dy, G), d dy = conv2d(x, G). */
export function conv2dWeightBackward(g: Tensor, [x, dy]: Tensor[], a: OpAttrs["conv2dWeight"], node: OpNode<"conv2dWeight">, needs: boolean[]): (Tensor | null)[] {
  const c = convOf(a);
  return [needs[0] ? conv2dInputOp(dy!, g, c, spatial(node.inShapes[0]!)) : null, needs[1] ? conv2dOp(x!, g, c) : null];
}

/**
 * maxPool2d, saved [indices]: g added at the argmax positions. Without createGraph one
 * maxPool2dBackward kernel does it; with it, scatterAdd (differentiable: its gradient is gather),
 * so gradients of gradients flow through max pooling.
 */
export function maxPool2dBackward(g: Tensor, [idx]: Tensor[], _a: OpAttrs["maxPool2d"], node: OpNode<"maxPool2d">): (Tensor | null)[] {
  const [n, c, h, w] = node.inShapes[0] as [number, number, number, number];
  if (!isGradEnabled()) return [dispatch("maxPool2dBackward", [g, idx!], [n, c, h, w], g.dtype, { inSize: [h, w] })];
  const flat = reshape(g, [n, c, -1]);
  const base = empty([n, c, h * w], g.dtype);
  return [reshape(scatterAdd(base, 2, reshape(idx!, [n, c, -1]), flat), [n, c, h, w])];
}

export function avgPool2dGrad(g: Tensor, _s: Tensor[], a: OpAttrs["avgPool2d"], node: OpNode<"avgPool2d">): (Tensor | null)[] {
  return [avgPool2dBackwardOp(g, a, spatial(node.inShapes[0]!))];
}

export function avgPool2dBackwardGrad(g: Tensor, _s: Tensor[], a: OpAttrs["avgPool2dBackward"]): (Tensor | null)[] {
  const { inSize: _in, ...pool } = a;
  return [avgPool2dOp(g, pool)];
}
