// The AVX-512 GEMM configuration (12x32 float32 / 12x16 float64 tiles, their packing and edge
// tiles) cannot run here: this machine has no AVX-512. Built with -DSTEADY_EMULATE_AVX512, the
// same tile loop runs over GCC's generic 64-byte vectors (the intrinsic wrappers are the only
// difference), and tests/native/gemm-check.cpp compares it with a float64 triple loop. Needs a C++
// compiler (CI has one: it builds the addon); skipped with a message otherwise.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { requireNative } from "./helpers/require-native.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cxx = process.env.CXX || "c++";
const hasCompiler = spawnSync(cxx, ["--version"], { encoding: "utf8" }).status === 0;
const x86 = process.arch === "x64";
if (!x86) console.warn("native-avx512-emulated: skipped — not an x86-64 machine");
// a machine that must build the addon (CI, STEADY_REQUIRE_NATIVE=1) has a compiler: its absence fails
else if (!hasCompiler) requireNative("native-avx512-emulated", false, `no C++ compiler (${cxx})`);

const SOURCES = ["gemm.cpp", "gemm_pack_avx2.cpp", "gemm_ukernel_avx2.cpp", "gemm_ukernel_avx512.cpp", "gemm_ukernel_scalar.cpp", "threadpool.cpp", "cpu.cpp"];

describe.skipIf(!hasCompiler || !x86)("AVX-512 GEMM tiles, emulated", () => {
  it("12x32 / 12x16 tiles match a float64 reference at every tile edge, transposed, batched, on 1 and 2 threads", () => {
    const dir = mkdtempSync(join(tmpdir(), "steady-avx512-"));
    try {
      const exe = join(dir, "gemm-check");
      const build = spawnSync(cxx, [
        "-O2", "-std=c++17", "-pthread", "-fno-math-errno", "-ffp-contract=fast", "-Wno-psabi", "-DSTEADY_EMULATE_AVX512",
        `-I${join(root, "native")}`, join(root, "tests", "native", "gemm-check.cpp"), ...SOURCES.map((f) => join(root, "native", f)),
        "-o", exe,
      ], { encoding: "utf8" });
      expect(build.stderr).toBe("");
      expect(build.status).toBe(0);
      const run = spawnSync(exe, [], { encoding: "utf8" });
      expect(run.stdout).toMatch(/^6408 cases, 0 mismatches, kernels gemm_f32_12x32_avx512 \/ gemm_f64_12x16_avx512\n$/);
      expect(run.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
