// The timing harness shared by every library in the bench: what a workload case is, what a
// measurement is, and how one is taken (warm-up, then repeated timed runs; min and median).

/** One prepared workload on one library: `run` does the timed work once. */
export interface Case {
  /** Does the work once; may return a number (e.g. the loss) that is recorded from the first call. */
  run(): unknown;
  /** How the library's side was written, when there is a choice worth reporting. */
  impl?: string;
  /** Frees what the case holds (tfjs/jax-js memory); called after timing. */
  dispose?(): void;
}

/** How many runs a measurement takes. */
export interface Plan {
  /** Untimed runs first: JIT compilation, kernel caches, allocator warm-up. */
  warmup: number;
  /** At least this many timed runs, even when one run is slower than the budget. */
  minRuns: number;
  /** At most this many timed runs. */
  maxRuns: number;
  /** Keeps timing (up to maxRuns) until this many milliseconds of timed runs are spent. */
  budgetMs: number;
  /** When the first warm-up run takes longer than this, skip further warm-ups and time SLOW_RUNS runs. */
  slowMs: number;
}

/** Timed runs of a case whose single run exceeds `slowMs` (pure-JS kernels at large sizes). */
export const SLOW_RUNS = 2;

/** A measurement: every timed run in milliseconds, plus their min and median. */
export interface Timing {
  runsMs: number[];
  minMs: number;
  medianMs: number;
  /**
   * The number the second call returned (the first if there was one call), for cross-checking:
   * for a training step, the loss after one optimizer update — so the update is checked too.
   */
  check: number | null;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs a case's `run` once, awaiting it when it returns a promise (jax-js readiness). */
async function once(c: Case): Promise<unknown> {
  const r = c.run();
  return r instanceof Promise ? await r : r;
}

function asCheck(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/**
 * Times `c` by `plan`: `warmup` untimed runs, then timed runs until both `minRuns` and the time
 * budget are reached (or `maxRuns`). The median is the headline number; the min shows how much
 * of it is noise from the machine (other processes share the cores).
 */
/** Upper bound on the time spent in warm-up runs of one case. */
const WARMUP_BUDGET_MS = 3000;

export async function measure(c: Case, plan: Plan): Promise<Timing> {
  let check: number | null = null;
  let calls = 0;
  const call = async () => {
    const v = asCheck(await once(c));
    if (calls === 0 || (calls === 1 && v !== null)) check = v;
    calls++;
  };
  let minRuns = plan.minRuns;
  const warmStart = nowMs();
  for (let i = 0; i < Math.max(1, plan.warmup); i++) {
    const t0 = nowMs();
    await call();
    // V8 (and jit-compiling peers) need a dozen steps before code is optimized; cap the time so
    // the slow pure-JS libraries do not spend a minute warming up
    if (nowMs() - warmStart > WARMUP_BUDGET_MS) break;
    if (nowMs() - t0 > plan.slowMs) {
      // already warm enough to be this slow; more runs would only stretch the bench
      minRuns = Math.min(minRuns, SLOW_RUNS);
      break;
    }
  }
  const runsMs: number[] = [];
  let spent = 0;
  while (runsMs.length < plan.maxRuns && (runsMs.length < minRuns || spent < plan.budgetMs)) {
    const t0 = nowMs();
    await call();
    const dt = nowMs() - t0;
    runsMs.push(dt);
    spent += dt;
  }
  return { runsMs, minMs: Math.min(...runsMs), medianMs: median(runsMs), check };
}
