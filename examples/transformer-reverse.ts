// The first check of any Transformer: learn to reverse random digit sequences.
// A 2+2-layer encoder-decoder (st.nn.Transformer: dModel 64, 4 heads, feed-forward 128, no
// dropout, batchFirst) with learned token and position embeddings, trained by teacher forcing with
// Adam (lr 1e-3, batch 64) on fresh random sequences of length 8, then decoded greedily token by
// token (the decoder sees only its own earlier outputs) on held-out sequences.
// PyTorch with the same recipe reaches 99.8 % token accuracy after 500 steps (issue 12).
// Measured (native backend, 2 shared and busy cores, 2026-12-02, seed 0): 100.00 % greedy token
// accuracy and 100.00 % whole sequences on 1000 held-out sequences after 500 steps (final training
// loss 0.0013), 5.2 s of training and 0.3 s of decoding at load average ≈ 2.7 (35 s and 0.9 s at
// load ≈ 12); 50 steps already give 100 % on 300.
// Run: npm run example:reverse
import * as st from "../src/node.js";

/** Digits 0..9 are tokens 0..9; the decoder starts from BOS (the source has no special tokens). */
const DIGITS = 10;
const BOS = DIGITS;

export interface ReverseOptions {
  /** Sequence length (default 8). */
  length?: number;
  /** Adam steps (default 500). */
  steps?: number;
  /** Sequences per step (default 64). */
  batchSize?: number;
  dModel?: number;
  nhead?: number;
  dimFeedforward?: number;
  numLayers?: number;
  lr?: number;
  /** Held-out sequences decoded at the end (default 1000). */
  evalSamples?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface ReverseResult {
  /** Greedy-decoding token accuracy on held-out sequences (fraction of tokens right). */
  tokenAccuracy: number;
  /** Fraction of held-out sequences reversed without a single wrong token. */
  sequenceAccuracy: number;
  /** Teacher-forced cross-entropy of the last training step. */
  finalLoss: number;
  trainSeconds: number;
  evalSeconds: number;
}

/** Token + learned position embeddings around st.nn.Transformer, and the output projection. */
export class Reverser extends st.nn.Module<[st.Tensor, st.Tensor], st.Tensor> {
  srcTok: st.nn.Embedding;
  tgtTok: st.nn.Embedding;
  srcPos: st.nn.LearnedPositionalEmbedding;
  tgtPos: st.nn.LearnedPositionalEmbedding;
  transformer: st.nn.Transformer;
  head: st.nn.Linear;

  constructor(readonly length: number, dModel: number, nhead: number, dimFeedforward: number, numLayers: number) {
    super();
    this.srcTok = new st.nn.Embedding(DIGITS, dModel);
    this.tgtTok = new st.nn.Embedding(DIGITS + 1, dModel);
    this.srcPos = new st.nn.LearnedPositionalEmbedding(length, dModel, { batchFirst: true });
    this.tgtPos = new st.nn.LearnedPositionalEmbedding(length, dModel, { batchFirst: true });
    this.transformer = new st.nn.Transformer({
      dModel, nhead, numEncoderLayers: numLayers, numDecoderLayers: numLayers, dimFeedforward, dropout: 0, batchFirst: true,
    });
    this.head = new st.nn.Linear(dModel, DIGITS);
  }

  private embed(tok: st.nn.Embedding, pos: st.nn.LearnedPositionalEmbedding, ids: st.Tensor): st.Tensor {
    return pos.call(tok.call(ids)); // token vectors + the learned vector of each position
  }

  /** Encoder output for source digits [B, L]. */
  encode(src: st.Tensor): st.Tensor {
    return this.transformer.encoder.call(this.embed(this.srcTok, this.srcPos, src));
  }

  /** Logits [B, T, 10] for decoder inputs [B, T] (BOS + earlier targets) under the look-ahead mask. */
  decode(tgtIn: st.Tensor, memory: st.Tensor): st.Tensor {
    const t = tgtIn.shape[1]!;
    const tgtMask = st.nn.generateSquareSubsequentMask(t);
    return this.head.call(this.transformer.decoder.call(this.embed(this.tgtTok, this.tgtPos, tgtIn), memory, { tgtMask }));
  }

  forward(src: st.Tensor, tgtIn: st.Tensor): st.Tensor {
    return this.decode(tgtIn, this.encode(src));
  }

  /** Greedy decoding: each step feeds back the argmax of the last position. Returns int32 [B, L]. */
  greedy(src: st.Tensor): st.Tensor {
    return st.noGrad(() => {
      const b = src.shape[0]!;
      const memory = this.encode(src);
      let tgt = st.full([b, 1], BOS, { dtype: "int32" });
      for (let t = 0; t < this.length; t++) {
        const logits = this.decode(tgt, memory); // [B, t+1, 10]
        const next = logits.slice(null, [t, t + 1]).argmax(-1).int(); // [B, 1]
        tgt = st.cat([tgt, next], 1);
      }
      return tgt.slice(null, [1, this.length + 1]);
    });
  }
}

/** Decoder input under teacher forcing: BOS followed by all but the last target token. */
function shiftRight(y: st.Tensor): st.Tensor {
  const b = y.shape[0]!, n = y.shape[1]!;
  return st.cat([st.full([b, 1], BOS, { dtype: "int32" }), y.slice(null, [0, n - 1])], 1);
}

export function trainReverser(opts: ReverseOptions = {}): ReverseResult & { model: Reverser } {
  const length = opts.length ?? 8;
  const steps = opts.steps ?? 500;
  const batchSize = opts.batchSize ?? 64;
  const seed = opts.seed ?? 0;
  st.manualSeed(seed);
  const model = new Reverser(length, opts.dModel ?? 64, opts.nhead ?? 4, opts.dimFeedforward ?? 128, opts.numLayers ?? 2);
  const optimizer = new st.optim.Adam(model.parameters(), { lr: opts.lr ?? 1e-3 });

  // every step draws a fresh batch (as the PyTorch reference does); held-out data has its own seed
  const train = st.data.sequenceReversal({ nSamples: Math.max(1, steps) * batchSize, length, vocabSize: DIGITS, seed: seed + 1 });
  const t0 = performance.now();
  let finalLoss = NaN;
  model.train();
  for (let step = 0; step < steps; step++) {
    const x = train.x.slice(step * batchSize, (step + 1) * batchSize);
    const y = train.y.slice(step * batchSize, (step + 1) * batchSize);
    optimizer.zeroGrad();
    const logits = model.call(x, shiftRight(y)); // [B, L, 10]
    const loss = st.nn.functional.crossEntropy(logits.reshape([-1, DIGITS]), y.reshape([-1]));
    loss.backward();
    optimizer.step();
    finalLoss = loss.item();
    if ((step + 1) % 50 === 0 || step === 0) opts.log?.(`step ${String(step + 1).padStart(4)}  loss ${finalLoss.toFixed(4)}`);
  }
  const trainSeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  model.eval();
  const test = st.data.sequenceReversal({ nSamples: opts.evalSamples ?? 1000, length, vocabSize: DIGITS, seed: seed + 1_000_003 });
  const correct = model.greedy(test.x).eq(test.y); // [N, L] bool
  const tokenAccuracy = correct.float().mean().item();
  const sequenceAccuracy = correct.float().amin(1).mean().item();
  const evalSeconds = (performance.now() - t1) / 1000;
  return { model, tokenAccuracy, sequenceAccuracy, finalLoss, trainSeconds, evalSeconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = trainReverser({ log: console.log });
  console.log(`held-out greedy token accuracy ${(100 * r.tokenAccuracy).toFixed(2)}%, whole sequences ${(100 * r.sequenceAccuracy).toFixed(2)}%`);
  console.log(`train ${r.trainSeconds.toFixed(1)} s (500 steps), greedy decoding of 1000 sequences ${r.evalSeconds.toFixed(1)} s`);
}
