// Absolute positional encodings as modules: the fixed sinusoidal table of the original
// Transformer paper and a learned table; both add position vectors to [B, L, D] or [L, B, D]
// inputs. Rotary embeddings (RoPE) are in positional-rotary.ts.

import type { DType } from "../../core/dtype.js";
import { tensor, zeros } from "../../core/creation.js";
import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { add } from "../../ops/elementwise.js";
import { narrow, unsqueeze } from "../../ops/shape.js";
import { normal_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { Dropout } from "./dropout.js";
import { checkSize, floatDType } from "./linear.js";

/** x + table[offset : offset + L], with L and the broadcast taken from x's layout; checks shape and range. */
function addPositions(who: string, x: Tensor, table: Tensor, batchFirst: boolean, offset: number): Tensor {
  const [maxLen, d] = table.shape as [number, number];
  if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[x.ndim - 1] !== d) {
    throw new ShapeError(`${who}: expected ${batchFirst ? `[B, L, ${d}]` : `[L, B, ${d}]`} or unbatched [L, ${d}] (got shape ${fmtShape(x.shape)})`);
  }
  if (!Number.isInteger(offset) || offset < 0) throw new ValueError(`${who}: offset must be a non-negative integer (got ${offset})`);
  const L = x.shape[x.ndim === 3 && batchFirst ? 1 : 0]!;
  if (offset + L > maxLen) {
    throw new ValueError(`${who}: positions ${offset}..${offset + L - 1} exceed maxLen ${maxLen} (sequence length ${L}, offset ${offset}); build it with a larger maxLen`);
  }
  let p = narrow(table, 0, offset, L); // [L, D]
  if (x.ndim === 3 && !batchFirst) p = unsqueeze(p, 1); // [L, 1, D]
  return add(x, p.dtype === x.dtype ? p : p.to(x.dtype));
}

/** Options of `SinusoidalPositionalEncoding`. */
export interface SinusoidalPositionalEncodingOptions {
  /** Longest sequence (rows of the table; default 5000, as PyTorch's tutorial). */
  maxLen?: number;
  /** Dropout after the addition (default 0.1, as PyTorch's tutorial; off in eval mode). */
  dropout?: number;
  /** Inputs are [B, L, D] instead of [L, B, D] (default false, as nn.Transformer). */
  batchFirst?: boolean;
  /** Table dtype (default float32; the values are computed in float64). */
  dtype?: DType;
}

/**
 * The fixed sinusoidal positional encoding of "Attention Is All You Need" (Vaswani et al. 2017):
 *
 *   PE[pos, 2i] = sin(pos / 10000^(2i/d)),   PE[pos, 2i+1] = cos(pos / 10000^(2i/d))
 *
 * `forward(x, offset = 0)` returns dropout(x + PE[offset : offset + L]) for x [L, B, d] (or
 * [B, L, d] with batchFirst, or [L, d]); `offset` shifts the positions (incremental decoding).
 * The table is a non-persistent buffer `pe` of shape [maxLen, d], not in the state dict (it is a
 * fixed function of the position), unlike the PyTorch tutorial's module, whose `pe` key a strict
 * load would reject; load such a checkpoint with `{ strict: false }`.
 *
 * @example
 * const pos = new st.nn.SinusoidalPositionalEncoding(16, { maxLen: 100, dropout: 0, batchFirst: true });
 * pos.call(st.zeros([2, 5, 16])).shape // [2, 5, 16]; row t holds PE[t]
 */
export class SinusoidalPositionalEncoding extends Module<[Tensor, number?], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Width of each position vector. */
  readonly dModel: number;
  /** Longest sequence the table covers (default 5000). */
  readonly maxLen: number;
  /** Inputs are [B, L, d] when true, [L, B, d] otherwise (default false, as PyTorch). */
  readonly batchFirst: boolean;
  /** Dropout applied after adding the encoding. */
  dropout: Dropout;
  /** The table [maxLen, dModel]: PE(pos, 2i) = sin(pos/10000^(2i/d)), PE(pos, 2i+1) = cos(…) (a buffer). */
  pe!: Tensor;

  constructor(dModel: number, opts: SinusoidalPositionalEncodingOptions = {}) {
    super();
    const who = "SinusoidalPositionalEncoding";
    checkSize(who, "dModel", dModel);
    const maxLen = opts.maxLen ?? 5000;
    checkSize(who, "maxLen", maxLen);
    const dtype = floatDType(who, opts.dtype);
    this.dModel = dModel;
    this.maxLen = maxLen;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = new Dropout(opts.dropout ?? 0.1);
    const pe = new Float64Array(maxLen * dModel);
    for (let i = 0; 2 * i < dModel; i++) {
      const freq = Math.exp((-2 * i * Math.log(10000)) / dModel); // 10000^(−2i/d)
      for (let pos = 0; pos < maxLen; pos++) {
        pe[pos * dModel + 2 * i] = Math.sin(pos * freq);
        if (2 * i + 1 < dModel) pe[pos * dModel + 2 * i + 1] = Math.cos(pos * freq);
      }
    }
    this.registerBuffer("pe", tensor(pe, { shape: [maxLen, dModel], dtype: "float64" }).to(dtype), false);
  }

  forward(x: Tensor, offset = 0): Tensor {
    return this.dropout.call(addPositions(`SinusoidalPositionalEncoding(d_model=${this.dModel})`, x, this.pe, this.batchFirst, offset));
  }

  override extraRepr(): string {
    return `d_model=${this.dModel}, max_len=${this.maxLen}`;
  }
}

/** Options of `LearnedPositionalEmbedding`. */
export interface LearnedPositionalEmbeddingOptions {
  /** Inputs are [B, L, D] instead of [L, B, D] (default false, as nn.Transformer). */
  batchFirst?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** Random source of the initialization (default: the global generator). */
  generator?: Generator;
}

/**
 * A learned absolute position table (BERT, GPT-2): `weight` [maxLen, dModel], initialized N(0, 1)
 * like nn.Embedding (so a PyTorch `nn.Embedding(maxLen, dModel)` state dict loads unchanged).
 * `forward(x, offset = 0)` returns x + weight[offset : offset + L] for x [L, B, d] (or [B, L, d]
 * with batchFirst, or [L, d]).
 *
 * @example
 * const pos = new st.nn.LearnedPositionalEmbedding(64, 16, { batchFirst: true });
 * pos.call(st.zeros([2, 5, 16])).shape // [2, 5, 16]
 */
export class LearnedPositionalEmbedding extends Module<[Tensor, number?], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Longest sequence the table covers. */
  readonly maxLen: number;
  /** Width of each position vector. */
  readonly dModel: number;
  /** Inputs are [B, L, d] when true, [L, B, d] otherwise (default false, as PyTorch). */
  readonly batchFirst: boolean;
  /** The learned table, shape [maxLen, dModel]. */
  weight: Parameter;

  constructor(maxLen: number, dModel: number, opts: LearnedPositionalEmbeddingOptions = {}) {
    super();
    const who = "LearnedPositionalEmbedding";
    checkSize(who, "maxLen", maxLen);
    checkSize(who, "dModel", dModel);
    this.maxLen = maxLen;
    this.dModel = dModel;
    this.batchFirst = opts.batchFirst ?? false;
    this.weight = new Parameter(zeros([maxLen, dModel], { dtype: floatDType(who, opts.dtype) }));
    normal_(this.weight, 0, 1, { generator: opts.generator });
  }

  forward(x: Tensor, offset = 0): Tensor {
    return addPositions(`LearnedPositionalEmbedding(${this.maxLen}, ${this.dModel})`, x, this.weight, this.batchFirst, offset);
  }

  override extraRepr(): string {
    return `${this.maxLen}, ${this.dModel}`;
  }
}
