// The C allocator settings the Node entry applies for tensor memory (through the addon, glibc only).
//
// JavaScript frees a tensor's memory only when the garbage collector runs, many buffers at once.
// With glibc's defaults the freed top of the heap then goes back to the kernel (trim), and blocks
// above the mmap threshold are fresh mappings each time, so the next step's outputs page-fault on
// every 4 KiB page again: 60 faults for one 256×256 float32 output, and a 256² matmul at about
// 85 GFLOP/s instead of 110 (median of 2,500, `node` test in the bench notes). Keeping freed
// memory in the heap costs resident memory up to the trim threshold; STEADY_MALLOC=system opts out.

import type { NativeAddon } from "./addon.js";

/** Blocks below this come from the heap (and are reused) rather than from their own mmap. */
export const MALLOC_MMAP_THRESHOLD = 32 * 2 ** 20;
/** Free memory kept at the top of the heap before glibc gives it back to the kernel. */
export const MALLOC_TRIM_THRESHOLD = 128 * 2 ** 20;

const GLIBC_ENV = ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_"];

/**
 * Applies the settings unless STEADY_MALLOC=system or the environment already tunes glibc's malloc
 * (the user's choice wins); returns what is in force, in words, for `st.backendInfo()`.
 */
export function tuneMalloc(addon: Pick<NativeAddon, "tuneMalloc">, env: Record<string, string | undefined> = process.env): string {
  if (env.STEADY_MALLOC === "system") return "system defaults (STEADY_MALLOC=system)";
  const set = GLIBC_ENV.filter((k) => env[k] !== undefined);
  if (env.GLIBC_TUNABLES?.includes("glibc.malloc.")) set.push("GLIBC_TUNABLES");
  if (set.length > 0) return `as the environment sets it (${set.join(", ")})`;
  if (!addon.tuneMalloc(MALLOC_MMAP_THRESHOLD, MALLOC_TRIM_THRESHOLD)) return "system defaults (not glibc)";
  return `glibc tuned for tensors: mmap threshold ${MALLOC_MMAP_THRESHOLD / 2 ** 20} MiB, trim threshold ${MALLOC_TRIM_THRESHOLD / 2 ** 20} MiB (STEADY_MALLOC=system to keep the defaults)`;
}
