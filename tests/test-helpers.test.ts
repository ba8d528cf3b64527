// The test helpers that other tests rely on, checked themselves: the naive references of the op
// table's forward checks on hand-computed values, and expectClose's tolerances (both or neither,
// PyTorch's assert_close defaults per dtype) — a helper that cannot fail hides every failure.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { TOLERANCES, expectClose } from "./helpers/close.js";
import type { CloseOptions } from "./helpers/close.js";
import { naiveExpand, naiveSliceScatter } from "./helpers/reference.js";
import { BACKENDS, describeOnBackends, onBackend, useBackend } from "./helpers/backends.js";

describe("naive index-map references", () => {
  it("naiveExpand repeats size-1 dims and prepends new ones; −1 keeps a size", () => {
    expect(naiveExpand({ shape: [2, 1], data: [1, 2] }, [2, 2, 3])).toEqual({
      shape: [2, 2, 3], data: [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2],
    });
    expect(naiveExpand({ shape: [1, 3], data: [4, 5, 6] }, [2, -1])).toEqual({ shape: [2, 3], data: [4, 5, 6, 4, 5, 6] });
    expect(() => naiveExpand({ shape: [2], data: [1, 2] }, [3])).toThrow(/cannot expand/);
  });

  it("naiveSliceScatter writes src at start + i·step per dim and leaves the rest of base", () => {
    const base = { shape: [3, 4], data: Array.from({ length: 12 }, () => 0) };
    const src = { shape: [2, 2], data: [1, 2, 3, 4] };
    expect(naiveSliceScatter(base, src, [0, 1], [2, 2])).toEqual({
      shape: [3, 4], data: [0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4],
    });
    expect(base.data.every((v) => v === 0)).toBe(true);
  });
});

describe("expectClose tolerances", () => {
  it("refuses a single tolerance (atol used to default silently to rtol)", () => {
    expect(() => expectClose(1, 1, { rtol: 1e-9 } as unknown as CloseOptions)).toThrow(/got rtol only \(give both rtol and atol/);
    expect(() => expectClose(1, 1, { atol: 1e-9 } as unknown as CloseOptions)).toThrow(/got atol only/);
  });

  it("defaults to PyTorch's assert_close tolerances of the actual dtype", () => {
    expect(TOLERANCES.float32).toEqual({ rtol: 1.3e-6, atol: 1e-5 });
    expect(TOLERANCES.float64).toEqual({ rtol: 1e-7, atol: 1e-7 });
    // float32: 1 + 1.1e-5 is within 1e-5 + 1.3e-6·1, 1 + 1.2e-5 is not
    expectClose(st.tensor([1 + 1.1e-5], { dtype: "float32" }), [1]);
    expect(() => expectClose(st.tensor([1 + 1.2e-5], { dtype: "float32" }), [1])).toThrow(/1 of 1 elements differ \(rtol 0.0000013, atol 0.00001\)/);
    // plain numbers count as float64
    expectClose(1 + 1.5e-7, 1);
    expect(() => expectClose(1 + 2.5e-7, 1)).toThrow(/elements differ/);
  });

  it("uses both given tolerances: atol 0 makes a zero expectation exact", () => {
    expectClose([0, 1 + 1e-12], [0, 1], { rtol: 1e-11, atol: 0 });
    expect(() => expectClose([1e-300], [0], { rtol: 1e-3, atol: 0 })).toThrow(/worst at \[0\]: actual 1e-300 vs expected 0/);
  });
});

describe("running on every backend", () => {
  it("lists js first, and native exactly when the Node entry loaded the addon", () => {
    expect(BACKENDS[0]).toBe("js");
    expect(BACKENDS.includes("native")).toBe(st.backendInfo().native.loaded);
    expect(st.getBackend()).toBe("js"); // files start on js whatever the Node entry chose
  });

  it("useBackend and onBackend switch and restore the previous backend", () => {
    for (const b of BACKENDS) {
      const restore = useBackend(b);
      expect(st.getBackend()).toBe(b);
      restore();
      expect(st.getBackend()).toBe("js");
      expect(onBackend(b, () => st.getBackend())).toBe(b);
      expect(st.getBackend()).toBe("js");
      expect(() => onBackend(b, () => { throw new Error("boom"); })).toThrow("boom");
      expect(st.getBackend()).toBe("js");
    }
  });

  const seen: string[] = [];
  describeOnBackends("describeOnBackends", (backend) => {
    it("makes its backend active inside", () => {
      expect(st.getBackend()).toBe(backend);
      seen.push(backend);
    });
  });
  it("ran the block once per backend and restored js afterwards", () => {
    expect(seen).toEqual([...BACKENDS]);
    expect(st.getBackend()).toBe("js");
  });
});
