// st.profile on the digits MLP of examples/digits-mlp.ts: per-kernel rows whose call counts follow
// from the steps run, a table sorted like PyTorch's key_averages().table(), and no cost after.

import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { modulePathsWanted } from "../src/core/module-path.js";

describe("st.profile", () => {
  it("lists linear / relu / logSoftmax / adam rows whose calls match the steps of a digits MLP", () => {
    st.manualSeed(0);
    const { x, y } = st.datasets.loadDigits();
    const model = new st.nn.Sequential(new st.nn.Linear(64, 32), new st.nn.ReLU(), new st.nn.Linear(32, 10));
    const opt = new st.optim.Adam(model.parameters(), { lr: 1e-2 });
    const steps = 3;
    const prof = st.profile(() => {
      let loss = 0;
      for (let s = 0; s < steps; s++) {
        const idx = st.arange(s * 32, (s + 1) * 32, { dtype: "int32" });
        opt.zeroGrad();
        const l = st.nn.functional.crossEntropy(model.call(x.indexSelect(0, idx)), y.indexSelect(0, idx));
        l.backward();
        opt.step();
        loss = l.item();
      }
      return loss;
    });
    expect(Number.isFinite(prof.result)).toBe(true);
    const row = (op: string, path = "") => prof.rows.find((r) => r.op === op && r.modulePath === path);
    expect(row("linear", "0")?.calls).toBe(steps);
    expect(row("linear", "2")?.calls).toBe(steps);
    expect(row("relu", "1")?.calls).toBe(steps);
    expect(row("logSoftmax")?.calls).toBe(steps);
    // one Adam kernel per parameter per step (2 weights, 2 biases)
    expect(row("adamStep")?.calls).toBe(4 * steps);
    expect(row("adamStep")?.bytesOut).toBe(0);
    // linear "0" writes [32, 32] float32 per call
    expect(row("linear", "0")?.bytesOut).toBe(steps * 32 * 32 * 4);
    for (const r of prof.rows) {
      expect(r.calls).toBeGreaterThan(0);
      expect(r.meanMs).toBeCloseTo(r.totalMs / r.calls, 12);
    }
    // rows come sorted by total time, descending
    for (let i = 1; i < prof.rows.length; i++) expect(prof.rows[i - 1]!.totalMs).toBeGreaterThanOrEqual(prof.rows[i]!.totalMs);
    expect(prof.totalMs).toBeCloseTo(prof.rows.reduce((s, r) => s + r.totalMs, 0), 9);

    const table = prof.table({ sortBy: "calls", rowLimit: 3 });
    const lines = table.split("\n");
    expect(lines[1]).toMatch(/^Name\s+Module\s+Calls\s+Total ms\s+Mean ms\s+% total\s+Bytes out$/);
    // 3 separator/header lines, 3 rows, a separator and the total
    expect(lines.length).toBe(3 + 3 + 2);
    const calls = lines.slice(3, 6).map((l) => Number(l.trim().split(/\s+/)[2]));
    expect(calls).toEqual(calls.slice().sort((a, b) => b - a));
    expect(calls[0]).toBe(Math.max(...prof.rows.map((r) => r.calls)));
    expect(() => prof.table({ sortBy: "speed" as never })).toThrow(st.ValueError);
  });

  it("removes its observer afterwards, also when fn throws, and profiles an async fn until it settles", async () => {
    expect(() => st.profile(() => { throw new Error("boom"); })).toThrow("boom");
    expect(modulePathsWanted()).toBe(false);
    const p = await st.profile(async () => {
      await Promise.resolve();
      return st.ones([3]).add(1).sum().item();
    });
    expect(p.result).toBe(6);
    expect(p.rows.map((r) => r.op).sort()).toEqual(["add", "sum"]);
    expect(modulePathsWanted()).toBe(false);
  });
});
