// STEADY_REQUIRE_NATIVE=1 (set by .ci/run) turns "native tests skipped: no addon" into a failing
// test that says why the addon did not load; without it a machine with no compiler still passes
// with a warning. Checked on the decision function and on a real vitest run with the addon
// disabled (STEADY_NATIVE=0 makes the loader report not-loaded).

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { nativeMissingAction } from "./helpers/require-native.js";

describe("nativeMissingAction", () => {
  it("does nothing when the addon loaded, flag or not", () => {
    expect(nativeMissingAction({ loaded: true, reason: "loaded" }, { STEADY_REQUIRE_NATIVE: "1" })).toEqual({ action: "none" });
    expect(nativeMissingAction({ loaded: true, reason: "loaded" }, {})).toEqual({ action: "none" });
  });

  it("fails with the loader's reason under STEADY_REQUIRE_NATIVE=1", () => {
    const d = nativeMissingAction({ loaded: false, reason: "build/Release/steady_native.node not found (no compiler at install)" }, { STEADY_REQUIRE_NATIVE: "1" }, "native-copy");
    expect(d).toEqual({
      action: "fail",
      message: "[native-copy] STEADY_REQUIRE_NATIVE=1 but the native addon did not load: build/Release/steady_native.node not found (no compiler at install)",
    });
  });

  it("only warns without the flag (a user's npm test without a compiler), and for any other value", () => {
    for (const env of [{}, { STEADY_REQUIRE_NATIVE: "0" }, { STEADY_REQUIRE_NATIVE: "" }]) {
      const d = nativeMissingAction({ loaded: false, reason: "no compiler" }, env);
      expect(d.action).toBe("warn");
      expect(d.action !== "none" && d.message).toContain("no compiler");
    }
  });
});

describe("a real test file with the addon disabled (vitest subprocess)", () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const vitest = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
  // the child must not believe it is a worker of this run
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS"));
  const runNativeCopy = (extra: Record<string, string>) =>
    spawnSync(process.execPath, [vitest, "run", "tests/native-copy.test.ts"], {
      cwd: root, encoding: "utf8", env: { ...baseEnv, STEADY_NATIVE: "0", ...extra }, timeout: 120_000,
    });

  it("fails under STEADY_REQUIRE_NATIVE=1, saying why the addon did not load", () => {
    const r = runNativeCopy({ STEADY_REQUIRE_NATIVE: "1" });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(1);
    expect(out).toContain("the native addon is required (STEADY_REQUIRE_NATIVE=1)");
    expect(out).toContain("did not load: disabled by STEADY_NATIVE=0");
  });

  it("passes with a warning without the flag", () => {
    const r = runNativeCopy({ STEADY_REQUIRE_NATIVE: "" });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(0);
    expect(out).toContain("native tests SKIPPED: the native addon is not available (disabled by STEADY_NATIVE=0)");
  });
});
