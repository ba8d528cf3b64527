// `steady doctor` as a process: broken configurations (10-layer sigmoid, ReLU biases at −5, SGD at
// lr 100) are diagnosed with the right label and layer and exit non-zero, and `--try-cures` shows the
// prescribed cure removing the symptom with before/after numbers; the default configuration is
// healthy and exits 0.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const tmp = mkdtempSync(join(tmpdir(), "steady-doctor-"));

function doctor(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "src/cli/steady.ts"), "doctor", ...args], {
    cwd: tmp,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, NO_COLOR: "1", CI: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The block of one cure in the --try-cures output. */
function cureBlock(stdout: string, cure: string): string {
  const start = stdout.indexOf(`- ${cure}: `);
  expect(start).toBeGreaterThanOrEqual(0);
  const next = stdout.indexOf("\n- ", start + 3);
  const end = next >= 0 ? next : stdout.indexOf("\nverified cures", start);
  return stdout.slice(start, end >= 0 ? end : undefined);
}

describe("steady doctor", { timeout: 300_000 }, () => {
  it("the default configuration is healthy: exit 0, with the lr suggestion and the sharpness", () => {
    const r = doctor();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^healthy: no diagnosis in 40 steps \(8 checks\); nothing to change\.$/m);
    expect(r.stdout).toMatch(/^learning-rate range test \(1e-6 → 10\): suggested lr [\d.e-]+ \(valley/m);
    expect(r.stdout).toMatch(/^sharpness at initialization: λ_max = [\d.]+/m);
    expect(r.stdout).toMatch(/^gradient noise scale at initialization: B_simple = [\d.]+ → batch sizes \d+–\d+ suggested; your batch 32 is /m);
  });

  it("10-layer sigmoid: vanishing gradients in layer 0, exit 1; --try-cures shows ReLU removing it", () => {
    const r = doctor("--depth", "10", "--activation", "sigmoid", "--optimizer", "sgd", "--lr", "0.05", "--try-cures");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^1\. vanishing-gradients in layer "0" at step 0 \(check 0\): relative gradient .* = [\d.e-]+ against the limit 0\.001$/m);
    expect(r.stdout).toMatch(/what to change: Use ReLU-family activations/);
    const relu = cureBlock(r.stdout, "relu-activation");
    expect(relu).toMatch(/vanishing-gradients: .* before [\d.e-]+ → after no longer diagnosed \(limit 0\.001\)/);
    expect(relu).toMatch(/loss before 2\.\d+ → after [01]\.\d+; SYMPTOM GONE/);
    expect(r.stdout).toMatch(/^verified cures \(best first\): .*relu-activation/m);
    expect(r.stderr).toMatch(/^steady: error: the configuration is broken: vanishing-gradients/);
  });

  it("ReLU layers with bias −5: dying ReLU in layer 0, exit 1; --try-cures shows He init with zero bias removing it", () => {
    const r = doctor("--hidden", "32,32,32", "--bias-init", "-5", "--optimizer", "sgd", "--lr", "0.05", "--try-cures");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\d\. dying-relu in layer "0" at step 0 \(check 0\): fraction of ReLU units dead for the whole batch = (1|0\.9\d*) against the limit 0\.5$/m);
    const he = cureBlock(r.stdout, "he-init");
    expect(he).toMatch(/glorot-uniform init, bias -5 → He \(Kaiming normal\) init, zero bias/);
    expect(he).toMatch(/dying-relu: fraction of ReLU units dead for the whole batch before (1|0\.9\d*) → after no longer diagnosed \(limit 0\.5\)/);
    expect(he).toMatch(/loss before 2\.\d+ → after [01]\.\d+; SYMPTOM GONE/);
  });

  it("SGD at lr 100: divergence and the edge of stability, exit 1; --try-cures shows a lower learning rate removing the divergence", () => {
    const r = doctor("--optimizer", "sgd", "--lr", "100", "--try-cures", "--report", "out/doctor.html");
    expect(r.code).toBe(1);
    // the report holds the monitor checks, the lrFind curve and the sharpness against 2/η
    expect(r.stdout).toMatch(/^report written to .*out\/doctor\.html \(\d+ KiB\)$/m);
    const html = readFileSync(join(tmp, "out/doctor.html"), "utf8");
    expect(html).toContain("learning-rate finder");
    expect(html).toMatch(/"sharpness":\{"steps":\[0\],"lambdaMax":\[[\d.]+\],"threshold":\[0\.02\]\}/);
    expect(r.stdout).toMatch(/^\d\. divergence in the whole model at step \d+ \(check \d\): loss \/ first loss = /m);
    expect(r.stdout).toMatch(/^sharpness at initialization: λ_max = [\d.]+, lr·λ_max = [\d.]+ against 2 — beyond the edge of stability$/m);
    const lower = cureBlock(r.stdout, "lower-lr");
    expect(lower).toMatch(/^- lower-lr: lr 100 → [\d.e-]+ \(lrFind's suggestion\)/);
    expect(lower).toMatch(/divergence: loss \/ first loss before Infinity → after no longer diagnosed \(limit 3\)/);
    expect(lower).toMatch(/edge-of-stability: lr·λ_max before [\d.]+ → after [\d.e-]+ \(limit 2\), within it/);
    expect(lower).toMatch(/loss before Infinity → after [\d.]+; SYMPTOM GONE/);
  });

  it("is listed in steady --help, and doctor --help shows train's options and its own", () => {
    const h = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "src/cli/steady.ts"), "--help"], { encoding: "utf8" });
    expect(h.stdout).toMatch(/^  doctor \[options\]\s+diagnose a training configuration/m);
    const r = doctor("--help");
    expect(r.code).toBe(0);
    for (const o of ["--dataset", "--hidden", "--activation", "--optimizer", "--lr", "--batch-size", "--clipnorm", "--seed", "--depth", "--init-scale", "--bias-init", "--input-scale", "--try-cures", "--report"]) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${o}\\b`, "m"));
    }
  });

  it("rejects a bad doctor option with a usage error", () => {
    const r = doctor("--init-scale", "0");
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('steady: error: --init-scale expects a positive number, got "0"');
  });

  it("refuses a sequence dataset (a Transformer task) with one clear line", () => {
    const r = doctor("--dataset", "reversal");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^steady: error: doctor: the sequence dataset "reversal" trains a Transformer/);
  });
});
