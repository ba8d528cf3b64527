// Seed sweeps: train the same recipe under several seeds, initializations, input scales and small
// input perturbations, and measure how consistent the outcome is — the "consistent across inputs and
// initializations" test of stability, as numbers: mean, spread and divergence rate per configuration,
// and which configuration is unstable.

import { ValueError } from "../core/errors.js";
import { manualSeed } from "../core/random.js";
import type { ReportData } from "./types.js";

/** One run's settings, handed to the recipe. The recipe decides what `init` means (e.g. "he", 4). */
export interface SweepConfig {
  /** The seed of this run. */
  seed: number;
  /** The initialization to use (the recipe decides what it means). */
  init: string | number;
  /** Factor the inputs are multiplied by. */
  inputScale: number;
  /** Standard deviation of Gaussian noise to add to the inputs (relative to their scale). */
  inputNoise: number;
  /** The configuration's name without the seed, e.g. `init=he inputScale=1 inputNoise=0`. */
  name: string;
}

/** What a recipe returns: the final loss, `{loss, metrics}`, or a `History` (its last epoch is used). */
export type SweepOutcome =
  | number
  | {
    /** The final loss. */
    loss: number;
    /** Final metric values by name. */
    metrics?: Record<string, number>;
  }
  | {
    /** Per-epoch logs (`History.history`). */
    history: Record<string, number[]>;
    /** Set when TerminateOnNaN stopped the run (counts as diverged). */
    terminatedOnNaN?: unknown;
  };

/** Options of `seedSweep`. */
export interface SeedSweepOptions {
  /** Seeds (default [0, 1, 2]); `manualSeed(seed)` is called before each run. */
  seeds?: readonly number[];
  /** Initializations (default ["default"]). */
  inits?: readonly (string | number)[];
  /** Input scales (default [1]). */
  inputScales?: readonly number[];
  /** Input noise levels (default [0]). */
  inputNoise?: readonly number[];
  /** A final loss above this counts as diverged (default 1e6), as does a non-finite one. */
  divergeAbove?: number;
  /** A configuration whose coefficient of variation std/|mean| of the final loss exceeds this is unstable (default 0.5). */
  maxRelativeSpread?: number;
  /** …and whose std exceeds this absolute floor (default 1e-3), so that losses near 0 differing by 1e-13 are not "unstable". */
  minSpread?: number;
}

/** Statistics of one quantity over the seeds. */
export interface Spread {
  /** Mean. */
  mean: number;
  /** Standard deviation (population). */
  std: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
}

/** The runs of one configuration over all seeds. */
export interface SweepConfigSummary {
  /** The configuration's name without the seed. */
  name: string;
  /** Its initialization. */
  init: string | number;
  /** Its input scale. */
  inputScale: number;
  /** Its input noise level. */
  inputNoise: number;
  /** The seeds run. */
  seeds: number[];
  /** Final loss of each seed (NaN/Infinity kept as they came). */
  finalLosses: number[];
  /** Statistics of the finite final losses of runs that did not diverge (NaN when none). */
  loss: Spread;
  /** The same for each metric the recipe reported. */
  metrics: Record<string, Spread>;
  /** Number of runs that diverged. */
  diverged: number;
  /** `diverged / seeds.length`. */
  divergenceRate: number;
  /** Whether the spread over seeds (or a divergence) marks the configuration unstable. */
  unstable: boolean;
  /** Why the configuration is unstable, in plain words with numbers ("" when stable). */
  reason: string;
}

/** What `seedSweep` returns. */
export interface SeedSweepResult {
  /** One summary per configuration. */
  configs: SweepConfigSummary[];
  /** Names of the unstable configurations. */
  unstable: string[];
  /** The part of the HTML report that draws the spreads. */
  report: NonNullable<ReportData["seedSweep"]>;
  /** A plain-words table, one line per configuration. */
  summary: string;
}

function spread(xs: number[]): Spread {
  if (xs.length === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  // population std over the seeds: the sweep is the whole population of runs we made
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

function outcomeOf(who: string, out: unknown): { loss: number; metrics: Record<string, number>; diverged: boolean } {
  if (typeof out === "number") return { loss: out, metrics: {}, diverged: false };
  if (out && typeof out === "object" && "history" in out && typeof (out as { history: unknown }).history === "object") {
    const h = (out as { history: Record<string, number[]> }).history;
    const losses = h.loss;
    if (!Array.isArray(losses) || losses.length === 0) throw new ValueError(`${who}: the recipe returned a History without a "loss" series`);
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(h)) if (k !== "loss" && Array.isArray(v) && v.length > 0) metrics[k] = v.at(-1)!;
    const finite = losses.filter((l) => Number.isFinite(l));
    // a loss that ends far above its best epoch went the wrong way: count it as diverged
    const blewUp = finite.length > 0 && losses.at(-1)! > 10 * Math.min(...finite) && losses.at(-1)! > losses[0]!;
    const stopped = Boolean((out as { terminatedOnNaN?: unknown }).terminatedOnNaN);
    return { loss: losses.at(-1)!, metrics, diverged: stopped || blewUp };
  }
  if (out && typeof out === "object" && "loss" in out && typeof (out as { loss: unknown }).loss === "number") {
    const o = out as { loss: number; metrics?: Record<string, number> };
    return { loss: o.loss, metrics: { ...(o.metrics ?? {}) }, diverged: false };
  }
  throw new ValueError(`${who}: the recipe must return a final loss (number), {loss, metrics} or a History, got ${out === null ? "null" : typeof out}`);
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : String(x);
}

/**
 * Runs `recipe(cfg)` for every seed × init × input scale × input noise and summarizes each
 * configuration (init, scale, noise) over its seeds: mean, std (population), min and max of the
 * final loss and of each metric (over the runs that did not diverge), and the divergence rate.
 * A run diverged when its final loss is not finite or above `divergeAbove`, when a History says
 * TerminateOnNaN stopped it, or when its last epoch loss is 10× its best and above its first.
 * A configuration is **unstable** when any of its runs diverged, or when the coefficient of
 * variation of its final loss exceeds `maxRelativeSpread` while its std exceeds `minSpread`.
 *
 * @example
 * // a loss whose curvature grows with |w|: from w₀ = 30·N(0, 1) every seed diverges at lr 0.5
 * const r = await st.stability.seedSweep((cfg) => {
 *   const x = st.randn([32]).mul(cfg.inputScale);
 *   const w = st.randn([1]).mul(cfg.init as number).detach().requiresGrad_(true);
 *   const opt = new st.optim.SGD([w], { lr: 0.5 });
 *   let loss = NaN;
 *   for (let i = 0; i < 20; i++) {
 *     opt.zeroGrad();
 *     const l = x.mul(w).sub(x.mul(2)).square().mean().mul(w.abs().add(1)); // curvature grows with |w|
 *     loss = l.item(); l.backward(); opt.step();
 *   }
 *   return loss;
 * }, { seeds: [0, 1, 2], inits: [1, 30] });
 * console.log(r.summary); // one line per configuration; r.unstable names the unstable ones
 */
export async function seedSweep(
  recipe: (cfg: SweepConfig) => SweepOutcome | Promise<SweepOutcome>,
  opts: SeedSweepOptions = {},
): Promise<SeedSweepResult> {
  const who = "seedSweep";
  if (typeof recipe !== "function") throw new ValueError(`${who}: recipe must be a function (cfg) => final loss | {loss, metrics} | History, got ${typeof recipe}`);
  const seeds = opts.seeds ?? [0, 1, 2];
  const inits = opts.inits ?? ["default"];
  const scales = opts.inputScales ?? [1];
  const noises = opts.inputNoise ?? [0];
  const divergeAbove = opts.divergeAbove ?? 1e6;
  const maxSpread = opts.maxRelativeSpread ?? 0.5;
  const minSpread = opts.minSpread ?? 1e-3;
  for (const [k, v] of [["seeds", seeds], ["inits", inits], ["inputScales", scales], ["inputNoise", noises]] as const) {
    if (!Array.isArray(v) || v.length === 0) throw new ValueError(`${who}: ${k} must be a non-empty array, got ${JSON.stringify(v)}`);
  }
  if (seeds.some((s) => !Number.isSafeInteger(s) || s < 0)) throw new ValueError(`${who}: seeds must be non-negative integers, got ${JSON.stringify(seeds)}`);
  if (scales.some((s) => !(s > 0) || !Number.isFinite(s))) throw new ValueError(`${who}: inputScales must be positive numbers, got ${JSON.stringify(scales)}`);
  if (noises.some((s) => !(s >= 0) || !Number.isFinite(s))) throw new ValueError(`${who}: inputNoise levels must be ≥ 0, got ${JSON.stringify(noises)}`);

  const configs: SweepConfigSummary[] = [];
  for (const init of inits) {
    for (const inputScale of scales) {
      for (const inputNoise of noises) {
        const name = `init=${init} inputScale=${inputScale} inputNoise=${inputNoise}`;
        const finalLosses: number[] = [];
        const kept: number[] = [];
        const metricValues: Record<string, number[]> = {};
        let diverged = 0;
        for (const seed of seeds) {
          manualSeed(seed);
          const o = outcomeOf(who, await recipe({ seed, init, inputScale, inputNoise, name }));
          finalLosses.push(o.loss);
          if (o.diverged || !Number.isFinite(o.loss) || o.loss > divergeAbove) {
            diverged++;
            continue;
          }
          kept.push(o.loss);
          for (const [k, v] of Object.entries(o.metrics)) if (Number.isFinite(v)) (metricValues[k] ??= []).push(v);
        }
        const loss = spread(kept);
        const metrics = Object.fromEntries(Object.entries(metricValues).map(([k, v]) => [k, spread(v)]));
        const rate = diverged / seeds.length;
        const cv = loss.std / Math.abs(loss.mean);
        let reason = "";
        if (diverged > 0) reason = `${diverged} of ${seeds.length} seeds diverged (final loss ${finalLosses.map(fmt).join(", ")})`;
        else if (seeds.length > 1 && cv > maxSpread && loss.std > minSpread) {
          reason = `the final loss varies across seeds by std/mean = ${fmt(cv)} > ${maxSpread} (min ${fmt(loss.min)}, max ${fmt(loss.max)})`;
        }
        configs.push({ name, init, inputScale, inputNoise, seeds: [...seeds], finalLosses, loss, metrics, diverged, divergenceRate: rate, unstable: reason !== "", reason });
      }
    }
  }
  const lines = configs.map(
    (c) =>
      `${c.unstable ? "UNSTABLE" : "stable  "} ${c.name}: final loss mean ${fmt(c.loss.mean)} ± ${fmt(c.loss.std)} ` +
      `[${fmt(c.loss.min)}, ${fmt(c.loss.max)}], diverged ${c.diverged}/${c.seeds.length}${c.reason ? ` — ${c.reason}` : ""}`,
  );
  return {
    configs,
    unstable: configs.filter((c) => c.unstable).map((c) => c.name),
    report: { configs: configs.map((c) => ({ name: c.name, finalLosses: c.finalLosses, diverged: c.diverged })) },
    summary: lines.join("\n"),
  };
}
