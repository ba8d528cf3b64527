// `steady train` end to end as a process (few epochs to stay fast): the default run exits 0,
// prints the held-out accuracy and writes a complete run folder; `evaluate` and `predict` work on
// that run; a run's config.json replays the run exactly; a CSV dataset and a regression run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";

const root = join(__dirname, "..");
const tmp = mkdtempSync(join(tmpdir(), "steady-train-"));

function steady(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "src/cli/steady.ts"), ...args], {
    cwd: tmp,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, NO_COLOR: "1", CI: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The one run folder under `parent`. */
function runDir(parent: string): string {
  const runs = readdirSync(join(tmp, parent));
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?$/);
  return join(tmp, parent, runs[0]!);
}

const json = (f: string) => JSON.parse(readFileSync(f, "utf8")) as Record<string, unknown>;

describe("steady train → evaluate → predict", { timeout: 600_000 }, () => {
  let dir = "";
  let accuracy = 0;

  it("the default run (digits) exits 0, prints the held-out accuracy and writes a complete run folder", () => {
    const r = steady("--epochs", "3", "--out", "runs-default");
    expect(r.stderr.split("\n").filter((l) => /error/i.test(l))).toEqual([]);
    expect(r.code).toBe(0);
    const m = /held-out accuracy (\d+\.\d\d)% \((\d+)\/359\)/.exec(r.stdout);
    expect(m).not.toBeNull();
    accuracy = Number(m![1]);
    expect(accuracy).toBeGreaterThan(85);
    dir = runDir("runs-default");
    expect(r.stdout).toContain("run written to runs-default/");
    for (const f of ["config.json", "run.json", "history.csv", "history.json", "model", "report.html"]) expect(existsSync(join(dir, f))).toBe(true);
    // the stability monitor ran: a healthy run says so right after the accuracy, and the report
    // (uPlot inlined) holds the epoch history and the monitor's checks (every 10 of 41×3 steps)
    const out = r.stdout.split("\n");
    expect(out[out.findIndex((l) => l.startsWith("held-out accuracy")) + 1]).toBe("no stability problems found");
    const report = readFileSync(join(dir, "report.html"), "utf8");
    expect(report).toContain("<title>steady train: digits, mlp 64-64-32-10 relu, adam lr 0.01 — stability report</title>");
    expect(report).toContain("No stability problems found.");
    expect(report).toContain("var uPlot=function()");
    const data = JSON.parse(/<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(report)![1]!) as { history: Record<string, number[]>; snapshots: { step: number }[] };
    expect(data.history.loss).toHaveLength(3);
    expect(data.snapshots.map((s) => s.step)).toEqual(Array.from({ length: 13 }, (_, i) => 10 * i));
    expect(readdirSync(join(dir, "model")).length).toBeGreaterThan(0);
    const cfg = json(join(dir, "config.json"));
    expect(cfg).toMatchObject({ dataset: "digits", model: "mlp", hidden: [64, 32], activation: "relu", optimizer: "adam", lr: 0.01, epochs: 3, batchSize: 32, seed: 0, validationSplit: 0.1, out: "runs-default" });
    const info = json(join(dir, "run.json"));
    expect(info).toMatchObject({ format: "steady-run", task: "classification", numClasses: 10, trainSamples: 1438, testSamples: 359 });
    expect((info.results as { accuracy: number }).accuracy * 100).toBeCloseTo(accuracy, 2);
    const csv = readFileSync(join(dir, "history.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(4);
    expect(csv[0]!.split(",")).toEqual(expect.arrayContaining(["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]));
    const hist = json(join(dir, "history.json")) as { epoch: number[]; history: Record<string, number[]> };
    expect(hist.epoch).toEqual([0, 1, 2]);
    expect(hist.history.loss!).toHaveLength(3);
    expect(hist.history.loss![2]!).toBeLessThan(hist.history.loss![0]!);
  });

  it("evaluate RUN prints the same held-out accuracy", () => {
    const r = steady("evaluate", dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`held-out accuracy ${accuracy.toFixed(2)}%`);
    const j = steady("evaluate", dir, "--json");
    expect((JSON.parse(j.stdout) as { accuracy: number }).accuracy * 100).toBeCloseTo(accuracy, 2);
  });

  it("predict RUN --input file.csv writes one prediction and 10 probabilities per row", () => {
    const { x, y } = st.datasets.loadDigits({ normalize: false });
    const header = [...Array.from({ length: 64 }, (_, i) => `p${i}`), "digit"].join(",");
    // digits are trained on pixels / 16: the file holds those values
    const scaled = (x.narrow(0, 0, 40).div(16).toArray() as number[][]).map((r, i) => [...r, (y.toArray() as number[])[i]].join(","));
    writeFileSync(join(tmp, "digits40.csv"), [header, ...scaled].join("\n") + "\n");
    const r = steady("predict", dir, "--input", "digits40.csv", "--output", "preds.csv");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("40 predictions written to preds.csv");
    const lines = readFileSync(join(tmp, "preds.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe(["prediction", ...Array.from({ length: 10 }, (_, k) => `p_${k}`)].join(","));
    expect(lines).toHaveLength(41);
    const preds = lines.slice(1).map((l) => l.split(",").map(Number));
    for (const p of preds) expect(p.slice(1).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
    const truth = (y.narrow(0, 0, 40).toArray() as number[]);
    expect(preds.filter((p, i) => p[0] === truth[i]).length).toBeGreaterThanOrEqual(34);
    // to standard output without --output
    const out = steady("predict", dir, "--input", "digits40.csv");
    expect(out.code).toBe(0);
    expect(out.stdout.trim().split("\n")).toEqual(lines);
    // a file with the wrong number of columns is one clear error
    writeFileSync(join(tmp, "narrow.csv"), "a,b\n1,2\n");
    const bad = steady("predict", dir, "--input", "narrow.csv");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toMatch(/^steady: error: narrow.csv has 2 columns but the model of .* takes 64 features/);
  });

  it("a CSV dataset with --target, options from --config, and config.json replays the run exactly", () => {
    const { x, y } = st.data.makeBlobs({ nSamples: 200, centers: 3, nFeatures: 3, seed: 4 });
    const xr = x.toArray() as number[][];
    const yr = y.toArray() as number[];
    writeFileSync(join(tmp, "blobs.csv"), ["f1,label,f2,f3", ...xr.map((r, i) => [r[0], yr[i], r[1], r[2]].join(","))].join("\n") + "\n");
    writeFileSync(join(tmp, "opts.json"), JSON.stringify({ epochs: 4, "batch-size": 16, hidden: "16", optimizer: "sgd", lr: 0.1, schedule: "cosine", clipnorm: 1, seed: 3 }));
    const r = steady("--dataset", "csv:blobs.csv", "--target", "label", "--config", "opts.json", "--hidden", "8,8", "--out", "runs-csv");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/held-out accuracy \d+\.\d\d% \(\d+\/40\)/);
    const d1 = runDir("runs-csv");
    const cfg = json(join(d1, "config.json"));
    // the command line wins over the file, which wins over the defaults
    expect(cfg).toMatchObject({ dataset: `csv:${join(tmp, "blobs.csv")}`, target: "label", epochs: 4, batchSize: 16, hidden: [8, 8], optimizer: "sgd", lr: 0.1, schedule: "cosine", clipnorm: 1, seed: 3 });
    const h1 = json(join(d1, "history.json")) as { history: Record<string, number[]> };
    // the cosine schedule: epoch e trains with lr 0.05·(1 + cos(π e / 4))
    expect(h1.history.lr!.map((v) => Number(v.toFixed(6)))).toEqual([0, 1, 2, 3].map((e) => Number((0.05 * (1 + Math.cos((Math.PI * e) / 4))).toFixed(6))));
    // predict on the training file itself: its "label" column (the run's target) is dropped
    const p = steady("predict", d1, "--input", "blobs.csv");
    expect(p.code).toBe(0);
    const pl = p.stdout.trim().split("\n");
    expect(pl[0]).toBe("prediction,p_0,p_1,p_2");
    expect(pl).toHaveLength(201);
    expect(pl.slice(1).filter((l, i) => Number(l.split(",")[0]) === yr[i]).length).toBeGreaterThan(150);
    const again = steady("--config", join(d1, "config.json"), "--out", "runs-replay");
    expect(again.code).toBe(0);
    const h2 = json(join(runDir("runs-replay"), "history.json")) as { history: Record<string, number[]> };
    expect(h2.history.loss).toEqual(h1.history.loss);
  });

  it("a diverging run (sgd lr 1e9) keeps its run folder but exits ≠ 0 with a clear last line", () => {
    const r = steady("--optimizer", "sgd", "--lr", "1e9", "--epochs", "2", "--out", "runs-nan");
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n").at(-1)).toMatch(/^steady: error: training diverged: the loss became NaN in epoch 1 .* lower --lr \(now 1000000000\) or set --clipnorm 1$/);
    expect(existsSync(join(runDir("runs-nan"), "history.csv"))).toBe(true);
    expect(existsSync(join(runDir("runs-nan"), "report.html"))).toBe(true);
    // the divergence error, not "no stability problems found", is what a diverged run says
    expect(r.stdout).not.toContain("no stability problems found");
  });

  it("a regression dataset (diabetes) reports MAE, RMSE and R² in target units, and evaluate agrees", () => {
    const r = steady("--dataset", "diabetes", "--epochs", "3", "--out", "runs-reg");
    expect(r.code).toBe(0);
    const m = /held-out MAE (\S+), RMSE (\S+), R² (\S+) \(88 samples\)/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(20);
    expect(Number(m![1])).toBeLessThan(120);
    const e = steady("evaluate", runDir("runs-reg"));
    expect(e.code).toBe(0);
    expect(e.stdout).toContain(`held-out MAE ${m![1]}, RMSE ${m![2]}, R² ${m![3]}`);
  });
});
