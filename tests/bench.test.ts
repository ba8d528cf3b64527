// The bench's own logic (no timing assertions): deterministic inputs equal to their Python twin,
// the warm-up and interleaving rules, the ratio column, and the loss cross-check.

import { describe, expect, it } from "vitest";
import { detLabels, detUniform } from "../bench/data.js";
import { type Plan, type Prepared, Runner, SLOW_RUNS, type Timing, interleave, median } from "../bench/harness.js";
import { type Row, crossCheck, monitorOverhead, oursFor, table } from "../bench/report.js";
import { MLP_MONITOR_CASE, caseGroups, caseLabels } from "../bench/lib.js";

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

  const plan: Plan = { warmup: 2, warmupMs: 0, minRuns: 3, maxRuns: 3, budgetMs: 0, slowMs: 1e9, rounds: 1 };

  it("Runner warms up, times k runs and keeps the second call's value", async () => {
    let calls = 0;
    const r = new Runner({ run: () => ++calls });
    const warm = await r.warmUp(plan);
    expect(warm.slow).toBe(false);
    expect(calls).toBe(2);
    expect(await r.time(3, false)).toHaveLength(3);
    expect(calls).toBe(5);
    expect(await r.time(2, true)).toHaveLength(2); // plus one untimed run
    expect(calls).toBe(8);
    expect(r.check).toBe(2);
    // with a single warm-up and one call that returns nothing, the first value stays
    const once = new Runner({ run: () => 7 });
    await once.warmUp({ ...plan, warmup: 1 });
    expect(once.check).toBe(7);
  });

  it("the warm-up also lasts at least warmupMs", async () => {
    let calls = 0;
    const r = new Runner({ run: () => { calls++; const t = performance.now(); while (performance.now() - t < 1); } });
    const t0 = performance.now();
    await r.warmUp({ ...plan, warmup: 1, warmupMs: 20 });
    // the property itself (a count of 1 ms runs failed when the loaded machine preempted a run:
    // 9 calls filled the 20 ms); more than the one counted run proves the time rule ran them
    expect(performance.now() - t0).toBeGreaterThanOrEqual(20);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it("a warm-up run slower than slowMs ends the warm-up and marks the case slow", async () => {
    let calls = 0;
    const r = new Runner({ run: () => { calls++; } });
    expect((await r.warmUp({ ...plan, warmup: 3, slowMs: -1 })).slow).toBe(true);
    expect(calls).toBe(1);
  });

  /** A prepared case that logs which library ran how many runs, each taking `ms`. */
  function fake(name: string, log: string[], estMs: number, slow = false, failAt = -1): Prepared {
    let n = 0;
    return {
      warm: { estMs, slow },
      time: async (k, rewarm) => {
        if (n++ === failAt) throw new Error(`${name} broke`);
        expect(rewarm).toBe(!slow);
        log.push(`${name}${k}`);
        return { runsMs: Array.from({ length: k }, (_, i) => estMs + i), check: 1 };
      },
    };
  }

  it("interleave alternates the libraries round by round, rotating who goes first", async () => {
    const log: string[] = [];
    const p: Plan = { warmup: 1, warmupMs: 0, minRuns: 1, maxRuns: 100, budgetMs: 40, slowMs: 1e9, rounds: 4 };
    // 10 ms per round: a 1 ms case runs 10 times a round, a 5 ms case twice
    const [a, b] = await interleave([fake("a", log, 1), fake("b", log, 5)], p);
    expect(log).toEqual(["a10", "b2", "b2", "a10", "a10", "b2", "b2", "a10"]);
    expect((a as Timing).runsMs).toHaveLength(40);
    expect((b as Timing).runsMs).toHaveLength(8);
    expect((b as Timing).medianMs).toBe(5.5);
    expect((b as Timing).minMs).toBe(5);
  });

  it("interleave keeps run counts within minRuns..maxRuns over all rounds", async () => {
    const log: string[] = [];
    const p: Plan = { warmup: 1, warmupMs: 0, minRuns: 8, maxRuns: 12, budgetMs: 1000, slowMs: 1e9, rounds: 4 };
    const [fast, slowish] = await interleave([fake("f", log, 0.001), fake("s", log, 1e6)], p);
    expect((fast as Timing).runsMs).toHaveLength(12); // capped by maxRuns
    expect((slowish as Timing).runsMs).toHaveLength(8); // raised to minRuns
  });

  it("a slow case runs SLOW_RUNS times; a failing case reports its error and the others go on", async () => {
    const log: string[] = [];
    const p: Plan = { warmup: 1, warmupMs: 0, minRuns: 4, maxRuns: 4, budgetMs: 0, slowMs: 1, rounds: 4 };
    const [s, ok, bad] = await interleave([fake("s", log, 9, true), fake("o", log, 1), fake("x", log, 1, false, 1)], p);
    expect((s as Timing).runsMs).toHaveLength(SLOW_RUNS);
    expect((ok as Timing).runsMs).toHaveLength(4);
    expect(bad).toEqual({ error: "x broke" });
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

  it("the monitored MLP step is timed with the plain one, shown beside it, and its overhead is stated", () => {
    expect(caseLabels("mlp", [])).toEqual(["step", MLP_MONITOR_CASE]);
    expect(caseGroups("mlp", [])).toEqual([["step", MLP_MONITOR_CASE]]);
    expect(caseGroups("add", [])).toEqual([["grad"], ["nograd"]]);
    const withMon: Row[] = [
      ...rows,
      { workload: "mlp", case: MLP_MONITOR_CASE, lib: "steady-native", timing: { runsMs: [10.4, 10.4, 10.4, 13], minMs: 10.2, medianMs: 10.4, check: 2.3 } },
      { workload: "mlp", case: MLP_MONITOR_CASE, lib: "tfjs-wasm", skipped: "ours alone" },
    ];
    const t = table(withMon, "mlp", ["steady-native", "steady-js", "tfjs-wasm"], ours);
    const line = t.split("\n").find((l) => l.startsWith(`| ${MLP_MONITOR_CASE}`))!;
    expect(line.split("|").map((c) => c.trim()).filter(Boolean)).toEqual([MLP_MONITOR_CASE, "10.4 (10.2)", "—", "—", "—"]);
    const [o, ...more] = monitorOverhead(withMon);
    expect(more).toEqual([]);
    expect(o).toMatch(/^mlp monitor overhead on steady-native .*: \+4\.0 % from medians, \+2\.0 % from minima .*\+10\.5 % from means/);
    expect(o).not.toMatch(/DIFFERS/);
    // the monitored row is not a library of its own in the loss cross-check
    expect(crossCheck(withMon)[0]).not.toContain("steady-native 2.300000, steady-native");
  });
});
