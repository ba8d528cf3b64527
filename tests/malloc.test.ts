// The malloc settings of the Node entry (src/backend/native/malloc.ts): when they apply, when the
// user's own settings win, and that the real addon applies them on glibc.
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { loadAddon } from "../src/backend/native/addon.js";
import { MALLOC_MMAP_THRESHOLD, MALLOC_TRIM_THRESHOLD, tuneMalloc } from "../src/backend/native/malloc.js";
import { requireNative } from "./helpers/require-native.js";

function spy(result = true) {
  const calls: [number, number][] = [];
  return { calls, addon: { tuneMalloc: (a: number, b: number) => (calls.push([a, b]), result) } };
}

describe("tuneMalloc policy", () => {
  it("sets the mmap and trim thresholds by default", () => {
    const s = spy();
    expect(tuneMalloc(s.addon, {})).toMatch(/^glibc tuned for tensors: mmap threshold 32 MiB, trim threshold 128 MiB/);
    expect(s.calls).toEqual([[MALLOC_MMAP_THRESHOLD, MALLOC_TRIM_THRESHOLD]]);
  });

  it("STEADY_MALLOC=system keeps glibc's defaults", () => {
    const s = spy();
    expect(tuneMalloc(s.addon, { STEADY_MALLOC: "system" })).toBe("system defaults (STEADY_MALLOC=system)");
    expect(s.calls).toEqual([]);
  });

  it("malloc settings in the environment win and are named", () => {
    for (const [env, named] of [
      [{ GLIBC_TUNABLES: "glibc.malloc.trim_threshold=0" }, "GLIBC_TUNABLES"],
      [{ MALLOC_TRIM_THRESHOLD_: "0" }, "MALLOC_TRIM_THRESHOLD_"],
      [{ MALLOC_MMAP_THRESHOLD_: "1" }, "MALLOC_MMAP_THRESHOLD_"],
    ] as const) {
      const s = spy();
      expect(tuneMalloc(s.addon, env)).toBe(`as the environment sets it (${named})`);
      expect(s.calls).toEqual([]);
    }
    // tunables for other parts of glibc are not malloc settings
    const s = spy();
    tuneMalloc(s.addon, { GLIBC_TUNABLES: "glibc.pthread.rseq=0" });
    expect(s.calls).toHaveLength(1);
  });

  it("says so when the C library is not glibc", () => {
    expect(tuneMalloc(spy(false).addon, {})).toBe("system defaults (not glibc)");
  });
});

const addon = loadAddon().addon;
if (!addon) requireNative("malloc", false, loadAddon().reason);
const glibc = Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime);

describe.skipIf(addon === null || !glibc)("tuneMalloc on this machine (glibc, addon loaded)", () => {
  it("the addon's mallopt accepts the settings and the Node entry reports them", () => {
    expect(addon!.tuneMalloc(MALLOC_MMAP_THRESHOLD, MALLOC_TRIM_THRESHOLD)).toBe(true);
    const expected = process.env.STEADY_MALLOC === "system" || process.env.GLIBC_TUNABLES?.includes("glibc.malloc.") ? /^(system|as the environment)/ : /^glibc tuned/;
    expect(st.backendInfo().native.malloc).toMatch(expected);
  });
});
