// In-process A/B timing for the kernel benches (attention-native.ts, relu-mse-native.ts): separate
// runs differ by ±10 % on a shared machine, calls alternated in one process by a few percent.

/** The median of xs (the upper one for an even count). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/**
 * Calls each of fs once per round, `warm` untimed rounds then `n` timed ones, and returns each
 * function's n times in ms.
 */
export function alternate(fs: readonly (() => void)[], n: number, warm = 3): number[][] {
  const ts = fs.map(() => [] as number[]);
  for (let w = 0; w < warm; w++) fs.forEach((f) => f());
  for (let r = 0; r < n; r++) {
    fs.forEach((f, i) => {
      const t0 = performance.now();
      f();
      ts[i]!.push(performance.now() - t0);
    });
  }
  return ts;
}
