// Embedding: a lookup table of learnable vectors indexed by integer ids.

import type { DType } from "../../core/dtype.js";
import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { arange, zeros } from "../../core/creation.js";
import { noGrad } from "../../core/grad-mode.js";
import { copy_ } from "../../autograd/inplace.js";
import { eq, where } from "../../ops/elementwise.js";
import { reshape } from "../../ops/shape.js";
import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { checkIndices, embedding } from "../functional/embedding.js";
import { normal_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { checkSize, floatDType } from "./linear.js";

/** Options of `Embedding`. */
export interface EmbeddingOptions {
  /** Index whose vector is zero-initialized and receives no gradient (e.g. the pad token). */
  paddingIdx?: number | null;
  /** Weight dtype (default float32). */
  dtype?: DType;
  /** Random source of the N(0, 1) initialization (default: the global generator). */
  generator?: Generator;
}

/**
 * out[..., :] = weight[ids[...], :]: int32 ids of any shape → [...ids.shape, embeddingDim].
 * weight [numEmbeddings, embeddingDim] starts N(0, 1) (PyTorch's default), with the paddingIdx
 * row zeroed; that row receives no gradient. An id outside [0, numEmbeddings) is an IndexError.
 *
 * @example
 * const emb = new st.nn.Embedding(100, 16, { paddingIdx: 0 });
 * emb.call(st.tensor([[5, 7, 0]])).shape // [1, 3, 16]
 */
export class Embedding extends Module<[Tensor], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Size of the vocabulary (rows of `weight`). */
  readonly numEmbeddings: number;
  /** Size of each embedding vector (columns of `weight`). */
  readonly embeddingDim: number;
  /** Index whose row is zero and receives no gradient, or null. */
  readonly paddingIdx: number | null;
  /** The table, shape [numEmbeddings, embeddingDim], initialized N(0, 1). */
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    checkSize("Embedding", "numEmbeddings", numEmbeddings);
    checkSize("Embedding", "embeddingDim", embeddingDim);
    const dtype = floatDType("Embedding", opts.dtype);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    const p = opts.paddingIdx ?? null;
    if (p !== null && (!Number.isInteger(p) || p < -numEmbeddings || p >= numEmbeddings)) {
      throw new ValueError(`Embedding: paddingIdx must be an integer within [-${numEmbeddings}, ${numEmbeddings}) (got ${p})`);
    }
    this.paddingIdx = p === null ? null : p < 0 ? p + numEmbeddings : p;
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype }));
    this.resetParameters(opts.generator);
  }

  /**
   * An Embedding holding `weights` [numEmbeddings, embeddingDim] (copied), frozen unless
   * `freeze: false`. The padding row is kept as given.
   */
  static fromPretrained(weights: Tensor, opts: { freeze?: boolean; paddingIdx?: number | null } = {}): Embedding {
    if (weights.ndim !== 2) throw new ShapeError(`Embedding.fromPretrained: weights must be 2-D [numEmbeddings, embeddingDim] (got shape ${fmtShape(weights.shape)})`);
    const [n, d] = weights.shape as [number, number];
    const e = new Embedding(n, d, { paddingIdx: opts.paddingIdx, dtype: weights.dtype });
    noGrad(() => copy_(e.weight, weights));
    e.weight.requiresGrad_(!(opts.freeze ?? true));
    return e;
  }

  /** Redraws the weight from N(0, 1) and zeroes the padding row. */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, 0, 1, { generator });
    const pad = this.paddingIdx;
    if (pad !== null) {
      // zero the padding row with one whole-tensor write (a slice is a copy, so writing into it would not reach the weight)
      const isPad = reshape(eq(arange(this.numEmbeddings, { dtype: "int32" }), pad), [this.numEmbeddings, 1]);
      noGrad(() => copy_(this.weight, where(isPad, 0, this.weight)));
    }
  }

  forward(ids: Tensor): Tensor {
    checkIndices(`Embedding(${this.numEmbeddings}, ${this.embeddingDim})`, ids, this.numEmbeddings);
    return embedding(ids, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ""}`;
  }
}
