// Weight initializers (st.nn.init), PyTorch's torch.nn.init plus Keras's names. Each fills a tensor
// in place (outside autograd, bumping its version) from an optional seeded generator and returns it.

import { type TypedArray, allocate, checkValueFits, isFloat } from "../core/dtype.js";
import { eye, tensor } from "../core/creation.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import { type Generator, defaultGenerator } from "../core/random.js";
import { normal, uniform } from "../core/random-creation.js";
import { Tensor } from "../core/tensor.js";
import { copy_, fill_ } from "../autograd/inplace.js";
import { householderQ, truncatedStandardNormal } from "./init-samplers.js";

/** Options shared by the initializers. */
export interface InitOptions {
  /** Random source (default: the global generator that st.manualSeed seeds). */
  generator?: Generator;
}

/** Nonlinearities calculateGain knows, in PyTorch's spelling or camelCase. */
export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "convTranspose1d" | "convTranspose2d" | "convTranspose3d"
  | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d" | "sigmoid" | "tanh" | "relu"
  | "leakyRelu" | "leaky_relu" | "selu";

/** Which fan a variance-scaling initializer divides by. */
export type FanMode = "fanIn" | "fanOut" | "fan_in" | "fan_out";

/** Options of the Kaiming (He) initializers. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (used when nonlinearity is leakyRelu). Default 0. */
  a?: number;
  /** "fanIn" (default) preserves the forward variance, "fanOut" the backward one. */
  mode?: FanMode;
  /** Default "leakyRelu" (PyTorch's default; with a = 0 it equals "relu"). */
  nonlinearity?: Nonlinearity;
}

const LINEAR = new Set(["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid"]);

/**
 * The recommended gain for a nonlinearity (PyTorch's calculate_gain): linear/conv/sigmoid 1,
 * tanh 5/3, relu √2, leaky_relu √(2/(1 + slope²)) (slope = `param`, default 0.01), selu 3/4.
 * @example st.nn.init.calculateGain("leakyRelu", 0.2) // √(2/1.04) ≈ 1.3868
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  const nl = String(nonlinearity).replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  if (LINEAR.has(nl)) return 1;
  if (nl === "tanh") return 5 / 3;
  if (nl === "relu") return Math.SQRT2;
  if (nl === "selu") return 3 / 4;
  if (nl === "leaky_relu") {
    const slope = param ?? 0.01;
    if (typeof slope !== "number" || !Number.isFinite(slope)) {
      throw new ValueError(`calculateGain: negative slope ${String(param)} is not a valid number`);
    }
    return Math.sqrt(2 / (1 + slope * slope));
  }
  throw new ValueError(`calculateGain: unsupported nonlinearity "${String(nonlinearity)}" (expected one of linear, conv1d-3d, convTranspose1d-3d, sigmoid, tanh, relu, leakyRelu, selu)`);
}

/**
 * [fanIn, fanOut] of a weight in PyTorch's layout ([out, in, ...kernel]): fanIn = in·receptive,
 * fanOut = out·receptive, receptive = the product of the kernel dims.
 * @example st.nn.init.calculateFanInAndFanOut(st.zeros([8, 4])); // [4, 8]
 */
export function calculateFanInAndFanOut(t: Tensor): [fanIn: number, fanOut: number] {
  checkTensor("calculateFanInAndFanOut", t);
  if (t.ndim < 2) {
    throw new ShapeError(`calculateFanInAndFanOut: fan in and fan out need a tensor with at least 2 dims (got shape ${fmtShape(t.shape)})`);
  }
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i]!;
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

function checkTensor(op: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new DTypeError(`${op}: expected a Tensor (got ${t === null ? "null" : typeof t})`);
}

function checkFloat(op: string, t: Tensor): void {
  checkTensor(op, t);
  if (!isFloat(t.dtype)) throw new DTypeError(`${op}: expected a float32 or float64 tensor (got ${t.dtype})`);
}

/**
 * Writes `src` (same shape) into `t` in place, outside autograd (a parameter is a leaf that
 * requires grad, which an in-place op while recording refuses), bumping its version.
 */
function write(t: Tensor, src: Tensor): Tensor {
  noGrad(() => copy_(t, src));
  return t;
}

/** Writes values computed in a fresh typed array (one tensor construction, one copy-in). */
function writeArray(t: Tensor, values: TypedArray): Tensor {
  return write(t, tensor(values, { shape: t.shape, dtype: t.dtype }));
}

/** Fills in place outside autograd (see write). */
function fill(t: Tensor, value: number): Tensor {
  noGrad(() => fill_(t, value));
  return t;
}

function fanOf(op: string, t: Tensor, mode: FanMode): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  if (mode === "fanIn" || mode === "fan_in") return fanIn;
  if (mode === "fanOut" || mode === "fan_out") return fanOut;
  throw new ValueError(`${op}: mode must be "fanIn" or "fanOut" (got ${String(mode)})`);
}

/**
 * Fills with U(a, b).
 * @example
 * const w = st.zeros([3, 4]);
 * st.nn.init.uniform_(w, -0.1, 0.1, { generator: new st.Generator(0) });
 */
export function uniform_(t: Tensor, a = 0, b = 1, opts: InitOptions = {}): Tensor {
  checkFloat("uniform_", t);
  if (!(a <= b)) throw new ValueError(`uniform_: expected a <= b (got a=${a}, b=${b})`);
  if (t.size === 0) return t;
  if (a === b) return fill(t, a);
  return write(t, uniform(t.shape, a, b, { dtype: t.dtype, generator: opts.generator }));
}

/**
 * Fills with N(mean, std²) (defaults 0 and 1), in place; returns `t`.
 * @example st.nn.init.normal_(st.zeros([3, 4]), 0, 0.02);
 */
export function normal_(t: Tensor, mean = 0, std = 1, opts: InitOptions = {}): Tensor {
  checkFloat("normal_", t);
  if (!(std >= 0) || !Number.isFinite(std) || !Number.isFinite(mean)) {
    throw new ValueError(`normal_: expected a finite mean and a finite std >= 0 (got mean=${mean}, std=${std})`);
  }
  return write(t, normal(t.shape, mean, std, { dtype: t.dtype, generator: opts.generator }));
}

/**
 * Fills with N(mean, std²) conditioned on a ≤ x ≤ b (bounds in the tensor's units, as PyTorch's
 * trunc_normal_). Exact rejection sampling, so every value lies in [a, b] even for intervals far
 * in a tail, and the distribution is the truncated normal itself.
 * @example
 * const w = st.zeros([3, 4]);
 * st.nn.init.truncNormal_(w, 0, 0.02, -0.04, 0.04);
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2, opts: InitOptions = {}): Tensor {
  checkFloat("truncNormal_", t);
  if (!(std > 0) || !Number.isFinite(std) || !Number.isFinite(mean)) {
    throw new ValueError(`truncNormal_: expected a finite mean and a finite std > 0 (got mean=${mean}, std=${std})`);
  }
  if (!(a < b)) throw new ValueError(`truncNormal_: expected a < b (got a=${a}, b=${b})`);
  const g = opts.generator ?? defaultGenerator;
  const lo = (a - mean) / std;
  const hi = (b - mean) / std;
  // drawn into an array of t's dtype, so the bound check sees the rounded value that is stored
  const d = allocate(t.dtype, t.size);
  for (let i = 0; i < d.length; i++) {
    // float32 rounding can step just outside [a, b]; such draws are redrawn
    let tries = 0;
    do {
      if (++tries > 1000) throw new ValueError(`truncNormal_: no ${t.dtype} value lies in [${a}, ${b}]`);
      d[i] = mean + std * truncatedStandardNormal(g, lo, hi);
    } while (d[i]! < a || d[i]! > b);
  }
  return writeArray(t, d);
}

/**
 * Fills with `value` (any dtype that holds it).
 * @example st.nn.init.constant_(st.zeros([2]), 0.5); // [0.5, 0.5] (float32)
 */
export function constant_(t: Tensor, value: number): Tensor {
  checkTensor("constant_", t);
  checkValueFits("constant_", t.dtype, value);
  return fill(t, value);
}

/**
 * Fills with 0.
 * @example st.nn.init.zeros_(st.ones([2])); // [0, 0] (float32)
 */
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
/**
 * Fills with 1.
 * @example st.nn.init.ones_(st.zeros([2])); // [1, 1] (float32)
 */
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

/**
 * Sets a 2-D tensor to the identity (ones on the diagonal, zeros elsewhere).
 * @example st.nn.init.eye_(st.zeros([2, 3])); // [[1, 0, 0], [0, 1, 0]] (float32)
 */
export function eye_(t: Tensor): Tensor {
  checkTensor("eye_", t);
  if (t.ndim !== 2) throw new ShapeError(`eye_: expected a 2-D tensor (got shape ${fmtShape(t.shape)})`);
  const [n, m] = t.shape as [number, number];
  return write(t, eye(n, m, { dtype: t.dtype }));
}

/**
 * Glorot/Xavier uniform: U(−a, a), a = gain·√(6/(fanIn + fanOut)); keeps the variance of
 * activations and gradients alike for linear/tanh-like layers.
 * @example
 * const w = st.zeros([3, 4]);
 * st.nn.init.xavierUniform_(w, st.nn.init.calculateGain("tanh"));
 */
export function xavierUniform_(t: Tensor, gain = 1, opts: InitOptions = {}): Tensor {
  checkFloat("xavierUniform_", t);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, opts);
}

/**
 * Glorot/Xavier normal: N(0, std²), std = gain·√(2/(fanIn + fanOut)).
 * @example st.nn.init.xavierNormal_(st.zeros([8, 4])).shape; // [8, 4]
 */
export function xavierNormal_(t: Tensor, gain = 1, opts: InitOptions = {}): Tensor {
  checkFloat("xavierNormal_", t);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), opts);
}

function kaimingStd(op: string, t: Tensor, o: KaimingOptions): number {
  checkFloat(op, t);
  const fan = fanOf(op, t, o.mode ?? "fanIn");
  const gain = calculateGain(o.nonlinearity ?? "leakyRelu", o.a ?? 0);
  return fan === 0 ? 0 : gain / Math.sqrt(fan);
}

/**
 * He/Kaiming uniform: U(−bound, bound), bound = gain·√(3/fan) (std gain/√fan), gain from the
 * nonlinearity (√2 for relu, √(2/(1 + a²)) for leakyRelu with slope a).
 * Linear's default init is `kaimingUniform_(w, { a: √5 })`, i.e. U(±1/√fanIn).
 * @example
 * const w = st.zeros([3, 4]);
 * st.nn.init.kaimingUniform_(w, { nonlinearity: "relu" });
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd("kaimingUniform_", t, opts);
  return uniform_(t, -bound, bound, opts);
}

/**
 * He/Kaiming normal: N(0, std²), std = gain/√fan, in place; returns `t`.
 * @example st.nn.init.kaimingNormal_(st.zeros([8, 4]), { mode: "fanOut", nonlinearity: "relu" });
 */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd("kaimingNormal_", t, opts), opts);
}

/**
 * (Semi-)orthogonal init (Saxe et al. 2013): the tensor, viewed as rows = shape[0] by cols = the
 * rest, gets the Q factor of a Gaussian matrix's QR (with diag(R) > 0, so Q is Haar-distributed),
 * times `gain`. WᵀW = gain²·I when rows ≥ cols, WWᵀ = gain²·I otherwise.
 * @example st.nn.init.orthogonal_(st.zeros([64, 64]))
 */
export function orthogonal_(t: Tensor, gain = 1, opts: InitOptions = {}): Tensor {
  checkFloat("orthogonal_", t);
  if (t.ndim < 2) throw new ShapeError(`orthogonal_: expected a tensor with at least 2 dims (got shape ${fmtShape(t.shape)})`);
  if (t.size === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.size / rows;
  const d = allocate(t.dtype, t.size);
  const g = (opts.generator ?? defaultGenerator).normal(new Float64Array(rows * cols));
  if (rows >= cols) {
    const q = householderQ(g, rows, cols);
    for (let i = 0; i < q.length; i++) d[i] = gain * q[i]!;
  } else {
    // QR of the transpose (tall), then transpose Q back: orthonormal rows
    const gt = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) gt[j * rows + i] = g[i * cols + j]!;
    const q = householderQ(gt, cols, rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) d[i * cols + j] = gain * q[j * rows + i]!;
  }
  return writeArray(t, d);
}

// ---- Keras's names. They follow Keras's documented definitions (VarianceScaling): the *Normal
// ---- ones draw a normal truncated at ±2σ' with σ' = σ/0.8796 so that the result has std σ.

/** Std of N(0, 1) truncated to [−2, 2]: √(1 − 4φ(2)/(Φ(2) − Φ(−2))). Keras's constant. */
const TRUNC2_STD = 0.87962566103423978;

function varianceScalingTruncated(op: string, t: Tensor, scale: number, fan: number, opts: InitOptions): Tensor {
  checkFloat(op, t);
  if (t.size === 0) return t;
  const s = Math.sqrt(scale / fan) / TRUNC2_STD;
  return truncNormal_(t, 0, s, -2 * s, 2 * s, opts);
}

/**
 * Keras glorot_uniform: U(±√(6/(fanIn + fanOut))) — xavierUniform_ with gain 1.
 * @example st.nn.init.glorotUniform_(st.zeros([8, 4])).shape; // [8, 4]
 */
export const glorotUniform_ = (t: Tensor, opts: InitOptions = {}): Tensor => xavierUniform_(t, 1, opts);

/**
 * Keras glorot_normal: truncated normal (±2σ') with std √(2/(fanIn + fanOut)).
 * @example st.nn.init.glorotNormal_(st.zeros([8, 4])).shape; // [8, 4]
 */
export function glorotNormal_(t: Tensor, opts: InitOptions = {}): Tensor {
  checkFloat("glorotNormal_", t);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return varianceScalingTruncated("glorotNormal_", t, 2, fanIn + fanOut, opts);
}

/**
 * Keras he_uniform: U(±√(6/fanIn)) — kaimingUniform_ for relu.
 * @example st.nn.init.heUniform_(st.zeros([8, 4])).shape; // [8, 4]
 */
export const heUniform_ = (t: Tensor, opts: InitOptions = {}): Tensor => kaimingUniform_(t, { ...opts, nonlinearity: "relu" });

/**
 * Keras he_normal: truncated normal (±2σ') with std √(2/fanIn).
 * @example st.nn.init.heNormal_(st.zeros([8, 4])).shape; // [8, 4]
 */
export function heNormal_(t: Tensor, opts: InitOptions = {}): Tensor {
  checkFloat("heNormal_", t);
  return varianceScalingTruncated("heNormal_", t, 2, calculateFanInAndFanOut(t)[0], opts);
}

/**
 * Keras lecun_normal (the SELU init): truncated normal (±2σ') with std √(1/fanIn).
 * @example st.nn.init.lecunNormal_(st.zeros([8, 4])).shape; // [8, 4]
 */
export function lecunNormal_(t: Tensor, opts: InitOptions = {}): Tensor {
  checkFloat("lecunNormal_", t);
  return varianceScalingTruncated("lecunNormal_", t, 1, calculateFanInAndFanOut(t)[0], opts);
}

/**
 * Keras lecun_uniform: U(±√(3/fanIn)).
 * @example st.nn.init.lecunUniform_(st.zeros([8, 4])).shape; // [8, 4]
 */
export function lecunUniform_(t: Tensor, opts: InitOptions = {}): Tensor {
  checkFloat("lecunUniform_", t);
  const bound = Math.sqrt(3 / calculateFanInAndFanOut(t)[0]);
  return uniform_(t, -bound, bound, opts);
}
