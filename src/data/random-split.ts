// randomSplit: partitions a dataset into non-overlapping random subsets (torch.utils.data.random_split).

import { ValueError } from "../core/errors.js";
import { Generator, defaultGenerator } from "../core/random.js";
import { Subset, type Dataset } from "./dataset.js";

/**
 * Splits `dataset` into `lengths.length` disjoint random Subsets that together cover every sample.
 * `lengths` holds either counts summing to `dataset.length`, or fractions in [0, 1] summing to 1
 * (±1e-6): then each part gets ⌊fraction·n⌋ samples and the remaining ones are handed out one each
 * to the parts in order, as PyTorch does. The order comes from one permutation drawn from `seed`
 * (a generator of its own) or `generator` (default: the global generator).
 * @example
 * const ds = new st.data.TensorDataset(st.randn([1797, 64]));
 * const [train, val] = st.data.randomSplit(ds, [0.8, 0.2], { seed: 0 }); // 1797 → 1438 + 359
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  opts: { seed?: number; generator?: Generator } = {},
): Subset<T>[] {
  const n = dataset.length;
  if (!Array.isArray(lengths) || lengths.length === 0) {
    throw new ValueError(`randomSplit: expected a non-empty array of counts or fractions, got ${JSON.stringify(lengths)}`);
  }
  if (lengths.some((v) => typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
    throw new ValueError(`randomSplit: lengths must be finite non-negative numbers, got [${lengths.join(", ")}]`);
  }
  const total = lengths.reduce((s, v) => s + v, 0);
  let counts: number[];
  if (lengths.every((v) => v <= 1) && Math.abs(total - 1) <= 1e-6) {
    counts = lengths.map((f) => Math.floor(f * n));
    let rest = n - counts.reduce((s, c) => s + c, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]!++;
  } else if (lengths.every(Number.isInteger)) {
    if (total !== n) {
      throw new ValueError(`randomSplit: counts [${lengths.join(", ")}] sum to ${total} but the dataset has ${n} samples`);
    }
    counts = [...lengths];
  } else {
    throw new ValueError(`randomSplit: fractions [${lengths.join(", ")}] sum to ${total}, expected 1 (or integer counts summing to ${n})`);
  }
  if (opts.seed !== undefined && opts.generator !== undefined) throw new ValueError("randomSplit: pass either seed or generator, not both");
  const gen = opts.generator ?? (opts.seed !== undefined ? new Generator(opts.seed) : defaultGenerator);
  const perm = gen.randperm(n);
  const parts: Subset<T>[] = [];
  let start = 0;
  for (const c of counts) {
    parts.push(new Subset(dataset, perm.subarray(start, start + c)));
    start += c;
  }
  return parts;
}
