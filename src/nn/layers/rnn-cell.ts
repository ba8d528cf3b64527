// The single-step recurrent cells RNNCell, LSTMCell and GRUCell (PyTorch's nn.*Cell): one time
// step, for loops the user writes (attention decoders, custom unrolling). Parameter names
// weight_ih, weight_hh, bias_ih, bias_hh and initialization are PyTorch's.

import type { DType } from "../../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { zeros } from "../../core/creation.js";
import type { Generator } from "../../core/random.js";
import { Tensor } from "../../core/tensor.js";
import { squeeze, unsqueeze } from "../../ops/shape.js";
import { type RNNNonlinearity, gruCell, lstmCell, rnnCell } from "../functional/rnn.js";
import { uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { pyBool } from "../repr.js";
import { checkSize, floatDType } from "./linear.js";

/** Options of {@link LSTMCell} and {@link GRUCell} (and, with `nonlinearity`, {@link RNNCell}); every one is optional. */
export interface RNNCellBaseOptions {
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** Random source of the initialization (default: the global generator). */
  generator?: Generator;
  /** LSTMCell, GRUCell: the fused lstmCell / gruCell primitive (default true); false composes it from elementwise ops. */
  fusedCell?: boolean;
}

/** Options of {@link RNNCell}: those of {@link RNNCellBaseOptions} and the nonlinearity. */
export interface RNNCellOptions extends RNNCellBaseOptions {
  /** tanh (default) or relu. */
  nonlinearity?: RNNNonlinearity;
}

/** Parameters and argument checks shared by the three cells. */
abstract class RNNCellBase<S, Out> extends Module<[Tensor, (S | null)?], Out> {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Features of the input x (its last dim). */
  readonly inputSize: number;
  /** Features of the hidden state h (and of LSTMCell's cell state c). */
  readonly hiddenSize: number;
  /**
   * Input-to-hidden weights, shape [gates·hiddenSize, inputSize] (gates: RNNCell 1, LSTMCell 4 in
   * order i, f, g, o, GRUCell 3 in order r, z, n); init U(−1/√hiddenSize, 1/√hiddenSize).
   */
  weightIh: Parameter;
  /** Hidden-to-hidden weights, shape [gates·hiddenSize, hiddenSize]; init U(−1/√hiddenSize, 1/√hiddenSize). */
  weightHh: Parameter;
  /** Input-to-hidden bias, shape [gates·hiddenSize] (null with `bias: false`); init U(−1/√hiddenSize, 1/√hiddenSize). */
  biasIh: Parameter | null;
  /** Hidden-to-hidden bias, shape [gates·hiddenSize] (null with `bias: false`); init U(−1/√hiddenSize, 1/√hiddenSize). */
  biasHh: Parameter | null;

  protected constructor(name: string, gates: number, inputSize: number, hiddenSize: number, opts: RNNCellBaseOptions) {
    super();
    checkSize(name, "inputSize", inputSize);
    checkSize(name, "hiddenSize", hiddenSize);
    const dtype = floatDType(name, opts.dtype);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.weightIh = new Parameter(zeros([gates * hiddenSize, inputSize], { dtype }));
    this.weightHh = new Parameter(zeros([gates * hiddenSize, hiddenSize], { dtype }));
    const bias = opts.bias ?? true;
    this.biasIh = bias ? new Parameter(zeros([gates * hiddenSize], { dtype })) : null;
    this.biasHh = bias ? new Parameter(zeros([gates * hiddenSize], { dtype })) : null;
    this.resetParameters(opts.generator);
  }

  /** Redraws every weight and bias from U(−1/√hiddenSize, 1/√hiddenSize), PyTorch's default. */
  resetParameters(generator?: Generator): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -k, k, { generator });
  }

  /** @internal input as [B, I] (and whether it was a single unbatched vector). */
  protected prepareInput(x: Tensor): { x2: Tensor; unbatched: boolean } {
    const label = `${this.constructor.name}(${this.inputSize}, ${this.hiddenSize})`;
    if (x.dtype !== this.weightIh.dtype) throw new DTypeError(`${label}: input has dtype ${x.dtype} but the parameters are ${this.weightIh.dtype}`);
    if ((x.ndim !== 1 && x.ndim !== 2) || x.shape[x.ndim - 1] !== this.inputSize) {
      throw new ShapeError(`${label}: expected input [batch, ${this.inputSize}] or unbatched [${this.inputSize}] (got shape ${fmtShape(x.shape)})`);
    }
    return x.ndim === 1 ? { x2: unsqueeze(x, 0), unbatched: true } : { x2: x, unbatched: false };
  }

  /** @internal a state as [B, H] (zeros when absent), checked against the input's batch. */
  protected prepareState(name: string, h: Tensor | null | undefined, batch: number, unbatched: boolean): Tensor {
    const label = `${this.constructor.name}(${this.inputSize}, ${this.hiddenSize})`;
    if (h === null || h === undefined) return zeros([batch, this.hiddenSize], { dtype: this.weightIh.dtype });
    if (!(h instanceof Tensor)) throw new DTypeError(`${label}: ${name} must be a Tensor (got ${typeof h})`);
    const want = unbatched ? [this.hiddenSize] : [batch, this.hiddenSize];
    if (h.ndim !== want.length || h.shape.some((s, i) => s !== want[i])) {
      throw new ShapeError(`${label}: expected ${name} of shape ${fmtShape(want)} (got ${fmtShape(h.shape)})`);
    }
    return unbatched ? unsqueeze(h, 0) : h;
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.biasIh === null ? `, bias=${pyBool(false)}` : ""}`;
  }
}

/**
 * One Elman RNN step (PyTorch's nn.RNNCell): h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh).
 * `call(x [B, in] or [in], h? [B, H] or [H])` → h' (h defaults to zeros).
 * @example
 * const cell = new st.nn.RNNCell(4, 8);
 * let h = st.zeros([2, 8]);
 * for (const x of st.randn([5, 2, 4]).split(1)) h = cell.call(x.squeeze(0), h);
 */
export class RNNCell extends RNNCellBase<Tensor, Tensor> {
  /** The activation: "tanh" (default) or "relu". */
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    const nl = opts.nonlinearity ?? "tanh";
    if (nl !== "tanh" && nl !== "relu") throw new ValueError(`RNNCell: nonlinearity must be "tanh" or "relu" (got ${String(nl)})`);
    super("RNNCell", 1, inputSize, hiddenSize, opts);
    this.nonlinearity = nl;
  }

  forward(x: Tensor, h?: Tensor | null): Tensor {
    const { x2, unbatched } = this.prepareInput(x);
    const h2 = this.prepareState("hx", h, x2.shape[0]!, unbatched);
    const out = rnnCell(x2, h2, this.weightIh, this.weightHh, this.biasIh, this.biasHh, this.nonlinearity);
    return unbatched ? squeeze(out, 0) : out;
  }
}

/**
 * One LSTM step (PyTorch's nn.LSTMCell, gates i, f, g, o): `call(x, [h, c]?)` → [h', c'] with
 * c' = σ(f)⊙c + σ(i)⊙tanh(g), h' = σ(o)⊙tanh(c').
 * @example
 * const cell = new st.nn.LSTMCell(4, 8);
 * const [h, c] = cell.call(st.randn([2, 4]));
 * h.shape; // [2, 8]
 */
export class LSTMCell extends RNNCellBase<[Tensor, Tensor], [Tensor, Tensor]> {
  /** Whether each call runs the fused cell primitive (default true; see RNNCellBaseOptions.fusedCell). */
  readonly fusedCell: boolean;

  constructor(inputSize: number, hiddenSize: number, opts: RNNCellBaseOptions = {}) {
    super("LSTMCell", 4, inputSize, hiddenSize, opts);
    this.fusedCell = opts.fusedCell ?? true;
  }

  forward(x: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, Tensor] {
    const { x2, unbatched } = this.prepareInput(x);
    if (hx !== null && hx !== undefined && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ValueError(`LSTMCell(${this.inputSize}, ${this.hiddenSize}): the state must be a pair [h, c] (got ${hx instanceof Tensor ? "a single Tensor" : typeof hx})`);
    }
    const B = x2.shape[0]!;
    const h = this.prepareState("h", hx?.[0], B, unbatched);
    const c = this.prepareState("c", hx?.[1], B, unbatched);
    const [h2, c2] = lstmCell(x2, h, c, this.weightIh, this.weightHh, this.biasIh, this.biasHh, { fused: this.fusedCell });
    return unbatched ? [squeeze(h2, 0), squeeze(c2, 0)] : [h2, c2];
  }
}

/**
 * One GRU step (PyTorch's nn.GRUCell, gates r, z, n): `call(x, h?)` → h' = (1 − z)⊙n + z⊙h.
 * @example
 * const cell = new st.nn.GRUCell(4, 8);
 * const h = cell.call(st.randn([2, 4]), st.zeros([2, 8]));
 */
export class GRUCell extends RNNCellBase<Tensor, Tensor> {
  /** Whether each call runs the fused cell primitive (default true; see RNNCellBaseOptions.fusedCell). */
  readonly fusedCell: boolean;

  constructor(inputSize: number, hiddenSize: number, opts: RNNCellBaseOptions = {}) {
    super("GRUCell", 3, inputSize, hiddenSize, opts);
    this.fusedCell = opts.fusedCell ?? true;
  }

  forward(x: Tensor, h?: Tensor | null): Tensor {
    const { x2, unbatched } = this.prepareInput(x);
    const h2 = this.prepareState("hx", h, x2.shape[0]!, unbatched);
    const out = gruCell(x2, h2, this.weightIh, this.weightHh, this.biasIh, this.biasHh, { fused: this.fusedCell });
    return unbatched ? squeeze(out, 0) : out;
  }
}
