// st.nn.functional.scaledDotProductAttention: forward against a naive float64 reference written
// with plain loops, every mask kind (none, bool, additive, causal, broadcast padding), float64
// gradchecks and gradgradchecks, fully masked rows, length-1 sequences, ±1e4 logits, and the
// typed errors for bad masks.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { expectError } from "./helpers/expect-error.js";
import { describeOnBackends } from "./helpers/backends.js";
import { attention } from "../src/ops/attention.js";
import { recordObservers } from "../src/ops/record.js";
import { addKernelObserver } from "../src/ops/dispatch.js";
import { type AttentionArgs, attentionComposite, attentionPrimitive, checkAttentionArgs } from "../src/nn/functional/attention.js";

const F = st.nn.functional;
const f64 = { dtype: "float64" as const };

/** out[b, i] = Σ_j p_ij·v[b, j] with p the softmax of q·kᵀ·scale + mask (plain loops, float64). */
function naive(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, causal: boolean, scale?: number): number[] {
  const [L, E] = q.shape.slice(-2) as [number, number];
  const S = k.shape[k.ndim - 2]!, Ev = v.shape[v.ndim - 1]!;
  const B = q.size / (L * E);
  const sc = scale ?? 1 / Math.sqrt(E);
  const qa = Array.from(q.dataSync()), ka = Array.from(k.dataSync()), va = Array.from(v.dataSync());
  const full = mask ? st.broadcastTo(mask, [...q.shape.slice(0, -2), L, S]) : null;
  const ma = full ? Array.from(full.dataSync() as ArrayLike<number>, Number) : null;
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < L; i++) {
      const s: number[] = [];
      for (let j = 0; j < S; j++) {
        let d = 0;
        for (let e = 0; e < E; e++) d += qa[(b * L + i) * E + e]! * ka[(b * S + j) * E + e]!;
        d *= sc;
        if (causal && j > i) d = -Infinity;
        if (ma) d = mask!.dtype === "bool" ? (ma[(b * L + i) * S + j] ? d : -Infinity) : d + ma[(b * L + i) * S + j]!;
        s.push(d);
      }
      const m = Math.max(...s);
      const e = s.map((x) => (m === -Infinity ? 0 : Math.exp(x - m)));
      const z = e.reduce((a, c) => a + c, 0);
      for (let c = 0; c < Ev; c++) {
        let acc = 0;
        for (let j = 0; j < S; j++) acc += (z === 0 ? 0 : e[j]! / z) * va[(b * S + j) * Ev + c]!;
        out.push(acc);
      }
    }
  }
  return out;
}

const rnd = (shape: number[], requiresGrad = false) => st.randn(shape, { dtype: "float64", requiresGrad });

describe("scaledDotProductAttention: forward", () => {
  it("matches the naive reference for every mask kind", () => {
    st.manualSeed(1);
    const q = rnd([2, 3, 5, 4]), k = rnd([2, 3, 6, 4]), v = rnd([2, 3, 6, 3]);
    const bool = st.rand([2, 3, 5, 6]).gt(0.3);
    const additive = rnd([2, 3, 5, 6]);
    // padding: [B, 1, 1, S], key 4 and 5 of batch 1 are padding
    const pad = st.tensor([[[[true, true, true, true, true, true]]], [[[true, true, true, true, false, false]]]]);
    const cases: [string, Tensor | null, boolean][] = [["none", null, false], ["bool", bool, false], ["additive", additive, false], ["causal", null, true], ["padding", pad, false]];
    for (const [name, mask, causal] of cases) {
      const out = F.scaledDotProductAttention(q, k, v, { attnMask: mask, isCausal: causal });
      expect(out.shape, name).toEqual([2, 3, 5, 3]);
      expectClose(out.dataSync(), naive(q, k, v, mask, causal));
    }
  });

  it("custom scale, 3-D inputs, length-1 sequences and a batch of one", () => {
    const q = rnd([1, 1, 4]), k = rnd([1, 1, 4]), v = rnd([1, 1, 2]);
    // one key: the weight is 1, out = v
    expectClose(F.scaledDotProductAttention(q, k, v), v);
    const q2 = rnd([1, 3, 2]), k2 = rnd([1, 7, 2]), v2 = rnd([1, 7, 5]);
    expectClose(F.scaledDotProductAttention(q2, k2, v2, { scale: 0.3 }).dataSync(), naive(q2, k2, v2, null, false, 0.3));
  });

  it("fully masked rows give 0, and their gradients are 0", () => {
    const q = rnd([1, 3, 2], true), k = rnd([1, 4, 2], true), v = rnd([1, 4, 2], true);
    const mask = st.tensor([[[true, false, true, true], [false, false, false, false], [true, true, true, true]]]);
    const out = F.scaledDotProductAttention(q, k, v, { attnMask: mask });
    expect(out.index(0, 1).toArray()).toEqual([0, 0]);
    out.sum().backward();
    expect(q.grad!.index(0, 1).toArray()).toEqual([0, 0]);
    for (const g of [q.grad!, k.grad!, v.grad!]) expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it("±1e4 logits stay finite", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const q = st.tensor([[[100, 0], [-100, 0]]], { dtype }), k = st.tensor([[[100, 0], [-100, 0], [0, 0]]], { dtype });
      const v = st.tensor([[[1, 2], [3, 4], [5, 6]]], { dtype });
      const out = F.scaledDotProductAttention(q, k, v, { scale: 1 }); // scores ±1e4
      expectClose(out, [[[1, 2], [3, 4]]]);
    }
  });
});

describe("scaledDotProductAttention: gradients (float64)", () => {
  const masks = (): [string, Tensor | null, boolean][] => [
    ["none", null, false],
    ["bool", st.tensor([[true, false, true, true], [true, true, false, false], [false, false, false, false]]), false],
    ["additive", st.randn([3, 4], f64), false],
    ["causal", null, true],
    ["padding", st.tensor([[[true, true, false, false]], [[true, true, true, true]]]), false],
  ];
  it("gradcheck for every mask kind", () => {
    st.manualSeed(2);
    const q = rnd([2, 3, 3], true), k = rnd([2, 4, 3], true), v = rnd([2, 4, 2], true);
    for (const [name, attnMask, isCausal] of masks()) {
      const r = st.gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask, isCausal }), [q, k, v]);
      expect(r.ok, `${name}: ${r.message}`).toBe(true);
    }
  });
  it("gradgradcheck for every mask kind", () => {
    st.manualSeed(3);
    const q = rnd([2, 3, 2], true), k = rnd([2, 4, 2], true), v = rnd([2, 4, 2], true);
    for (const [name, attnMask, isCausal] of masks()) {
      const r = st.gradgradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask, isCausal }), [q, k, v]);
      expect(r.ok, `${name}: ${r.message}`).toBe(true);
    }
  });
});

describe("scaledDotProductAttention: errors", () => {
  const q = st.zeros([2, 3, 4]), k = st.zeros([2, 5, 4]), v = st.zeros([2, 5, 6]);
  it("a mask of the wrong shape names attnMask and the expected [..., L, S]", () => {
    expectError(() => F.scaledDotProductAttention(q, k, v, { attnMask: st.ones([3, 4], { dtype: "bool" }) }), st.ShapeError, "attnMask", "[3, 4]", "[2, 3, 5]");
    expectError(() => F.scaledDotProductAttention(q, k, v, { attnMask: st.ones([4, 3, 5], { dtype: "bool" }) }), st.ShapeError, "attnMask", "[4, 3, 5]");
  });
  it("a mask of the wrong dtype is a DTypeError naming attnMask", () => {
    expectError(() => F.scaledDotProductAttention(q, k, v, { attnMask: st.ones([3, 5], { dtype: "int32" }) }), st.DTypeError, "attnMask", "int32");
  });
  it("isCausal with attnMask is refused, as in PyTorch", () => {
    expectError(() => F.scaledDotProductAttention(q, k, v, { attnMask: st.ones([3, 5], { dtype: "bool" }), isCausal: true }), st.ValueError, "attnMask", "isCausal");
  });
  it("mismatched q/k/v shapes and dtypes", () => {
    expectError(() => F.scaledDotProductAttention(q, st.zeros([2, 5, 3]), v), st.ShapeError, "key", "[2, 5, 3]");
    expectError(() => F.scaledDotProductAttention(q, k, st.zeros([2, 4, 6])), st.ShapeError, "value", "[2, 4, 6]");
    expectError(() => F.scaledDotProductAttention(q, k.to("float64"), v), st.DTypeError, "float64");
    expectError(() => F.scaledDotProductAttention(q, k, v, { dropoutP: 1 }), st.ValueError, "dropoutP");
  });
});

// on every backend: the native kernels (native/attention*.cpp) must agree with the composite too
describeOnBackends("the attention primitive", () => {
  /** Forward and q/k/v gradients of the primitive and the composite under one cotangent. */
  function both(q: Tensor, k: Tensor, v: Tensor, opts: { attnMask?: Tensor | null; isCausal?: boolean }) {
    const run = (f: (a: AttentionArgs) => Tensor) => {
      const xs = [q, k, v].map((t) => t.detach().requiresGrad_(true));
      const out = f(checkAttentionArgs(xs[0]!, xs[1]!, xs[2]!, opts));
      const g = st.randn(out.shape, { dtype: out.dtype, generator: new st.Generator(7) });
      out.mul(g).sum().backward();
      return [out, ...xs.map((x) => x.grad!)];
    };
    return [run(attentionPrimitive), run((a) => attentionComposite(a))] as const;
  }

  it("records `attention` and saves lse [B, H, L], not the [L, S] probabilities", () => {
    const nodes: { op: string; saved: Tensor[] | null }[] = [];
    const obs = (n: { op: string; saved: Tensor[] | null }) => void nodes.push(n);
    recordObservers.push(obs);
    try {
      F.scaledDotProductAttention(rnd([2, 3, 7, 4], true), rnd([2, 3, 9, 4], true), rnd([2, 3, 9, 5], true));
    } finally {
      recordObservers.splice(recordObservers.indexOf(obs), 1);
    }
    const node = nodes.find((n) => n.op === "attention")!;
    expect(node).toBeDefined();
    expect(node.saved!.map((t) => t.shape)).toEqual([[2, 3, 7, 4], [2, 3, 9, 4], [2, 3, 9, 5], [2, 3, 7, 5], [2, 3, 7]]);
  });

  it("backward runs the attentionBackward kernel (one call), and differentiable ops under createGraph", () => {
    const q = rnd([1, 2, 3, 4], true), k = rnd([1, 2, 5, 4], true), v = rnd([1, 2, 5, 4], true);
    const seen: string[] = [];
    const off = addKernelObserver({ after: (c) => void seen.push(c.op) });
    try {
      F.scaledDotProductAttention(q, k, v, { isCausal: true }).sum().backward();
      expect(seen.filter((o) => o === "attention" || o === "attentionBackward")).toEqual(["attention", "attentionBackward"]);
      expect(seen).not.toContain("softmax");
      seen.length = 0;
      const [gq] = st.autograd.grad(F.scaledDotProductAttention(q, k, v).sum(), [q], { createGraph: true });
      expect(seen).not.toContain("attentionBackward");
      expect(gq!.requiresGrad).toBe(true);
    } finally {
      off();
    }
  });

  it("matches the composite on random sizes, across key blocks (S = 63, 64, 65, 130), float32 and float64", () => {
    const gen = new st.Generator(11);
    const sizes: [number, number, number, number][] = [[1, 1, 1, 1], [3, 5, 2, 3], [4, 63, 8, 5], [2, 64, 3, 3], [65, 65, 4, 2], [7, 130, 5, 6], [130, 3, 2, 2]];
    for (const dtype of ["float64", "float32"] as const) {
      for (const [L, S, E, Ev] of sizes) {
        const q = st.randn([2, 2, L, E], { dtype, generator: gen }), k = st.randn([2, 2, S, E], { dtype, generator: gen });
        const v = st.randn([2, 2, S, Ev], { dtype, generator: gen });
        const masks: [string, { attnMask?: Tensor; isCausal?: boolean }][] = [
          ["none", {}],
          ["causal", { isCausal: true }],
          ["bool [B, 1, 1, S]", { attnMask: st.rand([2, 1, 1, S], { generator: gen }).gt(0.3) }],
          ["bool [L, S]", { attnMask: st.rand([L, S], { generator: gen }).gt(0.5) }],
          ["additive [2, 1, L, S]", { attnMask: st.randn([2, 1, L, S], { dtype, generator: gen }) }],
        ];
        for (const [name, opts] of masks) {
          const [p, c] = both(q, k, v, opts);
          const tol = dtype === "float32" ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-10, atol: 1e-12 };
          p.forEach((t, i) => expectClose(t, c[i]!, { ...tol, message: `${dtype} L=${L} S=${S} ${name} tensor ${i}` }));
        }
      }
    }
  });

  it("the blhd and lbhd layouts (heads of [B, L, H·E] / [L, B, H·E] read in place) equal bhld, forward and gradients", () => {
    const q = rnd([2, 5, 3, 4], true), k = rnd([2, 70, 3, 4], true), v = rnd([2, 70, 3, 2], true); // [B, L, H, E]
    const pad = st.rand([2, 1, 1, 70]).gt(0.2);
    const o1 = attention(q, k, v, pad, { scale: 0.4, layout: "blhd" });
    expect(o1.shape).toEqual([2, 5, 3, 2]);
    const g = st.randn(o1.shape, f64);
    const [gq1, gk1, gv1] = st.autograd.grad(o1.mul(g).sum(), [q, k, v]);
    const t = (x: Tensor) => x.permute([0, 2, 1, 3]);
    const o2 = attention(t(q), t(k), t(v), pad, { scale: 0.4 });
    const [gq2, gk2, gv2] = st.autograd.grad(o2.mul(t(g)).sum(), [q, k, v]);
    expectClose(o1, t(o2));
    for (const [a, b] of [[gq1, gq2], [gk1, gk2], [gv1, gv2]] as const) expectClose(a!, b!);
    const pad4 = st.tensor([[[[true, false, true, true]]]]);
    // the sequence-first layout [L, B, H, E] likewise
    const u = (x: Tensor) => x.permute([1, 0, 2, 3]);
    const o3 = attention(u(q), u(k), u(v), pad, { scale: 0.4, layout: "lbhd" });
    expect(o3.shape).toEqual([5, 2, 3, 2]);
    expectClose(o3, u(o1));
    const g3 = st.autograd.grad(o3.mul(u(g)).sum(), [q, k, v]);
    for (const [a, b] of [[g3[0], gq1], [g3[1], gk1], [g3[2], gv1]] as const) expectClose(a!, b!);
    for (const layout of ["lbhd", "blhd"] as const) {
      const rr = st.gradgradcheck((a, b, c) => attention(a, b, c, null, { scale: 0.4, layout, causal: true }), [rnd([3, 1, 2, 2], true), rnd([3, 1, 2, 2], true), rnd([3, 1, 2, 2], true)]);
      expect(rr.ok, `${layout}: ${rr.message}`).toBe(true);
    }
    const r = st.gradcheck((a, b, c) => attention(a, b, c, pad4, { scale: 0.4, layout: "blhd" }), [rnd([1, 3, 2, 2], true), rnd([1, 4, 2, 2], true), rnd([1, 4, 2, 2], true)]);
    expect(r.ok, r.message).toBe(true);
  });

  it("gradcheck and gradgradcheck of the primitive with a causal mask and a fully masked row", () => {
    const mask = st.tensor([[[[true, true, false], [false, false, false]]]]);
    const f = (a: Tensor, b: Tensor, c: Tensor) => attention(a, b, c, mask, { scale: 0.7 });
    const xs = [rnd([1, 1, 2, 2], true), rnd([1, 1, 3, 2], true), rnd([1, 1, 3, 2], true)];
    for (const check of [st.gradcheck, st.gradgradcheck]) {
      const r = check(f, xs);
      expect(r.ok, r.message).toBe(true);
      const rc = check((a, b, c) => attention(a, b, c, null, { scale: 0.7, causal: true }), xs);
      expect(rc.ok, rc.message).toBe(true);
    }
  });

  it("dropout and a float mask that requires grad take the composite (the mask gets its gradient)", () => {
    const q = rnd([1, 2, 3], true), k = rnd([1, 4, 3], true), v = rnd([1, 4, 3], true);
    const m = rnd([2, 4], true);
    F.scaledDotProductAttention(q, k, v, { attnMask: m }).sum().backward();
    expect(m.grad!.shape).toEqual([2, 4]);
    const out = F.scaledDotProductAttention(q, k, v, { dropoutP: 0.5, generator: new st.Generator(1) });
    expect(out.shape).toEqual([1, 2, 3]);
  });

  it("refuses inconsistent operands with typed errors", () => {
    const q = st.zeros([1, 2, 3, 4]);
    expectError(() => attention(q, st.zeros([1, 2, 5, 3]), st.zeros([1, 2, 5, 4]), null, { scale: 1 }), st.ShapeError, "attention", "[1, 2, 5, 3]");
    expectError(() => attention(q, q, q, st.zeros([1, 2, 3, 2], { dtype: "bool" }), { scale: 1 }), st.ShapeError, "attention", "mask");
    expectError(() => attention(q, q.to("float64"), q, null, { scale: 1 }), st.DTypeError, "attention");
  });
});

describe("scaledDotProductAttention: edge cases of the primitive", () => {
  it("three batch dims with a mask broadcast over some of them match the reference", () => {
    const q = rnd([2, 3, 2, 4, 3]), k = rnd([2, 3, 2, 5, 3]), v = rnd([2, 3, 2, 5, 2]);
    for (const shape of [[3, 1, 4, 5], [2, 1, 1, 1, 5], [2, 3, 1, 4, 1], [5]]) {
      const m = st.rand(shape).gt(0.3);
      expectClose(F.scaledDotProductAttention(q, k, v, { attnMask: m }).dataSync(), naive(q, k, v, m, false), { message: `mask ${shape}` });
    }
  });

  it("no keys (S = 0) gives zeros; no queries (L = 0) gives an empty result", () => {
    const q = rnd([2, 3, 4], true), k = rnd([2, 0, 4], true), v = rnd([2, 0, 5], true);
    const out = F.scaledDotProductAttention(q, k, v);
    expect(out.shape).toEqual([2, 3, 5]);
    expect(Array.from(out.dataSync()).every((x) => x === 0)).toBe(true);
    out.sum().backward();
    expect(Array.from(q.grad!.dataSync()).every((x) => x === 0)).toBe(true);
    expect(F.scaledDotProductAttention(rnd([2, 0, 4]), rnd([2, 3, 4]), rnd([2, 3, 5])).shape).toEqual([2, 0, 5]);
  });

  it("NaN in a query propagates to its row only (forward and gradient); a masked NaN key does not leak", () => {
    const q = st.tensor([[[1, 2], [NaN, 0], [0, 1]]], { dtype: "float64", requiresGrad: true });
    const k = rnd([1, 4, 2], true), v = rnd([1, 4, 2], true);
    const out = F.scaledDotProductAttention(q, k, v).toArray() as number[][][];
    expect(out[0]![1]!.every(Number.isNaN)).toBe(true);
    expect([...out[0]![0]!, ...out[0]![2]!].every(Number.isFinite)).toBe(true);
    const kn = st.tensor([[[1, 0], [NaN, NaN], [0, 1]]], f64);
    const o2 = F.scaledDotProductAttention(rnd([1, 2, 2]), kn, rnd([1, 3, 2]), { attnMask: st.tensor([true, false, true]) });
    expect(Array.from(o2.dataSync()).every(Number.isFinite)).toBe(true);
    // a NaN value row at a masked key gets weight 0 and is skipped, in every row of a query tile
    const vn = st.tensor([[[1, 2], [NaN, NaN], [3, 4]]], { dtype: "float64", requiresGrad: true });
    const qn = rnd([1, 6, 2], true);
    const o3 = F.scaledDotProductAttention(qn, rnd([1, 3, 2]), vn, { attnMask: st.tensor([true, false, true]) });
    expect(Array.from(o3.dataSync()).every(Number.isFinite)).toBe(true);
    o3.sum().backward();
    expect(Array.from(qn.grad!.dataSync()).every(Number.isFinite)).toBe(true);
  });
});
