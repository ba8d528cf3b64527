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
  /**
   * ... and untimed runs for at least this long: V8 optimizes a function after hundreds of calls,
   * so a case that takes 50 µs is still running unoptimized JavaScript after a few runs.
   */
  warmupMs: number;
  /** At least this many timed runs, even when one run is slower than the budget. */
  minRuns: number;
  /** At most this many timed runs. */
  maxRuns: number;
  /** Aims at this many milliseconds of timed runs per library. */
  budgetMs: number;
  /** When one warm-up run takes longer than this, stop warming up and time SLOW_RUNS runs. */
  slowMs: number;
  /**
   * The timed runs are spread over this many rounds; in each round every library runs its share,
   * one library after the other, so a burst of load from other processes on this shared machine
   * falls on all libraries alike instead of on whichever was being timed.
   */
  rounds: number;
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

/** Upper bound on the time spent in warm-up runs of one case. */
const WARMUP_BUDGET_MS = 3000;

/** What a worker says after warming a case up: how long one run takes now, and whether it is slow. */
export interface Warm {
  estMs: number;
  slow: boolean;
}

/**
 * The library side of a measurement (it runs in that library's worker process): warm-up, then
 * timed runs on request. `check` keeps what the second call returned (the first if the second
 * returned nothing) — for a training step, the loss after one optimizer update.
 */
export class Runner {
  check: number | null = null;
  private calls = 0;
  constructor(private readonly c: Case) {}

  private async call(): Promise<number> {
    const t0 = nowMs();
    let r = this.c.run();
    if (r instanceof Promise) r = await r; // jax-js: readiness is part of the work
    const dt = nowMs() - t0;
    const v = typeof r === "number" && Number.isFinite(r) ? r : null;
    if (this.calls === 0 || (this.calls === 1 && v !== null)) this.check = v;
    this.calls++;
    return dt;
  }

  /**
   * Untimed runs until both `plan.warmup` runs and `plan.warmupMs` are done, cut short by a time
   * cap or by one run slower than `slowMs`.
   */
  async warmUp(plan: Plan): Promise<Warm> {
    const start = nowMs();
    let last = 0;
    for (let i = 0; i < Math.max(1, plan.warmup) || nowMs() - start < plan.warmupMs; i++) {
      last = await this.call();
      // already warm enough to be this slow; more runs would only stretch the bench
      if (last > plan.slowMs) return { estMs: last, slow: true };
      // cap the time so the slow pure-JS libraries do not spend a minute warming up
      if (nowMs() - start > WARMUP_BUDGET_MS) break;
    }
    return { estMs: last, slow: false };
  }

  /** `k` timed runs, each timed on its own; after one untimed run when `rewarm`. */
  async time(k: number, rewarm: boolean): Promise<number[]> {
    if (rewarm) await this.call();
    const out: number[] = [];
    for (let i = 0; i < k; i++) out.push(await this.call());
    return out;
  }
}

/** The parent's handle on one library's prepared case (see workers.ts). */
export interface Prepared {
  warm: Warm;
  /** `k` timed runs; with `rewarm`, after one untimed run (see interleave). */
  time(k: number, rewarm: boolean): Promise<{ runsMs: number[]; check: number | null }>;
}

/**
 * Times prepared cases of several libraries in `plan.rounds` interleaved rounds. Each library runs
 * the same number of runs in every round (enough for its share of `budgetMs`, within
 * minRuns..maxRuns over all rounds); a slow case runs once in each of the first SLOW_RUNS rounds.
 * The order of the libraries rotates from round to round. Each round of a case that is not slow
 * starts with one untimed run: while the other libraries ran, this one's data left the caches and
 * its threads went to sleep, and the first run back pays for that — a cost of switching libraries
 * that sequential timing never had and that a training loop does not pay either.
 */
export async function interleave(cases: readonly Prepared[], plan: Plan): Promise<(Timing | { error: string })[]> {
  const R = Math.max(1, plan.rounds);
  const perRound = cases.map(({ warm }) => {
    if (warm.slow) return 1;
    const want = Math.ceil(plan.budgetMs / R / Math.max(warm.estMs, 1e-3));
    return Math.min(Math.max(want, Math.ceil(plan.minRuns / R)), Math.max(1, Math.floor(plan.maxRuns / R)));
  });
  const runs: number[][] = cases.map(() => []);
  const checks: (number | null)[] = cases.map(() => null);
  const errors: (string | null)[] = cases.map(() => null);
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < cases.length; j++) {
      const i = (j + r) % cases.length;
      if (errors[i] !== null || (cases[i]!.warm.slow && runs[i]!.length >= SLOW_RUNS)) continue;
      try {
        const got = await cases[i]!.time(perRound[i]!, !cases[i]!.warm.slow);
        runs[i]!.push(...got.runsMs);
        checks[i] = got.check;
      } catch (e) {
        errors[i] = e instanceof Error ? e.message : String(e);
      }
    }
  }
  return runs.map((rs, i) =>
    errors[i] !== null ? { error: errors[i]! } : { runsMs: rs, minMs: Math.min(...rs), medianMs: median(rs), check: checks[i]! });
}
