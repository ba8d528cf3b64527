// DataLoader: iterates a Dataset in mini-batches, optionally in a seeded random order that is
// redrawn every epoch (every new iteration), like torch.utils.data.DataLoader.

import { ValueError } from "../core/errors.js";
import { stack } from "../ops/shape.js";
import { tensor } from "../core/creation.js";
import { Generator, defaultGenerator } from "../core/random.js";
import { Tensor } from "../core/tensor.js";
import type { Dataset } from "./dataset.js";

/** Options of `DataLoader`. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (a positive integer; default 32). */
  batchSize?: number;
  /** Visit the samples in a new random order each epoch (default false: in index order). */
  shuffle?: boolean;
  /** Drop the last batch when it has fewer than batchSize samples (default false). */
  dropLast?: boolean;
  /** Seed of the shuffle (a generator of its own is made from it). */
  seed?: number;
  /** Generator of the shuffle; without seed or generator the global default generator is used (st.manualSeed). */
  generator?: Generator;
  /** Turns a list of samples into a batch. Default: see defaultCollate (stacks tensors position by position). */
  collate?: (samples: T[]) => B;
}

/**
 * Stacks a list of samples into a batch: tensors are stacked along a new first dimension, numbers
 * become a 1-D tensor (int32 when all are integers, else float32), arrays and plain objects are
 * collated position by position / key by key (so `[x, y]` samples give `[xBatch, yBatch]`).
 * @example st.data.defaultCollate([[st.tensor([1, 2]), 0], [st.tensor([3, 4]), 1]]) // [[2, 2] tensor, [2] tensor]
 */
export function defaultCollate(samples: unknown[]): unknown {
  if (samples.length === 0) throw new ValueError("defaultCollate: got an empty list of samples");
  const first = samples[0];
  if (first instanceof Tensor) return stack(samples as Tensor[], 0);
  if (typeof first === "number") {
    const nums = samples as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? "int32" : "float32" });
  }
  if (Array.isArray(first)) {
    return first.map((_, k) => defaultCollate(samples.map((s) => (s as unknown[])[k])));
  }
  if (first !== null && typeof first === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) out[key] = defaultCollate(samples.map((s) => (s as Record<string, unknown>)[key]));
    return out;
  }
  throw new ValueError(`defaultCollate: cannot collate samples of type ${typeof first}; pass a collate function`);
}

/**
 * Mini-batches of a dataset. Each `for…of` over the loader is one epoch: with `shuffle` a fresh
 * permutation is drawn from the generator at the start of each epoch (so epochs differ, and the
 * whole sequence of epochs replays from the same seed). Batches hold `batchSize` samples, except a
 * smaller last one unless `dropLast`. A dataset with `getBatch` (TensorDataset, its Subsets) is
 * batched by one `indexSelect` per tensor; others by `get(i)` per sample and `collate`.
 * `length` is the number of batches per epoch: ⌈n / batchSize⌉, or ⌊n / batchSize⌋ with dropLast.
 * @example
 * const x = st.randn([100, 4]);
 * const y = st.randint(0, 3, [100]);
 * const loader = new st.data.DataLoader(new st.data.TensorDataset(x, y), { batchSize: 32, shuffle: true, seed: 0 });
 * for (const [xb, yb] of loader) {
 *   // xb: [32, 4], yb: [32] (the last batch has 4 rows)
 * }
 */
export class DataLoader<T = Tensor[], B = T> implements Iterable<B> {
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether each epoch visits the samples in a new random order. */
  readonly shuffle: boolean;
  /** Whether an incomplete last batch is dropped. */
  readonly dropLast: boolean;
  /** The random source of the shuffles. */
  readonly generator: Generator;
  private readonly collate: ((samples: T[]) => B) | undefined;

  constructor(
    /** The dataset the batches come from. */
    readonly dataset: Dataset<T>,
    opts: DataLoaderOptions<T, B> = {},
  ) {
    if (dataset === null || typeof dataset !== "object" || typeof dataset.get !== "function" || !Number.isInteger(dataset.length)) {
      throw new ValueError("DataLoader: expected a dataset with an integer `length` and a `get(i)` method (e.g. a TensorDataset)");
    }
    const bs = opts.batchSize ?? 32;
    if (!Number.isInteger(bs) || bs < 1) throw new ValueError(`DataLoader: batchSize must be a positive integer, got ${bs}`);
    if (opts.seed !== undefined && opts.generator !== undefined) {
      throw new ValueError("DataLoader: pass either seed or generator, not both");
    }
    if (opts.seed !== undefined && !Number.isSafeInteger(opts.seed)) {
      throw new ValueError(`DataLoader: seed must be an integer, got ${opts.seed}`);
    }
    this.batchSize = bs;
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.generator = opts.generator ?? (opts.seed !== undefined ? new Generator(opts.seed) : defaultGenerator);
    this.collate = opts.collate;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The sample order of one new epoch (draws from the generator when shuffling). */
  private epochOrder(): Int32Array {
    const n = this.dataset.length;
    if (this.shuffle) return this.generator.randperm(n);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }

  /** One epoch of batches (reshuffled each time when `shuffle`). */
  *[Symbol.iterator](): Iterator<B> {
    const order = this.epochOrder();
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      const idx = order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, order.length));
      if (!this.collate && this.dataset.getBatch) {
        yield this.dataset.getBatch(idx.slice()) as unknown as B;
        continue;
      }
      const samples = Array.from(idx, (i) => this.dataset.get(i));
      yield this.collate ? this.collate(samples) : (defaultCollate(samples) as B);
    }
  }
}
