// StandardScaler against hand-computed means and population standard deviations.
import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";

describe("StandardScaler", () => {
  // columns: [1, 2, 3, 4] → mean 2.5, var 1.25; [10, 10, 10, 10] → constant; [0, 0, 0, 8] → mean 2, var 12
  const train = () => st.tensor([[1, 10, 0], [2, 10, 0], [3, 10, 0], [4, 10, 8]], { dtype: "float32" });

  it("fits the column mean and population std (divisor n) and standardizes", () => {
    const s = new st.data.StandardScaler().fit(train());
    expect(s.toJSON().mean).toEqual([2.5, 10, 2]);
    const sc = s.toJSON().scale;
    expect(sc[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(sc[2]).toBeCloseTo(Math.sqrt(12), 12);
    const z = s.transform(train());
    expect(z.dtype).toBe("float32");
    const zr = z.toArray() as number[][];
    const k = 1 / Math.sqrt(1.25);
    [-1.5, -0.5, 0.5, 1.5].forEach((d, i) => expect(zr[i]![0]).toBeCloseTo(d * k, 6));
    expect(zr[3]![2]).toBeCloseTo(6 / Math.sqrt(12), 6);
  });

  it("a zero-variance column gets scale 1 and transforms to 0, never NaN, and inverts exactly", () => {
    const s = new st.data.StandardScaler();
    const z = s.fitTransform(train());
    expect(s.toJSON().scale[1]).toBe(1);
    expect((z.toArray() as number[][]).map((r) => r[1])).toEqual([0, 0, 0, 0]);
    expect(z.isNaN().int().sum().item()).toBe(0);
    const back = s.inverseTransform(z);
    expect((back.toArray() as number[][]).map((r) => r[1])).toEqual([10, 10, 10, 10]);
    expect(st.allclose(back, train(), { rtol: 1e-6, atol: 1e-6 })).toBe(true);
    // a single training row: every column has zero variance
    const one = new st.data.StandardScaler().fit(st.tensor([[3, 4]], { dtype: "float32" }));
    expect(one.transform(st.tensor([[3, 5]], { dtype: "float32" })).toArray()).toEqual([[0, 1]]);
  });

  it("applies the training statistics to test data (no refit)", () => {
    const s = new st.data.StandardScaler().fit(train());
    const zt = s.transform(st.tensor([[2.5, 11, 2]], { dtype: "float64" }));
    expect(zt.dtype).toBe("float64");
    expect(zt.toArray()).toEqual([[0, 1, 0]]);
    const r = st.data.StandardScaler.fromJSON(s.toJSON());
    expect(r.transform(train()).toArray()).toEqual(s.transform(train()).toArray());
  });

  it("withMean / withStd false skip centring / scaling", () => {
    const onlyScale = new st.data.StandardScaler({ withMean: false }).fit(train());
    expect(onlyScale.toJSON().mean).toEqual([0, 0, 0]);
    const onlyCentre = new st.data.StandardScaler({ withStd: false }).fit(train());
    expect(onlyCentre.transform(train()).toArray()).toEqual([[-1.5, 0, -2], [-0.5, 0, -2], [0.5, 0, -2], [1.5, 0, 6]]);
  });

  it("typed errors: unfitted, wrong feature count, not 2-D, non-finite data", () => {
    expect(() => new st.data.StandardScaler().transform(train())).toThrow(/call fit/);
    const s = new st.data.StandardScaler().fit(train());
    expect(() => s.transform(st.zeros([2, 2]))).toThrow(st.ShapeError);
    expect(() => s.transform(st.zeros([2, 2]))).toThrow(/has 2 features but the scaler was fitted on 3/);
    expect(() => s.fit(st.zeros([3]))).toThrow(st.ShapeError);
    expect(() => s.fit(st.tensor([[1, NaN], [2, 3]]))).toThrow(/column 1/);
    expect(() => st.data.StandardScaler.fromJSON({ mean: [0], scale: [0] })).toThrow(st.ValueError);
  });
});
