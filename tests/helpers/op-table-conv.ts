// Op-table rows of the convolution and pooling work (issue 15): the conv2d / conv2dInput /
// conv2dWeight primitives under stride, padding (incl. "same" and the non-zero modes), dilation
// and groups; max and average pooling; adaptive pooling, interpolation and group/instance/RMS
// normalization composites. Spread into OP_TABLE by tests/helpers/op-table.ts.

import * as st from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { conv2dInputOp, conv2dWeightOp } from "../../src/ops/conv.js";
import { randomTensor as r } from "./data.js";
import type { OpRow } from "./op-table.js";

const F = st.nn.functional;
const distinct = (shape: number[], seed: number) => r(shape, seed, { distinct: true, lo: -2, hi: 2 });

export const convRows: OpRow[] = [
  {
    name: "conv2d 3x3 with bias", fn: (x, w, b) => F.conv2d(x, w, b),
    inputs: () => [r([2, 3, 5, 5], 1500), r([4, 3, 3, 3], 1501), r([4], 1502)], smooth: true,
  },
  {
    name: "conv2d stride [2, 1], padding [1, 2], dilation [2, 1]",
    fn: (x, w) => F.conv2d(x, w, null, { stride: [2, 1], padding: [1, 2], dilation: [2, 1] }),
    inputs: () => [r([1, 2, 6, 5], 1503), r([3, 2, 2, 3], 1504)], smooth: true,
  },
  {
    name: "conv2d groups 2, stride 2 (input size not a multiple of the stride)",
    fn: (x, w, b) => F.conv2d(x, w, b, { groups: 2, stride: 2, padding: 1 }),
    inputs: () => [r([2, 4, 5, 4], 1505), r([6, 2, 2, 3], 1506), r([6], 1507)], smooth: true,
  },
  {
    name: "conv2d padding \"same\" with an even kernel (asymmetric) and dilation",
    fn: (x, w) => F.conv2d(x, w, null, { padding: "same", dilation: [1, 2] }),
    inputs: () => [r([1, 2, 4, 5], 1508), r([2, 2, 2, 2], 1509)], smooth: true,
  },
  {
    name: "conv2d paddingMode reflect", fn: (x, w) => F.conv2d(x, w, null, { padding: [1, 2], paddingMode: "reflect" }),
    inputs: () => [r([1, 2, 4, 4], 1510), r([2, 2, 3, 3], 1511)], smooth: true,
  },
  {
    name: "conv2d paddingMode replicate, stride 2", fn: (x, w) => F.conv2d(x, w, null, { padding: 1, stride: 2, paddingMode: "replicate" }),
    inputs: () => [r([1, 2, 4, 5], 1512), r([2, 2, 3, 3], 1513)], smooth: true,
  },
  {
    name: "conv2d paddingMode circular", fn: (x, w) => F.conv2d(x, w, null, { padding: [2, 1], paddingMode: "circular" }),
    inputs: () => [r([1, 1, 3, 4], 1514), r([2, 1, 3, 2], 1515)], smooth: true,
  },
  {
    name: "conv1d stride 2, padding 1, dilation 2, groups 3",
    fn: (x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2, groups: 3 }),
    inputs: () => [r([2, 3, 9], 1516), r([6, 1, 3], 1517), r([6], 1518)], smooth: true,
  },
  {
    name: "convTranspose2d stride 2, padding 1, outputPadding 1, groups 2, dilation [1, 2]",
    fn: (x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1, groups: 2, dilation: [1, 2] }),
    inputs: () => [r([1, 4, 3, 3], 1519), r([4, 3, 3, 2], 1520), r([6], 1521)], smooth: true,
  },
  {
    name: "convTranspose1d stride 3", fn: (x, w) => F.convTranspose1d(x, w, null, { stride: 3 }),
    inputs: () => [r([2, 2, 3], 1522), r([2, 3, 2], 1523)], smooth: true,
  },
  {
    name: "conv2dWeight primitive (conv2d's weight gradient) stride 2, groups 2",
    fn: (x, dy) => conv2dWeightOp(x, dy, { stride: [2, 2], padding: [1, 0], dilation: [1, 1], groups: 2 }, [3, 2]),
    inputs: () => [r([2, 4, 5, 4], 1524), r([2, 2, 3, 2], 1525)], smooth: true,
  },
  {
    name: "conv2dInput primitive (conv2d's input gradient), odd input size",
    fn: (dy, w) => conv2dInputOp(dy, w, { stride: [2, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }, [6, 4]),
    inputs: () => [r([1, 3, 3, 4], 1526), r([3, 2, 3, 3], 1527)], smooth: true,
  },
  {
    name: "maxPool2d 3x3 stride 2 padding 1 ceilMode", fn: (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
    inputs: () => [distinct([2, 2, 5, 6], 1528)], smooth: true,
  },
  {
    name: "maxPool2d 2x2 dilation 2", fn: (x) => F.maxPool2d(x, 2, { stride: 1, dilation: 2 }),
    inputs: () => [distinct([1, 2, 5, 4], 1529)], smooth: true,
  },
  { name: "maxPool1d 2, stride 1", fn: (x) => F.maxPool1d(x, 2, { stride: 1 }), inputs: () => [distinct([2, 2, 6], 1530)], smooth: true },
  {
    name: "avgPool2d 3x3 stride 2 padding 1 ceilMode, countIncludePad false",
    fn: (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
    inputs: () => [r([2, 2, 5, 6], 1531)], smooth: true,
  },
  {
    name: "avgPool2d [2, 3] padding [1, 1], divisorOverride 4",
    fn: (x) => F.avgPool2d(x, [2, 3], { padding: [1, 1], divisorOverride: 4 }), inputs: () => [r([1, 3, 4, 5], 1532)], smooth: true,
  },
  { name: "avgPool1d 3, stride 2, padding 1", fn: (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1 }), inputs: () => [r([2, 2, 7], 1533)], smooth: true },
  { name: "adaptiveAvgPool2d 5x7 → [3, 2]", fn: (x) => F.adaptiveAvgPool2d(x, [3, 2]), inputs: () => [r([2, 2, 5, 7], 1534)], smooth: true },
  { name: "interpolate nearest, scaleFactor 2", fn: (x) => F.interpolate(x, { scaleFactor: 2 }), inputs: () => [r([1, 2, 2, 3], 1535)], smooth: true },
  {
    name: "interpolate bilinear to [5, 3]", fn: (x) => F.interpolate(x, { size: [5, 3], mode: "bilinear" }),
    inputs: () => [r([1, 2, 3, 4], 1536)], smooth: true,
  },
  {
    name: "interpolate bilinear, alignCorners", fn: (x) => F.interpolate(x, { size: [4, 5], mode: "bilinear", alignCorners: true }),
    inputs: () => [r([2, 1, 3, 3], 1537)], smooth: true,
  },
  {
    name: "groupNorm 2 groups, affine", fn: (x, w, b) => F.groupNorm(x, 2, w, b),
    inputs: () => [r([2, 4, 3, 2], 1538), r([4], 1539), r([4], 1540)], smooth: true,
  },
  { name: "instanceNorm [N, C, H, W]", fn: (x) => F.instanceNorm(x), inputs: () => [r([2, 3, 3, 2], 1541)], smooth: true },
  { name: "rmsNorm over the last dim, weight", fn: (x, w) => F.rmsNorm(x, [4], w, 1e-6), inputs: () => [r([3, 4], 1542), r([4], 1543)], smooth: true },
];
