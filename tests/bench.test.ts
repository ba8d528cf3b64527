// The bench's own logic (no timing assertions): deterministic inputs equal to their Python twin,
// the run-count rule of measure, the ratio column, and the loss cross-check.

import { describe, expect, it } from "vitest";
import { detLabels, detUniform } from "../bench/data.js";
import { SLOW_RUNS, type Timing, measure, median } from "../bench/harness.js";
import { type Row, crossCheck, oursFor, table } from "../bench/report.js";

describe("bench inputs", () => {
  it("detUniform equals det_uniform of bench/torch_bench.py bit for bit", () => {
    // printed by: det_uniform(5, 10, 1/28), det_uniform(3, 1, 1.0), det_uniform(100000, 3, 1.0)[99999]
    expect(Array.from(detUniform(5, 10, 1 / 28))).toEqual([
      -0.03570754826068878, 0.00843773502856493, -0.01884555071592331, 0.025299733504652977, -0.0019835536368191242,
    ]);
    expect(Array.from(detUniform(3, 1, 1))).toEqual([-0.999981164932251, 0.23608683049678802, -0.5278452038764954]);
    expect(detUniform(100000, 3, 1)[99999]).toBe(0.5613428950309753);
  });

  it("detLabels covers every class", () => {
    expect(new Set(detLabels(128, 10)).size).toBe(10);
  });
});

describe("bench harness", () => {
  it("median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("measure takes minRuns timed runs after the warm-ups and records the second call's value", async () => {
    let calls = 0;
    const t = await measure({ run: () => ++calls }, { warmup: 2, minRuns: 3, maxRuns: 3, budgetMs: 0, slowMs: 1e9 });
    expect(calls).toBe(5);
    expect(t.runsMs).toHaveLength(3);
    expect(t.check).toBe(2);
    // with a single warm-up the second call is the first timed run
    const once = await measure({ run: () => 7 }, { warmup: 1, minRuns: 1, maxRuns: 1, budgetMs: 0, slowMs: 1e9 });
    expect(once.check).toBe(7);
    expect(t.minMs).toBeLessThanOrEqual(t.medianMs);
  });

  it("a case slower than slowMs gets one warm-up and SLOW_RUNS timed runs", async () => {
    let calls = 0;
    const t = await measure({ run: () => { calls++; } }, { warmup: 3, minRuns: 5, maxRuns: 10, budgetMs: 0, slowMs: -1 });
    expect(t.runsMs).toHaveLength(SLOW_RUNS);
    expect(calls).toBe(1 + SLOW_RUNS);
  });
});

function timing(medianMs: number, check: number | null = null, runs = 5): Timing {
  return { runsMs: Array(runs).fill(medianMs), minMs: medianMs, medianMs, check };
}

describe("bench report", () => {
  const rows: Row[] = [
    { workload: "mlp", case: "step", lib: "steady-js", timing: timing(100, 2.3) },
    { workload: "mlp", case: "step", lib: "steady-native", timing: timing(10, 2.3) },
    { workload: "mlp", case: "step", lib: "tfjs-wasm", timing: timing(25, 2.3000001) },
    { workload: "mlp", case: "step", lib: "jax-js", skipped: "not here" },
  ];
  const ours = new Set(["steady-js", "steady-native"]);

  it("ratios are the peer's median time over steady-native's (steady-js when native is absent)", () => {
    expect(oursFor(rows, "mlp", "step")?.lib).toBe("steady-native");
    const t = table(rows, "mlp", ["steady-native", "steady-js", "tfjs-wasm", "jax-js"], ours);
    const line = t.split("\n").find((l) => l.startsWith("| step"))!;
    const cells = line.split("|").map((c) => c.trim()).filter(Boolean);
    // step, native, js, tfjs-wasm, jax-js, tfjs-wasm ÷ ours, jax-js ÷ ours
    expect(cells).toEqual(["step", "10.0 (10.0)", "100 (100)", "25.0 (25.0)", "—", "2.50×", "—"]);
    const noNative = rows.filter((r) => r.lib !== "steady-native");
    expect(oursFor(noNative, "mlp", "step")?.lib).toBe("steady-js");
  });

  it("cells with only SLOW_RUNS timed runs are starred", () => {
    const slow: Row[] = [{ workload: "transformer", case: "fwd+bwd", lib: "steady-js", timing: timing(5000, null, SLOW_RUNS) }];
    expect(table(slow, "transformer", ["steady-js"], ours)).toContain("5000 (5000)*");
  });

  it("matmul cells show GFLOP/s = 2n³/t", () => {
    const mm: Row[] = [{ workload: "matmul", case: "n=1000", lib: "steady-js", timing: timing(2000) }];
    expect(table(mm, "matmul", ["steady-js"], ours)).toContain("1.00 (1.00)");
  });

  it("the loss cross-check agrees on equal losses and flags a different one", () => {
    expect(crossCheck(rows)[0]).toMatch(/^mlp loss after one Adam step agree/);
    const bad = [...rows, { workload: "mlp", case: "step", lib: "torch", timing: timing(5, 2.4) } as Row];
    expect(crossCheck(bad)[0]).toMatch(/^mlp loss after one Adam step DISAGREE/);
  });
});
