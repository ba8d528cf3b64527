// Running a test file on every available backend: the Node entry (src/node.ts) registers `native`
// when its addon loads; `describeOnBackends` repeats a describe block per backend with the backend
// in its title and restores the previous backend afterwards. Also decides what a missing addon
// means: a warning for a user's `npm test` without a compiler, a failing test under
// STEADY_REQUIRE_NATIVE=1 (CI, whose machines have one).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as st from "../../src/node.js";
import { setNativeSmallSizeFallback } from "../../src/backend/native/index.js";

// the Node entry makes native active when it loads; test files start on js (the oracle) as before
// and switch explicitly
st.setBackend("js");

let missingReported = false;

/** Every registered backend, js first. */
export const BACKENDS: readonly string[] = st.listBackends();

/**
 * Makes `name` the active backend and returns a function restoring the previous one. On native the
 * small-size fallback (tiny inputs go to the js kernels, cheaper than an N-API call) is turned off,
 * so the native kernels themselves run on the small inputs of the tests.
 */
export function useBackend(name: string): () => void {
  const prev = st.getBackend();
  st.setBackend(name);
  const prevSmall = setNativeSmallSizeFallback(name === "js");
  return () => {
    setNativeSmallSizeFallback(prevSmall);
    st.setBackend(prev);
  };
}

/** Runs `f` on backend `name`, then restores the previous backend. */
export function onBackend<T>(name: string, f: () => T): T {
  const restore = useBackend(name);
  try {
    return f();
  } finally {
    restore();
  }
}

/**
 * `describe(title, body)` once per available backend, titled "title [backend]": the backend is
 * active for every test and hook inside (body's own beforeAll hooks run after the switch).
 *
 * @example describeOnBackends("ops.json fixtures", (backend) => { it("…", () => { … }); });
 */
export function describeOnBackends(title: string, body: (backend: string) => void): void {
  if (!BACKENDS.includes("native") && !missingReported) {
    // once per file (each test file has its own module instance)
    missingReported = true;
    requireNative(title, false);
  }
  describe.each(BACKENDS.map((b) => [b]))(`${title} [%s]`, (backend) => {
    let restore: (() => void) | null = null;
    beforeAll(() => {
      restore = useBackend(backend);
    });
    afterAll(() => restore?.());
    body(backend);
  });
}

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
 * defaults to `st.backendInfo().native.reason`.
 */
export function requireNative(label: string, loaded: boolean, reason = st.backendInfo().native.reason): void {
  const d = nativeMissingAction({ loaded, reason }, process.env, label);
  if (d.action === "warn") console.warn(d.message);
  if (d.action === "fail") {
    it("the native addon is required (STEADY_REQUIRE_NATIVE=1)", () => {
      expect.fail(d.message);
    });
  }
}
