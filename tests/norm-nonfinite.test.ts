// norm never hides a non-finite input: NaN anywhere in a reduced slice gives NaN, ±∞ gives +∞
// (1 for p < 0), in every position, for every order, on every backend, in float32 and float64.
// Expected values are PyTorch 1.13's torch.linalg.vector_norm / torch.norm (run once by hand:
// the table below is its output). Regression: [NaN, 1].norm() was 0, [∞, 1].norm() NaN, a row
// holding NaN had norm(2, 1) = 0 and the gradient of norm(0.5) at a zero entry was NaN.

import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/node.js";

const backends = st.backendInfo().native.loaded ? ["js", "native"] : ["js"];
const initial = st.getBackend();
afterAll(() => st.setBackend(initial));

const N = NaN;
const I = Infinity;
const ORDERS = [2, 1, 0, 0.5, 3, I, -I, -1] as const;

/** [input, expected norm for each of ORDERS], from PyTorch. */
const TABLE: [number[], number[]][] = [
  [[N, 1], [N, N, 2, N, N, N, N, N]],
  [[1, N], [N, N, 2, N, N, N, N, N]],
  [[I, 1], [I, I, 2, I, I, I, 1, 1]],
  [[1, I], [I, I, 2, I, I, I, 1, 1]],
  [[-I, 1], [I, I, 2, I, I, I, 1, 1]],
  [[I, N], [N, N, 2, N, N, N, N, N]],
  [[N, I], [N, N, 2, N, N, N, N, N]],
  [[1, N, 2], [N, N, 3, N, N, N, N, N]],
  [[0, 0], [0, 0, 0, 0, 0, 0, 0, 0]],
  [[3, 4], [5, 7, 2, 13.928203230275509, 4.497941445275415, 4, 3, 1.7142857142857144]],
];

for (const backend of backends) {
  describe(`norm of non-finite inputs (${backend})`, () => {
    for (const dtype of ["float64", "float32"] as const) {
      it.each(TABLE.map(([x, want]) => [JSON.stringify(x.map(String)), x, want] as const))(`${dtype} %s`, (_, x, want) => {
        st.setBackend(backend as "js");
        ORDERS.forEach((p, i) => {
          const got = st.tensor(x, { dtype }).norm(p).item();
          const w = want[i]!;
          if (Number.isNaN(w)) expect(got, `norm(${p})`).toBeNaN();
          else expect(got, `norm(${p})`).toBeCloseTo(w, dtype === "float64" ? 12 : 5);
        });
      });
    }

    it("norm(2, 1) of a row holding NaN is NaN, the other rows are untouched; keepdim too", () => {
      st.setBackend(backend as "js");
      const x = st.tensor([[3, 4], [N, 1], [1, N], [I, 2], [0, 0]]);
      const r = x.norm(2, 1).toArray() as number[];
      expect(r[0]).toBe(5);
      expect(r[1]).toBeNaN();
      expect(r[2]).toBeNaN();
      expect(r[3]).toBe(Infinity);
      expect(r[4]).toBe(0);
      expect(x.norm(3, 1, true).shape).toEqual([5, 1]);
      expect((x.norm(2, 0).toArray() as number[]).every(Number.isNaN)).toBe(true);
    });

    it("a NaN in a long vector is found wherever it is (first, middle, last)", () => {
      st.setBackend(backend as "js");
      for (const at of [0, 500, 999]) {
        const v = new Float32Array(1000).fill(0.5);
        v[at] = NaN;
        for (const p of ORDERS) {
          const got = st.tensor(v).norm(p).item();
          if (p === 0) expect(got).toBe(1000);
          else expect(got, `norm(${p}) with NaN at ${at}`).toBeNaN();
        }
      }
    });
  });
}

describe("norm gradients (PyTorch's values)", () => {
  it("at a zero entry the gradient is 0 for p = 0.5, 1, 2, 3", () => {
    const want: Record<number, number[]> = {
      0.5: [0, 2.224744871391589, -1.8164965809277265],
      1: [0, 1, -1],
      2: [0, 0.5547001962252291, -0.8320502943378437],
      3: [0, 0.37383614973583884, -0.8411313369056374],
    };
    for (const [p, g] of Object.entries(want)) {
      const x = st.tensor([0, 2, -3], { dtype: "float64", requiresGrad: true });
      x.norm(Number(p)).backward();
      const got = x.grad!.toArray() as number[];
      got.forEach((v, i) => expect(v, `p = ${p}, entry ${i}`).toBeCloseTo(g[i]!, 12));
    }
  });

  it("a NaN input gives NaN gradients everywhere; ∞ gives NaN at the ∞ and 0 elsewhere", () => {
    const a = st.tensor([N, 1], { dtype: "float64", requiresGrad: true });
    a.norm().backward();
    expect((a.grad!.toArray() as number[]).every(Number.isNaN)).toBe(true);
    const b = st.tensor([1, I], { dtype: "float64", requiresGrad: true });
    b.norm().backward();
    const gb = b.grad!.toArray() as number[];
    expect(gb[0]).toBe(0);
    expect(gb[1]).toBeNaN();
  });

  it("the gradient of the zero vector is 0", () => {
    const x = st.zeros([3], { dtype: "float64" }).requiresGrad_();
    x.norm(0.5).backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 0]);
  });

  it.each([0.5, 2, 3, -1])("passes a float64 gradcheck for p = %s, over a dim", (p) => {
    const x = st.tensor([[0.3, -1.2, 2], [1.5, 0.7, -0.4]], { dtype: "float64", requiresGrad: true });
    const r = st.gradcheck((a) => a.norm(p, 1), [x]);
    expect(r.ok, r.message).toBe(true);
  });
});

describe("norm of extreme finite inputs (float32)", () => {
  const rows: [string, number[], number][] = [
    ["1e30 entries (x² overflows float32)", [1e30, 1e30], Math.SQRT2 * 1e30],
    ["1e-30 entries (x² underflows float32)", [1e-30, -1e-30], Math.SQRT2 * 1e-30],
    ["a 3e38 entry next to 1", [3e38, 1], 3e38],
    ["subnormal 1e-45", [1e-45, 0], 1e-45],
    ["1e4 and −1e4", [1e4, -1e4, 0], Math.SQRT2 * 1e4],
  ];
  it.each(rows)("%s", (_, x, want) => {
    const got = st.tensor(x, { dtype: "float32" }).norm().item();
    expect(Number.isFinite(got)).toBe(true);
    expect(Math.abs(got - Math.fround(want)) / want).toBeLessThan(2e-7);
  });
});
