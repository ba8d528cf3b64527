// `steady train --model transformer` end to end as a process (small settings to stay fast): an
// encoder-only Transformer learns sequence reversal, prints token and whole-sequence accuracy and
// writes a complete run folder; `evaluate` and `predict` work on that run; a Transformer on a
// tabular dataset and a sequence task with --model mlp are one-line errors.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const tmp = mkdtempSync(join(tmpdir(), "steady-transformer-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function steady(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "src/cli/steady.ts"), ...args], {
    cwd: tmp,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: "1", CI: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const json = (f: string) => JSON.parse(readFileSync(f, "utf8")) as Record<string, unknown>;

function expectOneErrorLine(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^steady: error: /);
  expect(lines[0]).toMatch(pattern);
}

describe("steady train --model transformer → evaluate → predict", { timeout: 120_000 }, () => {
  let dir = "";

  it("reversal: exits 0, prints token and whole-sequence accuracy, writes a complete run folder", () => {
    // 2000 training sequences, 4 epochs (≈ 230 steps) of the default model
    const r = steady("train", "--dataset", "reversal", "--model", "transformer", "--samples", "2500", "--epochs", "4", "--out", "runs");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/transformer encoder 2 layers, d-model 32, 4 heads, ff 64, vocab 10, adam lr 0\.001/);
    const m = /held-out token accuracy ([\d.]+)% \((\d+)\/4000\), whole sequences ([\d.]+)% \((\d+)\/500\)/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(90); // chance is 10 %
    expect(Number(m![3])).toBeGreaterThan(50);
    const runs = readdirSync(join(tmp, "runs"));
    expect(runs).toHaveLength(1);
    dir = join(tmp, "runs", runs[0]!);
    for (const f of ["config.json", "run.json", "history.csv", "history.json", "model/config.json", "model/weights.safetensors"]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const cfg = json(join(dir, "config.json"));
    expect(cfg).toMatchObject({ dataset: "reversal", model: "transformer", layers: 2, dModel: 32, heads: 4, ff: 64, seqLen: 8, vocab: 10, samples: 2500, epochs: 4, lr: 0.001 });
    const run = json(join(dir, "run.json"));
    expect(run).toMatchObject({ task: "sequence", numClasses: 10, xScaler: null, testSamples: 500 });
    expect((run.results as Record<string, number>).accuracy).toBeCloseTo(Number(m![1]) / 100, 4);
    const model = json(join(dir, "model/config.json")) as { layers: { className: string }[] };
    expect(model.layers.map((l) => l.className)).toEqual(["embedding", "positionEmbedding", "transformerEncoder", "transformerEncoder", "dense"]);
    expect(readFileSync(join(dir, "history.csv"), "utf8").split("\n")[0]).toMatch(/^epoch,loss,accuracy,val_loss,val_accuracy/);
  });

  it("evaluate gives the same held-out result; predict reverses rows of tokens", () => {
    const ev = steady("evaluate", dir, "--json");
    expect(ev.code).toBe(0);
    const r = JSON.parse(ev.stdout) as Record<string, number | string>;
    expect(r.task).toBe("sequence");
    expect(r.accuracy).toBeCloseTo((json(join(dir, "run.json")).results as Record<string, number>).accuracy!, 12);
    expect(r.sequences).toBe(500);
    writeFileSync(join(tmp, "tokens.csv"), "1,2,3,4,5,6,7,8\n9,9,0,0,1,1,2,3\n");
    const p = steady("predict", dir, "--input", "tokens.csv");
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split("\n");
    expect(lines[0]).toBe("y0,y1,y2,y3,y4,y5,y6,y7");
    expect(lines).toHaveLength(3);
    const rows = lines.slice(1).map((l) => l.split(",").map(Number));
    const want = [[8, 7, 6, 5, 4, 3, 2, 1], [3, 2, 1, 1, 0, 0, 9, 9]];
    const right = rows.flat().filter((v, i) => v === want.flat()[i]).length;
    expect(right).toBeGreaterThanOrEqual(14); // of 16 tokens (held-out accuracy > 90 %)
    writeFileSync(join(tmp, "short.csv"), "1,2,3\n");
    expectOneErrorLine(steady("predict", dir, "--input", "short.csv"), /has 3 tokens per row but the model of .* takes sequences of 8 tokens/);
    writeFileSync(join(tmp, "big.csv"), "1,2,3,4,5,6,7,12\n");
    expectOneErrorLine(steady("predict", dir, "--input", "big.csv"), /row 1 holds 12, not a token 0\.\.9/);
  });

  it("a Transformer on a tabular dataset, and a sequence task with --model mlp, are one error line each", () => {
    expectOneErrorLine(steady("train", "--model", "transformer", "--dataset", "digits"), /--model transformer trains the sequence tasks \(--dataset reversal or copy\), not digits; use --model mlp/);
    expectOneErrorLine(steady("train", "--dataset", "copy", "--model", "mlp"), /--dataset copy is a sequence task for --model transformer; --model mlp trains the tabular datasets/);
  });
});
