// Keras-style recurrent layers (st.layers.lstm, gru, simpleRNN) over nn.LSTM / nn.GRU / nn.RNN:
// batch-first [batch, steps, features] as in Keras, returning the last output or the whole
// sequence (returnSequences), with Keras's initializers (glorotUniform kernel, orthogonal recurrent
// kernel, zero bias, LSTM forget-gate bias 1). Weights keep PyTorch's names (weight_ih_l0, …).

import { ValueError, ShapeError, fmtShape } from "../../core/errors.js";
import { noGrad } from "../../core/grad-mode.js";
import type { Tensor } from "../../core/tensor.js";
import { narrow } from "../../ops/shape.js";
import { GRU, LSTM, RNN } from "../../nn/layers/rnn.js";
import type { AnyModule } from "../../nn/module.js";
import { copy_, fill_ } from "../../autograd/inplace.js";
import { tensor } from "../../core/creation.js";
import { checkInitializer, initialize } from "./initializers.js";
import { KerasLayer, type LayerConfig } from "./keras-layer.js";

/** Options of st.layers.lstm, gru and simpleRNN: `units` is required, the rest have Keras's defaults. */
export interface RecurrentLayerOptions {
  /** Size of the hidden state (and of each output vector). */
  units: number;
  /** Return the output of every step [batch, steps, units] instead of the last one [batch, units]. Default false. */
  returnSequences?: boolean;
  /** Initializer of the input weights. Default "glorotUniform". */
  kernelInitializer?: string;
  /** Initializer of the recurrent weights. Default "orthogonal". */
  recurrentInitializer?: string;
  /** Learn biases. Default true. */
  useBias?: boolean;
  /** Per-sample input shape [steps, features]; without it the layer is built on the first batch. */
  inputShape?: number[];
}

/** Options of st.layers.lstm: those of {@link RecurrentLayerOptions} and the forget-gate bias. */
export interface LSTMLayerOptions extends RecurrentLayerOptions {
  /** Start the forget gate's bias at 1 (Jozefowicz et al. 2015), as Keras does. Default true. */
  unitForgetBias?: boolean;
}

/** Options of st.layers.simpleRNN: those of {@link RecurrentLayerOptions} and the activation. */
export interface SimpleRNNLayerOptions extends RecurrentLayerOptions {
  /** "tanh" (default) or "relu". */
  activation?: "tanh" | "relu";
}

type Kind = "lstm" | "gru" | "simpleRNN";

/** The shared part of the three Keras recurrent layers. */
abstract class RecurrentLayer extends KerasLayer {
  /** Size of the hidden state and of each output vector. */
  readonly units: number;
  /** Whether `call` returns every step's output [batch, steps, units] rather than the last [batch, units] (default false). */
  readonly returnSequences: boolean;
  /** Whether the layer has biases (default true). */
  readonly useBias: boolean;
  protected readonly kernelInitializer: string;
  protected readonly recurrentInitializer: string;

  constructor(private readonly kind: Kind, opts: RecurrentLayerOptions) {
    super(opts?.inputShape);
    const who = `layers.${kind}`;
    if (!Number.isInteger(opts?.units) || opts.units < 1) throw new ValueError(`${who}: units must be a positive integer (got ${JSON.stringify(opts?.units)})`);
    if (opts.inputShape !== undefined && opts.inputShape.length !== 2) {
      throw new ValueError(`${who}: inputShape must be [steps, features] (got ${JSON.stringify(opts.inputShape)})`);
    }
    this.units = opts.units;
    this.returnSequences = opts.returnSequences ?? false;
    this.useBias = opts.useBias ?? true;
    this.kernelInitializer = checkInitializer(who, opts.kernelInitializer ?? "glorotUniform");
    this.recurrentInitializer = checkInitializer(who, opts.recurrentInitializer ?? "orthogonal");
  }

  /** The nn module for `features` inputs (batchFirst). */
  protected abstract makeInner(features: number): LSTM | GRU | RNN;

  protected buildInner(inputShape: readonly number[]): AnyModule {
    const features = inputShape.length === 3 ? inputShape[2]! : this.inputShape?.[1];
    if (features === undefined) throw new ShapeError(`layers.${this.kind}: expected input [batch, steps, features] (got ${fmtShape(inputShape)})`);
    const m = this.makeInner(features);
    const p = m as unknown as Record<string, Tensor>;
    noGrad(() => {
      initialize(this.kernelInitializer, p.weight_ih_l0!);
      initialize(this.recurrentInitializer, p.weight_hh_l0!);
      if (this.useBias) {
        fill_(p.bias_ih_l0!, 0);
        fill_(p.bias_hh_l0!, 0);
      }
    });
    this.afterInit(m);
    return m;
  }

  /** Hook for LSTM's unit forget bias. */
  protected afterInit(_m: LSTM | GRU | RNN): void {}

  private checkInput(x: Tensor): void {
    if (x.ndim !== 3) throw new ShapeError(`layers.${this.kind}: expected input [batch, steps, features] (got shape ${fmtShape(x.shape)})`);
    if (this.inputShape !== undefined && x.shape[2] !== this.inputShape[1]) {
      throw new ShapeError(`layers.${this.kind}: expected ${this.inputShape[1]} features per step (inputShape ${JSON.stringify(this.inputShape)}), got input shape ${fmtShape(x.shape)}`);
    }
  }

  /**
   * The output and the final states, Keras's `returnState` order: [output, h] for gru/simpleRNN,
   * [output, h, c] for lstm (output as `call` returns it; the states [batch, units]).
   */
  callWithState(x: Tensor): Tensor[] {
    this.checkInput(x);
    this.build(x.shape);
    const inner = this.inner! as LSTM | GRU | RNN;
    if (inner.training !== this.training) inner.train(this.training);
    const [out, st] = inner.call(x) as [Tensor, Tensor | [Tensor, Tensor]];
    const states = (Array.isArray(st) ? st : [st]).map((s) => s.squeeze(0));
    const y = this.returnSequences ? out : narrow(out, 1, out.shape[1]! - 1, 1).squeeze(1);
    return [y, ...states];
  }

  /**
   * The layer's output for input [batch, steps, features]: the last step's [batch, units], or
   * every step's [batch, steps, units] with returnSequences (builds the layer on the first call).
   */
  override forward(x: Tensor): Tensor {
    return this.callWithState(x)[0]!;
  }

  getConfig(): LayerConfig {
    return {
      units: this.units, returnSequences: this.returnSequences, useBias: this.useBias,
      kernelInitializer: this.kernelInitializer, recurrentInitializer: this.recurrentInitializer, ...this.extraConfig(),
    };
  }

  protected extraConfig(): LayerConfig {
    return {};
  }
}

/**
 * Keras LSTM over nn.LSTM (batchFirst), made by st.layers.lstm.
 * @example
 * const layer = st.layers.lstm({ units: 4, inputShape: [6, 3] });
 * st.sequential([layer]).predict(st.ones([2, 6, 3])).shape; // [2, 4]
 */
export class LSTMLayer extends RecurrentLayer {
  readonly className = "lstm";
  /** Whether the forget gate's bias starts at 1 rather than 0 (default true, as Keras). */
  readonly unitForgetBias: boolean;

  constructor(opts: LSTMLayerOptions) {
    super("lstm", opts);
    this.unitForgetBias = opts.unitForgetBias ?? true;
    if (this.inputShape !== undefined) this.build([1, ...this.inputShape]);
  }

  protected makeInner(features: number): LSTM {
    return new LSTM(features, this.units, { batchFirst: true, bias: this.useBias });
  }

  protected override afterInit(m: LSTM | GRU | RNN): void {
    if (!this.unitForgetBias || !this.useBias) return;
    // gate order i, f, g, o: the forget gate's rows are [units, 2·units)
    const b = (m as unknown as Record<string, Tensor>).bias_ih_l0!;
    const v = new Float32Array(4 * this.units);
    v.fill(1, this.units, 2 * this.units);
    noGrad(() => copy_(b, tensor(v, { shape: [4 * this.units], dtype: b.dtype })));
  }

  protected override extraConfig(): LayerConfig {
    return { unitForgetBias: this.unitForgetBias };
  }
}

/**
 * Keras GRU over nn.GRU (batchFirst; PyTorch's formulation = Keras's resetAfter: true), made by
 * st.layers.gru.
 * @example
 * const layer = st.layers.gru({ units: 4, returnSequences: true, inputShape: [6, 3] });
 * st.sequential([layer]).predict(st.ones([2, 6, 3])).shape; // [2, 6, 4]
 */
export class GRULayer extends RecurrentLayer {
  readonly className = "gru";

  constructor(opts: RecurrentLayerOptions) {
    super("gru", opts);
    if (this.inputShape !== undefined) this.build([1, ...this.inputShape]);
  }

  protected makeInner(features: number): GRU {
    return new GRU(features, this.units, { batchFirst: true, bias: this.useBias });
  }
}

/**
 * Keras SimpleRNN over nn.RNN (batchFirst), made by st.layers.simpleRNN.
 * @example
 * const layer = st.layers.simpleRNN({ units: 4, activation: "relu", inputShape: [6, 3] });
 * st.sequential([layer]).predict(st.ones([2, 6, 3])).shape; // [2, 4]
 */
export class SimpleRNNLayer extends RecurrentLayer {
  readonly className = "simpleRNN";
  /** The step's activation: "tanh" (default) or "relu". */
  readonly activation: "tanh" | "relu";

  constructor(opts: SimpleRNNLayerOptions) {
    super("simpleRNN", opts);
    const a = opts.activation ?? "tanh";
    if (a !== "tanh" && a !== "relu") throw new ValueError(`layers.simpleRNN: activation must be "tanh" or "relu" (got ${JSON.stringify(a)})`);
    this.activation = a;
    if (this.inputShape !== undefined) this.build([1, ...this.inputShape]);
  }

  protected makeInner(features: number): RNN {
    return new RNN(features, this.units, { batchFirst: true, bias: this.useBias, nonlinearity: this.activation });
  }

  protected override extraConfig(): LayerConfig {
    return { activation: this.activation };
  }
}
