// ONNX export of the primitive ops one by one (beyond what the layers use): a module that applies
// each op to its input and returns every result, exported once with a dynamic batch and checked
// in ONNX Runtime at two batch sizes — so each mapping in op-mappings.ts is compared with ours.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { Module } from "../src/nn/module.js";
import { checkOrt } from "./helpers/onnx-check.js";

st.manualSeed(7);
const W = st.randn([6, 4]);

/** Every mapped primitive applied to x [B, 6]. */
class OpZoo extends Module<[st.Tensor], st.Tensor[]> {
  forward(x: st.Tensor): st.Tensor[] {
    const a = x.abs();
    const idx = x.argmax(1).reshape([-1, 1]);
    const prodIn = x.clamp(-1.5, 1.5);
    return [
      x.neg(), a, x.sign(), x.exp(), x.expm1(), a.add(1).log(), a.log1p(), a.sqrt(), a.add(0.5).rsqrt(), x.square(),
      x.sin(), x.cos(), x.tanh(), x.sigmoid(), x.relu(), x.erf(), x.mul(2).floor(), x.mul(2).ceil(), x.mul(2).round(),
      x.isFinite(), x.isNaN(), x.gt(0).logicalNot(), a.pow(1.5), st.pow(x, 2), st.maximum(x, 0.3), st.minimum(x, -0.2),
      x.eq(x.round()), x.ne(0), x.lt(0.1), x.le(0.1), x.ge(-0.1), x.gt(0).logicalAnd(x.lt(1)), x.gt(1).logicalOr(x.lt(-1)),
      st.clamp(x, -0.5, 0.5), st.clamp(x, null, 0.2), st.clamp(x, -0.3),
      x.sum(1), x.mean(1, true), prodIn.prod(1), x.max(1), x.min(0), x.argmax(1), x.argmin(1, true), st.logsumexp(x, 1),
      st.cast(x.mul(3).floor(), "int32"), st.cast(x.gt(0), "float32"),
      x.matmul(W), x.matmul(x.transpose(0, 1)), x.reshape([-1, 2, 3]).permute([2, 0, 1]), x.reshape([-1, 1, 6]).expand([-1, 3, 6]),
      x.slice(null, [1, 5, 2]), st.cat([x, x.mul(2)], 1), st.cat([x, x.mul(-1)], 0), st.stack([x, x.exp()], 1),
      st.gather(x, 1, idx), st.scatterAdd(x, 1, idx, x.slice(null, [0, 1])), st.indexSelect(x, 1, st.tensor([4, 0, 4], { dtype: "int32" })),
      st.where(x.gt(0), x, x.mul(0.1)), x.softmax(0), x.logSoftmax(1), x.flatten(), x.sub(x.mean(0)).div(x.std(0).add(1)),
    ];
  }
}

describe("onnx export: primitives", () => {
  it("each mapped primitive matches ONNX Runtime at batch 3 and 5", async () => {
    const x = (b: number) => st.randn([b, 6]).mul(1.5);
    const { session } = await checkOrt(new OpZoo(), [[x(3)], [x(5)]], { dynamicAxes: { input: { 0: "batch" } } });
    expect(session.outputNames.length).toBeGreaterThan(60);
  });
});
