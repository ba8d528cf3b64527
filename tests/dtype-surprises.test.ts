// Silent dtype surprises of issue 10, now PyTorch's behaviour: bool + bool and bool · bool stay
// bool (logical or / and), −bool raises, an int32 sum that does not fit int32 raises instead of
// wrapping around, and st.full with a non-number raises instead of filling NaN.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { DTypeError } from "../src/index.js";
import { expectError } from "./helpers/expect-error.js";

const a = () => st.tensor([true, true, false, false]);
const b = () => st.tensor([true, false, true, false]);

describe("bool arithmetic", () => {
  it("bool + bool is bool (logical or), as promoteTypes('bool', 'bool') says", () => {
    const r = a().add(b());
    expect(st.promoteTypes("bool", "bool")).toBe("bool");
    expect(r.dtype).toBe("bool");
    expect(r.toArray()).toEqual([true, true, true, false]);
    expect(st.add(a(), true).toArray()).toEqual([true, true, true, true]);
  });

  it("bool · bool is bool (logical and); broadcasting works", () => {
    const r = a().mul(b());
    expect(r.dtype).toBe("bool");
    expect(r.toArray()).toEqual([true, false, false, false]);
    const m = st.tensor([[true], [false]]).mul(st.tensor([true, false]));
    expect(m.toArray()).toEqual([[true, false], [false, false]]);
  });

  it("bool + a number still promotes (bool + 1 is int32), bool / bool is float", () => {
    expect(a().add(1).dtype).toBe("int32");
    expect(a().add(1).toArray()).toEqual([2, 2, 1, 1]);
    expect(a().div(st.tensor([true, true, true, true])).dtype).toBe("float32");
  });

  it("in-place add_ on a bool mask stays a valid mask", () => {
    const m = a();
    m.add_(b());
    expect(m.toArray()).toEqual([true, true, true, false]);
    expect(m.sum().item()).toBe(3);
  });

  it("−bool raises a DTypeError that names logicalNot", () => {
    expectError(() => a().neg(), DTypeError, "neg", "bool", "logicalNot");
    expectError(() => st.neg(a()), DTypeError, "neg", "bool");
    expect(st.tensor([1, -2]).neg().toArray()).toEqual([-1, 2]);
  });
});

describe("int32 sums do not wrap around", () => {
  it("[2³¹−1, 2³¹−1].sum() raises (it was −2), naming the value and the cast", () => {
    const x = st.tensor([2147483647, 2147483647], { dtype: "int32" });
    expectError(() => x.sum(), DTypeError, "sum", "4294967294", "does not fit int32", "double()");
    expect(x.double().sum().item()).toBe(4294967294);
  });

  it("negative overflow and overflow in one row of a dim sum raise too", () => {
    expectError(() => st.tensor([-2147483648, -1], { dtype: "int32" }).sum(), DTypeError, "sum", "-2147483649");
    const m = st.tensor([[1, 2], [2147483647, 1]], { dtype: "int32" });
    expectError(() => m.sum(1), DTypeError, "sum", "2147483648");
    expectError(() => m.sum(0), DTypeError, "sum", "2147483648"); // column 0: 1 + (2³¹ − 1)
  });

  it("sums that fit are exact, including at the limits, with keepdim and over empty dims", () => {
    expect(st.tensor([2147483646, 1], { dtype: "int32" }).sum().item()).toBe(2147483647);
    expect(st.tensor([-2147483647, -1], { dtype: "int32" }).sum().item()).toBe(-2147483648);
    const m = st.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "int32" });
    const s = m.sum(1, true);
    expect(s.dtype).toBe("int32");
    expect(s.toArray()).toEqual([[6], [15]]);
    expect(st.zeros([0, 3], { dtype: "int32" }).sum(0).toArray()).toEqual([0, 0, 0]);
    expect(st.tensor([true, true, false]).sum().dtype).toBe("int32");
  });
});

describe("st.full with a value that is not a number", () => {
  it("a string raises instead of filling NaN", () => {
    expectError(() => st.full([2], "a" as never), DTypeError, "full", '"a"', "number or a boolean");
    expectError(() => st.full([2], null as never), DTypeError, "full", "null");
    expectError(() => st.full([2], undefined as never), DTypeError, "full", "undefined");
  });

  it("NaN itself is still a valid float fill value; booleans give bool", () => {
    expect(Number.isNaN(st.full([1], NaN).item())).toBe(true);
    expect(st.full([2], true).toArray()).toEqual([true, true]);
  });
});
