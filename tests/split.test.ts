// split/chunk as one multi-output primitive: one kernel writes every piece (js and native agree on
// every dtype), one autograd node takes all the pieces' gradients and its backward is one cat
// (zeros for a piece that got none), with per-piece hooks, retainGrad, grad(…, inputs), in-place
// ops and createGraph working as for any op; errors, dims and copy semantics as before; the
// MultiheadAttention and LSTMCell steps run no sliceBackward; ONNX exports it as Split.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { addKernelObserver, type KernelCall } from "../src/ops/dispatch.js";
import { Module } from "../src/nn/module.js";
import { decodeModel } from "../src/io/onnx/schema.js";
import { BACKENDS, describeOnBackends, onBackend } from "./helpers/backends.js";
import { expectError } from "./helpers/expect-error.js";
import { checkOrt } from "./helpers/onnx-check.js";

const f64 = (shape: number[], requiresGrad = true) =>
  st.arange(shape.reduce((a, b) => a * b, 1), { dtype: "float64" }).reshape(shape).requiresGrad_(requiresGrad);

/** The kernels `f` runs, as "op" or "op<-forwardOp" for backward kernels. */
function kernelsOf(f: () => void): string[] {
  const seen: string[] = [];
  const off = addKernelObserver({ after: (c: KernelCall) => seen.push(c.backward ? `${c.op}<-${c.backward.op}` : c.op) });
  try {
    f();
  } finally {
    off();
  }
  return seen;
}

describeOnBackends("split forward", () => {
  it("uneven sections along dim 1 give the exact blocks", () => {
    const x = st.arange(10).reshape([2, 5]);
    const [a, b, c] = st.split(x, [2, 1, 2], 1);
    expect(a!.toArray()).toEqual([[0, 1], [5, 6]]);
    expect(b!.toArray()).toEqual([[2], [7]]);
    expect(c!.toArray()).toEqual([[3, 4], [8, 9]]);
    expect([a!.dtype, b!.dtype, c!.dtype]).toEqual(["int32", "int32", "int32"]);
  });

  it("by size (last piece smaller), chunk's ⌈n/chunks⌉ rule and negative dims", () => {
    const x = st.arange(14).reshape([2, 7]);
    expect(st.split(x, 3, -1).map((t) => t.shape)).toEqual([[2, 3], [2, 3], [2, 1]]);
    expect(x.chunk(3, -1).map((t) => t.toArray())).toEqual([[[0, 1, 2], [7, 8, 9]], [[3, 4, 5], [10, 11, 12]], [[6], [13]]]);
    expect(x.split(1, -2).map((t) => t.toArray())).toEqual([[[0, 1, 2, 3, 4, 5, 6]], [[7, 8, 9, 10, 11, 12, 13]]]);
  });

  it("every dtype, past the native copy threshold, equals the slices (float32, float64, int32, bool)", () => {
    const base = st.randn([6, 9, 40], { generator: new st.Generator(3) });
    const cases: Tensor[] = [base, base.double(), base.mul(100).int(), base.gt(0)];
    for (const x of cases) {
      for (const [sizes, dim] of [[[3, 1, 5], 1], [[10, 30], 2], [[2, 4], 0]] as [number[], number][]) {
        const pieces = st.split(x, sizes, dim);
        let s = 0;
        pieces.forEach((p, t) => {
          expect(p.dtype).toBe(x.dtype);
          expect(p.dataSync()).toEqual(st.narrow(x, dim, s, sizes[t]!).dataSync());
          s += sizes[t]!;
        });
        // cat is split's inverse (the native cat copies one block per input)
        expect(st.cat(pieces, dim).dataSync()).toEqual(x.dataSync());
      }
    }
  });

  it("a zero-size piece, a single piece (x itself, as narrow of the whole dim) and an empty dim", () => {
    const x = st.arange(6).reshape([2, 3]);
    const [e, w] = st.split(x, [0, 3], 1);
    expect(e!.shape).toEqual([2, 0]);
    expect(w!.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(st.split(x, 3, 1)[0]).toBe(x);
    expect(st.split(st.zeros([0, 2]), 2)).toEqual([]);
  });
});

describe("split: the same pieces on js and native", () => {
  it.runIf(BACKENDS.includes("native"))("float32 pieces of a [16, 64, 384] split agree bit for bit", () => {
    const x = st.randn([16, 64, 384], { generator: new st.Generator(5) });
    const js = onBackend("js", () => st.split(x, 128, -1).map((t) => Array.from(t.dataSync())));
    const nat = onBackend("native", () => st.split(x, 128, -1).map((t) => Array.from(t.dataSync())));
    expect(nat).toEqual(js);
  });
});

describe("split: errors and copy semantics (as before the primitive)", () => {
  it("names the op and what it got", () => {
    const x = st.zeros([2, 5]);
    expectError(() => st.split(x, 0), st.ValueError, "split: size must be a positive integer (got 0)");
    expectError(() => st.split(x, 1.5, 1), st.ValueError, "split", "1.5");
    expectError(() => st.split(x, [2, 2], 1), st.ShapeError, "split: sections [2, 2] sum to 4, but dim 1 has size 5");
    expectError(() => st.split(x, 1, 2), st.ShapeError, "split: dim 2 is out of range for a 2-D tensor");
    expectError(() => st.chunk(x, 0), st.ValueError, "chunk: chunks must be a positive integer (got 0)");
  });

  it("pieces are copies: an in-place write into one is refused, x is unchanged", () => {
    const x = st.arange(4, { dtype: "float32" });
    const [a] = st.split(x, 2);
    expectError(() => a!.mul_(2), st.ValueError, "mul_", "slice (also behind index, narrow, split and chunk)", "copy");
    expect(x.toArray()).toEqual([0, 1, 2, 3]);
    expect(a!.clone().mul_(2).toArray()).toEqual([0, 2]);
  });

  it("int32 and bool pieces, and pieces of a float tensor without requiresGrad, record no graph", () => {
    for (const p of [...st.split(st.arange(6), 2), ...st.split(st.ones([4], { dtype: "bool" }), 2), ...st.split(st.ones([4]), 2)]) {
      expect(p.requiresGrad).toBe(false);
      expect(p.gradFn).toBeNull();
    }
  });
});

describeOnBackends("split backward", () => {
  it("one cat kernel writes the input gradient: no sliceBackward, no full-size adds", () => {
    const x = f64([4, 6]);
    const pieces = st.split(x, 2, 1);
    const loss = pieces.map((p, i) => p.mul(i + 1).sum()).reduce((a, b) => a.add(b));
    const ks = kernelsOf(() => loss.backward());
    expect(ks.filter((k) => k.endsWith("<-split"))).toEqual(["cat<-split"]);
    expect(ks.some((k) => k.startsWith("sliceBackward") || k.startsWith("add<-split"))).toBe(false);
    expect(x.grad!.toArray()).toEqual(Array.from({ length: 4 }, () => [1, 1, 2, 2, 3, 3]));
    expect(pieces[0]!.gradFn!.op).toBe("split");
  });

  it("a piece without gradient gets zeros; a piece used twice sums both uses", () => {
    const x = f64([2, 5]);
    const [a, , c] = st.split(x, [2, 1, 2], 1);
    a!.mul(a!).add(a!).sum().add(c!.mul(3).sum()).backward();
    // d/da (a² + a) = 2a + 1; the unused middle column 0; c: 3
    expect(x.grad!.toArray()).toEqual([[1, 3, 0, 3, 3], [11, 13, 0, 3, 3]]);
  });

  it("the forward runs one split kernel", () => {
    const x = f64([3, 6]);
    expect(kernelsOf(() => st.chunk(x, 3, 1))).toEqual(["split"]);
  });

  it("hooks and retainGrad stay per piece; grad(…, inputs) can ask for a piece", () => {
    const x = f64([2, 4]);
    const [a, b] = st.split(x, 2, 1);
    a!.registerHook((g) => g.mul(10));
    b!.retainGrad();
    const loss = a!.sum().add(b!.square().sum());
    loss.backward(undefined, { retainGraph: true });
    expect(b!.grad!.toArray()).toEqual([[4, 6], [12, 14]]);
    expect(x.grad!.toArray()).toEqual([[10, 10, 4, 6], [10, 10, 12, 14]]);
    const [ga, gx] = st.autograd.grad(loss, [a!, x]);
    expect(ga!.toArray()).toEqual([[10, 10], [10, 10]]);
    expect(gx!.toArray()).toEqual([[10, 10, 4, 6], [10, 10, 12, 14]]);
  });

  it("an in-place op on a piece's result and pieces of pieces", () => {
    const x = f64([2, 6]);
    const [a, b] = st.split(x, [4, 2], 1);
    const [a1, a2] = st.split(a!, 2, 1);
    const y = a2!.mul(1);
    y.mul_(3); // recorded on y's history, which leads back through both splits
    y.sum().add(b!.sum()).add(a1!.mul(0).sum()).backward();
    expect(x.grad!.toArray()).toEqual([[0, 0, 3, 3, 1, 1], [0, 0, 3, 3, 1, 1]]);
  });

  it("retainGraph lets a second backward accumulate; without it the second one is refused", () => {
    const x = f64([2, 2]);
    const [a, b] = st.split(x, 1, 0);
    const loss = a!.sum().add(b!.mul(2).sum());
    loss.backward(undefined, { retainGraph: true });
    loss.backward();
    expect(x.grad!.toArray()).toEqual([[2, 2], [4, 4]]);
    expectError(() => loss.backward(), st.AutogradError, "second time", "retainGraph");
  });

  it("createGraph: the gradient is differentiable (exact second derivative of Σ a³ + Σ b²)", () => {
    const x = st.tensor([1, 2, 3, 4], { dtype: "float64", requiresGrad: true });
    const [a, b] = st.split(x, [1, 3]);
    const [g] = st.autograd.grad(a!.pow(3).sum().add(b!.square().sum()), [x], { createGraph: true });
    expect(g!.toArray()).toEqual([3, 4, 6, 8]);
    const [h] = st.autograd.grad(g!.sum(), [x]);
    expect(h!.toArray()).toEqual([6, 2, 2, 2]);
  });

  it("anomaly mode and module tracing see a clean split backward", () => {
    const x = f64([2, 4]);
    const { reports } = st.stability.detectAnomaly(() => {
      const [a, b] = st.split(x, 2, 1);
      a!.mul(b!).sum().backward();
    }, { warnOnly: true });
    expect(reports).toEqual([]);
    expect(x.grad!.toArray()).toEqual([[2, 3, 0, 1], [6, 7, 4, 5]]);
  });
});

describe("MultiheadAttention self-attention step", () => {
  it("splits q, k, v with one split kernel, takes their gradient with one cat, no slice of the bias", () => {
    const m = new st.nn.MultiheadAttention(8, 2, { batchFirst: true });
    const x = st.randn([2, 5, 8], { generator: new st.Generator(9) });
    const ks = kernelsOf(() => {
      const [y] = m.call(x, x, x, { needWeights: false }) as [Tensor, Tensor | null];
      y.square().mean().backward();
    });
    expect(ks.filter((k) => k === "split")).toHaveLength(1);
    expect(ks.filter((k) => k === "cat<-split")).toHaveLength(1);
    expect(ks.filter((k) => k.startsWith("slice"))).toEqual([]);
    expect(m.inProjWeight!.grad!.abs().sum().item()).toBeGreaterThan(0);
    expect(m.inProjBias!.grad!.abs().sum().item()).toBeGreaterThan(0);
  });
});

describe("LSTMCell step", () => {
  it("splits the fused cell's [2, B, H] output into h' and c' with one split; backward one cat, no sliceBackward", () => {
    const cell = new st.nn.LSTMCell(3, 4);
    const x = st.randn([2, 3], { generator: new st.Generator(11) });
    const ks = kernelsOf(() => {
      const [h, c] = cell.call(x);
      h.square().sum().add(c.sum()).backward();
    });
    expect(ks.filter((k) => k === "split")).toHaveLength(1);
    expect(ks.filter((k) => k === "cat<-split")).toHaveLength(1);
    expect(ks.filter((k) => k.startsWith("slice"))).toEqual([]);
    expect(cell.weightIh.grad!.abs().sum().item()).toBeGreaterThan(0);
  });
});

class Pieces extends Module<[Tensor], Tensor[]> {
  forward(x: Tensor): Tensor[] {
    const [a, b, c] = st.split(x, [1, 3, 2], -1);
    return [a!.exp(), b!.mul(c!.sum(-1, true)), ...c!.chunk(2, -1)];
  }
}

describe("split in ONNX", () => {
  it("exports as Split with the sizes input; ONNX Runtime agrees at two batch sizes", async () => {
    const { bytes } = await checkOrt(new Pieces(), [[st.randn([3, 6])], [st.randn([5, 6])]], { dynamicAxes: { input: { 0: "batch" } } });
    const ops = decodeModel(bytes).graph.node.map((n) => n.op_type);
    expect(ops.filter((o) => o === "Split")).toHaveLength(2);
    expect(ops).not.toContain("Slice");
  });
});
