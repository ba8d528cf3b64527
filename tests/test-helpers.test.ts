// The naive references that the op table's forward checks rely on, checked on hand-computed
// values (a wrong reference would otherwise pass or fail the op table for the wrong reason).

import { describe, expect, it } from "vitest";
import { naiveExpand, naiveSliceScatter } from "./helpers/reference.js";

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
