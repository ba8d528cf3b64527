// Keeping a page live while `fit` runs in a browser. Every await inside the fit loop resolves as a
// microtask, and microtasks run before the browser may repaint or handle input, so a long fit on the
// main thread would freeze the page until it ends. In a browser window, the loops therefore hand
// the event loop a macrotask turn (setTimeout 0) once ≥ 25 ms of work have gone by: a frame or two
// of latency at most, and a cost of well under 1 % of training time. Under Node (and in workers,
// which have no page to keep live) nothing yields, so server training and benchmarks are unchanged.

/** The longest stretch of fit work (ms) between two turns of a browser's event loop. */
export const YIELD_INTERVAL_MS = 25;

let lastYield = -Infinity;

/** True in a browser window's main thread (a `document` and a `window` exist). */
export function inBrowserWindow(): boolean {
  const g = globalThis as { document?: unknown; window?: unknown };
  return typeof g.document === "object" && g.document !== null && typeof g.window === "object" && g.window !== null;
}

/**
 * Gives the event loop one macrotask turn when in a browser window and ≥ YIELD_INTERVAL_MS have
 * passed since the last turn; otherwise returns at once (a resolved promise, no timer).
 */
export async function yieldIfDue(): Promise<void> {
  if (!inBrowserWindow()) return;
  // the first call of a fit after a pause (lastYield long ago, or never) yields at once
  if (performance.now() - lastYield < YIELD_INTERVAL_MS) return;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  lastYield = performance.now();
}
