// embedding: Keras's Embedding (integer ids → learned vectors) over nn.Embedding, with Keras's
// default initializer U(−0.05, 0.05) instead of PyTorch's N(0, 1).

import { ValueError } from "../../core/errors.js";
import { Embedding as NnEmbedding } from "../../nn/layers/embedding.js";
import type { AnyModule } from "../../nn/module.js";
import { checkInitializer, initialize } from "./initializers.js";
import { KerasLayer, type LayerConfig } from "./keras-layer.js";

/** Options of `st.layers.embedding`. */
export interface EmbeddingLayerOptions {
  /** Vocabulary size: ids lie in [0, inputDim). */
  inputDim: number;
  /** Vector size. */
  outputDim: number;
  /** Keras default "uniform" = U(−0.05, 0.05). */
  embeddingsInitializer?: string;
  /** Per-sample input shape (e.g. [sequenceLength]). */
  inputShape?: number[];
}

/**
 * Keras Embedding; built at construction (its size does not depend on the input).
 * @example
 * const emb = st.layers.embedding({ inputDim: 10, outputDim: 4 });
 * st.sequential([emb]).predict(st.tensor([[1, 2, 3]])).shape; // [1, 3, 4]
 */
export class EmbeddingLayer extends KerasLayer {
  readonly className = "embedding";
  /** Vocabulary size. */
  readonly inputDim: number;
  /** Size of each embedding vector. */
  readonly outputDim: number;
  private readonly initializer: string;

  constructor(opts: EmbeddingLayerOptions) {
    super(opts?.inputShape);
    for (const k of ["inputDim", "outputDim"] as const) {
      const v = opts?.[k];
      if (!Number.isInteger(v) || (v as number) < 1) throw new ValueError(`layers.embedding: ${k} must be a positive integer (got ${JSON.stringify(v)})`);
    }
    this.inputDim = opts.inputDim;
    this.outputDim = opts.outputDim;
    this.initializer = checkInitializer("layers.embedding", opts.embeddingsInitializer ?? "uniform");
    this.build([]);
  }

  override get inputDType(): "float32" | "int32" {
    return "int32";
  }

  protected buildInner(): AnyModule {
    const e = new NnEmbedding(this.inputDim, this.outputDim);
    initialize(this.initializer, e.weight);
    return e;
  }

  getConfig(): LayerConfig {
    return { inputDim: this.inputDim, outputDim: this.outputDim, embeddingsInitializer: this.initializer };
  }
}
