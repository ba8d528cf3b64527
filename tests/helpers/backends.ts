// Running a test file on every available backend: the Node entry (src/node.ts) registers `native`
// when its addon loads; `describeOnBackends` repeats a describe block per backend with the backend
// in its title and restores the previous backend afterwards. Without the addon only js runs, and
// the file reports it through requireNative (a warning, or a failure under STEADY_REQUIRE_NATIVE=1).

import { afterAll, beforeAll, describe } from "vitest";
import * as st from "../../src/node.js";
import { setNativeSmallSizeFallback } from "../../src/backend/native/index.js";
import { requireNative } from "./require-native.js";

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
    requireNative(title, false, st.backendInfo().native.reason);
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
