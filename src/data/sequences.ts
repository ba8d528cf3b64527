// Synthetic sequence-to-sequence tasks (reversal and copy), the usual first checks of a
// Transformer: random token sequences and their target sequences, seeded.

import { tensor } from "../core/creation.js";
import type { Tensor } from "../core/tensor.js";
import { generatorOf, positiveInt, type SeedOptions } from "./synthetic.js";
import { ValueError } from "../core/errors.js";

export interface SequenceTaskOptions extends SeedOptions {
  /** Number of sequences (default 1000). */
  nSamples?: number;
  /** Tokens per sequence (default 8). */
  length?: number;
  /** Tokens are drawn uniformly from [firstToken, vocabSize) (default vocabSize 10). */
  vocabSize?: number;
  /** Lowest token drawn (default 0); raise it to keep ids below free for padding or start tokens. */
  firstToken?: number;
}

function randomTokens(where: string, o: SequenceTaskOptions): { x: Int32Array; n: number; len: number } {
  const n = positiveInt(where, "nSamples", o.nSamples ?? 1000);
  const len = positiveInt(where, "length", o.length ?? 8);
  const vocab = positiveInt(where, "vocabSize", o.vocabSize ?? 10);
  const first = o.firstToken ?? 0;
  if (!Number.isInteger(first) || first < 0 || first >= vocab) {
    throw new ValueError(`${where}: firstToken must be an integer in [0, vocabSize = ${vocab}), got ${first}`);
  }
  const x = generatorOf(where, o).randint(new Int32Array(n * len), first, vocab);
  return { x, n, len };
}

/**
 * Sequence reversal: x int32 [nSamples, length] of random tokens, y int32 [nSamples, length] with
 * y[i, t] = x[i, length − 1 − t].
 * @example const { x, y } = st.data.sequenceReversal({ nSamples: 2, length: 4, vocabSize: 10, seed: 0 });
 */
export function sequenceReversal(opts: SequenceTaskOptions = {}): {
  /** Inputs. */
  x: Tensor;
  /** Targets. */
  y: Tensor;
} {
  const { x, n, len } = randomTokens("sequenceReversal", opts);
  const y = new Int32Array(n * len);
  for (let i = 0; i < n; i++) for (let t = 0; t < len; t++) y[i * len + t] = x[i * len + len - 1 - t]!;
  return { x: tensor(x, { shape: [n, len] }), y: tensor(y, { shape: [n, len] }) };
}

/**
 * Sequence copy: x int32 [nSamples, length] of random tokens and y = x (a copy, same shape).
 * @example const { x, y } = st.data.sequenceCopy({ nSamples: 100, length: 6, seed: 0 });
 */
export function sequenceCopy(opts: SequenceTaskOptions = {}): {
  /** Inputs. */
  x: Tensor;
  /** Targets. */
  y: Tensor;
} {
  const { x, n, len } = randomTokens("sequenceCopy", opts);
  return { x: tensor(x, { shape: [n, len] }), y: tensor(x.slice(), { shape: [n, len] }) };
}
