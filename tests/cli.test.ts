// The `steady` command as a process: help, version, info, and every bad-input case ends with one
// clear `steady: error: …` line on stderr and a non-zero exit status (no training needed).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const tmp = mkdtempSync(join(tmpdir(), "steady-cli-"));

function steady(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  // tsx's CLI (what `npx tsx` runs), started from a temporary folder so runs land there
  const r = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "src/cli/steady.ts"), ...args], {
    cwd: tmp,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit ≠ 0 and stderr is exactly one line `steady: error: …` matching `pattern`. */
function expectOneErrorLine(r: ReturnType<typeof steady>, pattern: RegExp): void {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^steady: error: /);
  expect(lines[0]).toMatch(pattern);
}

describe("steady (no training)", { timeout: 120_000 }, () => {
  it("--help lists the subcommands; train --help lists its options", () => {
    const r = steady("--help");
    expect(r.code).toBe(0);
    for (const c of ["train", "evaluate", "predict", "info"]) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    const t = steady("train", "--help");
    expect(t.code).toBe(0);
    for (const o of ["--dataset", "--target", "--hidden", "--activation", "--optimizer", "--lr", "--schedule", "--epochs", "--batch-size", "--clipnorm", "--seed", "--backend", "--config", "--out", "--validation-split"]) {
      expect(t.stdout).toContain(o);
    }
  });

  it("--version prints the package version", () => {
    const r = steady("--version");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("info prints version, backend, ISA and threads; --json is machine-readable", () => {
    const r = steady("info");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^steadytensor \d+\.\d+\.\d+/);
    for (const k of ["backend", "ISA", "threads"]) expect(r.stdout).toMatch(new RegExp(`^${k}\\s`, "m"));
    const j = steady("info", "--json", "--backend", "js");
    expect(j.code).toBe(0);
    const info = JSON.parse(j.stdout) as { version: string; backend: string; available: string[] };
    expect(info.backend).toBe("js");
    expect(info.available).toContain("js");
  });

  it.each([
    ["unknown dataset", ["--dataset", "mnist"], /unknown dataset "mnist"/],
    ["epochs not a number", ["--epochs", "abc"], /--epochs expects a positive integer, got "abc"/],
    ["batch size 0", ["--batch-size", "0"], /--batch-size expects a positive integer, got "0"/],
    ["negative learning rate", ["--lr=-1"], /--lr expects a positive number, got "-1"/],
    ["bad hidden sizes", ["--hidden", "64,x"], /--hidden expects comma-separated positive integers/],
    ["validation split 1", ["--validation-split", "1"], /--validation-split expects a fraction in \[0, 1\)/],
    ["unknown optimizer", ["--optimizer", "adamz"], /'--optimizer <name>' argument 'adamz' is invalid. Allowed choices are adam, sgd, rmsprop/],
    ["unknown option", ["--epochz", "3"], /unknown option '--epochz'/],
    ["target without csv", ["--target", "label"], /--target applies to --dataset csv:PATH only/],
    ["transformer on a tabular dataset", ["--model", "transformer", "--dataset", "iris"], /--model transformer trains the sequence tasks \(--dataset reversal or copy\), not iris/],
    ["sequence task with mlp", ["--dataset", "reversal", "--model", "mlp"], /--dataset reversal is a sequence task for --model transformer/],
    ["mlp option with transformer", ["--dataset", "copy", "--hidden", "8"], /--hidden applies to --model mlp only/],
    ["transformer option with mlp", ["--d-model", "32"], /--d-model applies to --model transformer only/],
    ["heads not dividing d-model", ["--model", "transformer", "--d-model", "30"], /--heads 4 must divide --d-model 30/],
    ["unreadable csv", ["--dataset", "csv:no-such.csv"], /readCsv: cannot read ".*no-such\.csv": no such file/],
    ["missing config file", ["--config", "nope.json"], /cannot read config file "nope.json": no such file/],
  ])("train: %s → one error line, exit ≠ 0", (_, args, pattern) => {
    expectOneErrorLine(steady("train", ...args), pattern);
  });

  it("config file: unknown key, bad value and invalid JSON are one-line errors", () => {
    writeFileSync(join(tmp, "bad-key.json"), JSON.stringify({ epochs: 2, colour: "red" }));
    expectOneErrorLine(steady("--config", "bad-key.json"), /config file "bad-key.json": unknown option "colour"/);
    writeFileSync(join(tmp, "bad-value.json"), JSON.stringify({ "batch-size": -3 }));
    expectOneErrorLine(steady("--config", "bad-value.json"), /config file "bad-value.json": --batch-size expects a positive integer, got "-3"/);
    writeFileSync(join(tmp, "bad.json"), "{ epochs: 2");
    expectOneErrorLine(steady("--config", "bad.json"), /config file "bad.json" is not valid JSON/);
  });

  it("unknown target column of a CSV dataset names the column and the file", () => {
    writeFileSync(join(tmp, "t.csv"), "a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,10,0\n");
    expectOneErrorLine(steady("--dataset", "csv:t.csv", "--target", "price"), /unknown target column "price" \(.*t\.csv\); columns: a, b, label/);
  });

  it("evaluate / predict on a folder that is not a run, or that does not exist", () => {
    mkdirSync(join(tmp, "empty"), { recursive: true });
    expectOneErrorLine(steady("evaluate", "empty"), /"empty" is not a run folder of steady train \(missing config.json, run.json, model\)/);
    expectOneErrorLine(steady("evaluate", "nowhere"), /run folder "nowhere" does not exist/);
    expectOneErrorLine(steady("predict", "empty", "--input", "x.csv"), /is not a run folder/);
    expectOneErrorLine(steady("predict", "empty"), /required option '--input <file.csv>' not specified/);
    expectOneErrorLine(steady("frobnicate"), /unknown command|too many arguments|unknown option/);
  });
});
