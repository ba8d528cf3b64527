// What a test file with native tests does when the addon is missing: a user's `npm test` on a
// machine without a compiler degrades cleanly (a warning, the native tests skip), while CI sets
// STEADY_REQUIRE_NATIVE=1 (.ci/run) and gets a failing test that says why the addon did not load.
// No import of the Node entry here, so kernel-level test files keep their own setup.

import { expect, it } from "vitest";

/** What a test file does about a missing native addon. */
export type NativeMissing = { action: "none" } | { action: "warn" | "fail"; message: string };

/**
 * The decision, as a pure function so it can be tested: nothing when the addon loaded; otherwise
 * a failure when `env.STEADY_REQUIRE_NATIVE` is "1" (CI), else a warning (a user without a compiler).
 *
 * @example nativeMissingAction({ loaded: false, reason: "no compiler" }, { STEADY_REQUIRE_NATIVE: "1" }).action // "fail"
 */
export function nativeMissingAction(
  native: { loaded: boolean; reason: string },
  env: Record<string, string | undefined>,
  label = "native",
): NativeMissing {
  if (native.loaded) return { action: "none" };
  if (env.STEADY_REQUIRE_NATIVE === "1") {
    return { action: "fail", message: `[${label}] STEADY_REQUIRE_NATIVE=1 but the native addon did not load: ${native.reason}` };
  }
  return { action: "warn", message: `[${label}] native tests SKIPPED: the native addon is not available (${native.reason}); set STEADY_REQUIRE_NATIVE=1 to make this a failure` };
}

/**
 * Called by each file with native tests when its addon is missing (`loaded` false): warns, or under
 * STEADY_REQUIRE_NATIVE=1 adds one failing test that says why the addon did not load. `reason`
 * is why it did not load (`st.backendInfo().native.reason`, or loadNativeBackend()'s / loadAddon()'s).
 */
export function requireNative(label: string, loaded: boolean, reason: string): void {
  const d = nativeMissingAction({ loaded, reason }, process.env, label);
  if (d.action === "warn") console.warn(d.message);
  if (d.action === "fail") {
    it("the native addon is required (STEADY_REQUIRE_NATIVE=1)", () => {
      expect.fail(d.message);
    });
  }
}
