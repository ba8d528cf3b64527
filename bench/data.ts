// Deterministic inputs for the bench, identical in every library and in bench/torch_bench.py:
// a multiplicative hash of the element index (exactly reproducible in NumPy's uint64 arithmetic),
// so the losses of all libraries can be compared as a cross-check.

/**
 * `n` float32 values in [-scale, scale): h = (i·2654435761 + seed·40503) mod 2³², u = h / 2³²,
 * value = (2u − 1)·scale. Not random-quality, but spread evenly and the same everywhere.
 * The Python twin is `det_uniform` in bench/torch_bench.py.
 */
export function detUniform(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  const s = Math.imul(seed, 40503);
  for (let i = 0; i < n; i++) {
    const h = (Math.imul(i, 2654435761 | 0) + s) >>> 0;
    out[i] = (2 * (h / 4294967296) - 1) * scale;
  }
  return out;
}

/** Class labels i·7 mod classes (all classes occur, deterministically). */
export function detLabels(n: number, classes: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7) % classes;
  return out;
}

/** One-hot float32 rows of `labels` (tfjs/jax-js cross-entropy take probabilities). */
export function oneHotRows(labels: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) out[i * classes + labels[i]!] = 1;
  return out;
}

/** The MLP of workload 2: sizes, batch, learning rate, and its initial parameters. */
export const MLP = { sizes: [784, 256, 256, 10], batch: 128, lr: 1e-3 } as const;

export interface MlpData {
  x: Float32Array;
  labels: Int32Array;
  /** [weight [out, in], bias [out]] per layer, PyTorch's Linear layout; U(±1/√in) like its init. */
  layers: { w: Float32Array; b: Float32Array; inF: number; outF: number }[];
}

export function mlpData(): MlpData {
  const s = MLP.sizes;
  const layers: MlpData["layers"] = [];
  for (let l = 0; l + 1 < s.length; l++) {
    const inF = s[l]!, outF = s[l + 1]!;
    const bound = 1 / Math.sqrt(inF);
    layers.push({ w: detUniform(outF * inF, 10 + 2 * l, bound), b: detUniform(outF, 11 + 2 * l, bound), inF, outF });
  }
  return { x: detUniform(MLP.batch * s[0]!, 1, 1), labels: detLabels(MLP.batch, s[s.length - 1]!), layers };
}

/** The post-norm Transformer encoder layer of workload 3. */
export const TRANSFORMER = { batch: 16, seq: 64, dModel: 128, heads: 4, dFF: 512, eps: 1e-5 } as const;

export interface TransformerData {
  x: Float32Array;
  target: Float32Array;
  /** PyTorch nn.TransformerEncoderLayer names and layouts (in_proj packs q, k, v rows). */
  p: {
    inW: Float32Array; inB: Float32Array; outW: Float32Array; outB: Float32Array;
    w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array;
    g1: Float32Array; be1: Float32Array; g2: Float32Array; be2: Float32Array;
  };
}

/**
 * The long-sequence case of the encoder layer (`npm run bench:long`): the same layer and weights on
 * sequences of 1024, where one [batch, heads, L, L] float32 score matrix is 64 MiB.
 */
export const TRANSFORMER_LONG = { batch: 4, seq: 1024 } as const;

/** Inputs and weights of the encoder layer; `batch`/`seq` default to workload 3's sizes. */
export function transformerData(batch: number = TRANSFORMER.batch, seq: number = TRANSFORMER.seq): TransformerData {
  const { dModel: d, dFF: f } = TRANSFORMER;
  const u = (n: number, seed: number, inF: number) => detUniform(n, seed, 1 / Math.sqrt(inF));
  return {
    x: detUniform(batch * seq * d, 2, 1),
    target: detUniform(batch * seq * d, 3, 1),
    p: {
      inW: u(3 * d * d, 20, d), inB: u(3 * d, 21, d), outW: u(d * d, 22, d), outB: u(d, 23, d),
      w1: u(f * d, 24, d), b1: u(f, 25, d), w2: u(d * f, 26, f), b2: u(d, 27, f),
      g1: new Float32Array(d).fill(1), be1: new Float32Array(d), g2: new Float32Array(d).fill(1), be2: new Float32Array(d),
    },
  };
}

/** Workload 4: this many additions of two tensors of ADD_LEN elements per timed run. */
export const ADD_OPS = 10_000;
export const ADD_LEN = 16;

/** Matmul sizes of workload 1 (GFLOP/s = 2n³ / t). */
export const MATMUL_SIZES = [128, 256, 512, 1024, 2048] as const;
export const QUICK_MATMUL_SIZES = [128, 256, 512] as const;

/**
 * Workload 5: a LeNet-style CNN training step on 28×28 single-channel images, batch 64:
 * conv 5×5 (1→6) · ReLU · max-pool 2 → conv 5×5 (6→16) · ReLU · max-pool 2 → flatten (16·4·4)
 * → linear 256→120 · ReLU → 120→84 · ReLU → 84→10, softmax cross-entropy, plain SGD.
 */
export const LENET = { batch: 64, side: 28, lr: 0.01, fc: [256, 120, 84, 10] } as const;

export interface LenetData {
  /** [64, 1, 28, 28] NCHW. */
  x: Float32Array;
  labels: Int32Array;
  /** conv weights [O, C, 5, 5] (PyTorch's layout) and biases; U(±1/√fanIn) like its init. */
  convs: { w: Float32Array; b: Float32Array; inC: number; outC: number }[];
  /** linear weights [out, in] and biases. */
  fcs: { w: Float32Array; b: Float32Array; inF: number; outF: number }[];
}

export function lenetData(): LenetData {
  const convs = [[1, 6], [6, 16]].map(([inC, outC], i) => {
    const bound = 1 / Math.sqrt(inC! * 25);
    return { w: detUniform(outC! * inC! * 25, 31 + 2 * i, bound), b: detUniform(outC!, 32 + 2 * i, bound), inC: inC!, outC: outC! };
  });
  const f = LENET.fc;
  const fcs = [0, 1, 2].map((i) => {
    const inF = f[i]!, outF = f[i + 1]!;
    const bound = 1 / Math.sqrt(inF);
    return { w: detUniform(outF * inF, 35 + 2 * i, bound), b: detUniform(outF, 36 + 2 * i, bound), inF, outF };
  });
  return { x: detUniform(LENET.batch * LENET.side * LENET.side, 30, 1), labels: detLabels(LENET.batch, 10), convs, fcs };
}
