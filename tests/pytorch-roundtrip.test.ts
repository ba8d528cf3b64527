// PyTorch round trips against committed fixtures (scripts/gen-roundtrip-fixtures.py; PyTorch is
// never needed here):
// 1. models trained in PyTorch, saved as safetensors, load into the matching steadytensor models —
//    an MLP into st.nn.Sequential and into a Keras-style st.sequential, a TransformerEncoder token
//    classifier into the same composition of st.nn modules — and predict what PyTorch predicted;
// 2. a model trained here and saved with model.save (scripts/make-roundtrip-model.ts) was loaded by
//    PyTorch, whose outputs match ours; and model.save today writes exactly the committed files, so
//    the saved format cannot drift without this test (and the fixtures) changing with it.
// Agreement: float32 rtol 1e-5 / atol 1e-6.

import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { expectClose } from "./helpers/close.js";
import { type FixtureTensor, fixtureTensor } from "./helpers/fixtures.js";
import { makeRoundtripModel, ROUNDTRIP_DIR, type RoundtripInputs } from "../scripts/make-roundtrip-model.js";

const TOL = { rtol: 1e-5, atol: 1e-6 };
const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(ROUNDTRIP_DIR, name), "utf8")) as T;
const tmp = (): string => mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "steady-roundtrip-"));

describe("PyTorch → steadytensor: an MLP trained on iris", () => {
  const f = fixture<{ inputs: FixtureTensor; outputs: FixtureTensor; trainAccuracy: number }>("torch-iris-mlp.json");
  const weights = st.load(join(ROUNDTRIP_DIR, "torch-iris-mlp.safetensors"));
  const x = fixtureTensor(f.inputs);
  const want = fixtureTensor(f.outputs);

  it("the state_dict loads unchanged into st.nn.Sequential(Linear, ReLU, Linear) and predicts the same", () => {
    expect(Object.keys(weights).sort()).toEqual(["0.bias", "0.weight", "2.bias", "2.weight"]);
    const net = new st.nn.Sequential(new st.nn.Linear(4, 16), new st.nn.ReLU(), new st.nn.Linear(16, 3));
    expect(net.loadStateDict(weights)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    net.eval();
    const y = st.noGrad(() => net.call(x));
    expect(y.shape).toEqual([30, 3]);
    expectClose(y, want, { ...TOL, message: "nn.Sequential vs PyTorch" });
    // the trained model classifies (PyTorch: 98.7 % of the training rows): rows 0–9, 10–19, 20–29 are classes 0, 1, 2
    const pred = y.argmax(1).toArray() as number[];
    expect(pred.filter((p, i) => p === Math.floor(i / 10)).length).toBeGreaterThanOrEqual(28);
  });

  it("into a Keras-style st.sequential: dense layers are 0 and 1 (the ReLU is inside dense), so PyTorch's 2.* becomes 1.*", () => {
    const model = st.sequential([st.layers.dense({ units: 16, activation: "relu", inputShape: [4] }), st.layers.dense({ units: 3 })]);
    // loading PyTorch's keys as they are fails loudly, naming the keys
    expect(() => model.module.loadStateDict(weights)).toThrow(/2\.weight|1\.weight/);
    const renamed = Object.fromEntries(Object.entries(weights).map(([k, v]) => [k.replace(/^2\./, "1."), v]));
    expect(model.module.loadStateDict(renamed)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const y = model.predict(x) as st.Tensor;
    expectClose(y, want, { ...TOL, message: "st.sequential vs PyTorch" });
  });
});

/** The PyTorch classifier of the fixture script, written with st.nn modules and the same field names. */
class SeqClassifier extends st.nn.Module<[st.Tensor, st.Tensor], st.Tensor> {
  embed = new st.nn.Embedding(12, 16);
  pos = new st.nn.Embedding(10, 16);
  encoder = new st.nn.TransformerEncoder(new st.nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32, dropout: 0.1, batchFirst: true }), 2, { norm: new st.nn.LayerNorm(16) });
  head = new st.nn.Linear(16, 2);

  /** tokens [B, L] int32; attend [B, L] bool, true = a real token (PyTorch's padding mask negated). */
  forward(tokens: st.Tensor, attend: st.Tensor): st.Tensor {
    const h = this.encode(tokens, attend);
    const w = attend.to("float32").unsqueeze(-1);
    return this.head.call(h.mul(w).sum(1).div(w.sum(1))); // the mean over the real tokens
  }

  /** The encoder's output [B, L, 16] for token and position embeddings. */
  encode(tokens: st.Tensor, attend: st.Tensor): st.Tensor {
    const positions = st.arange(tokens.shape[1]!, { dtype: "int32" }).unsqueeze(0);
    return this.encoder.call(this.embed.call(tokens).add(this.pos.call(positions)), { srcKeyPaddingMask: attend });
  }
}

describe("PyTorch → steadytensor: a TransformerEncoder token classifier", () => {
  const f = fixture<{ tokens: FixtureTensor; attend: FixtureTensor; labels: FixtureTensor; outputs: FixtureTensor }>("torch-seq-transformer.json");

  it("its state_dict (embeddings, 2 encoder layers, final norm, head) loads with no key renamed and predicts the same", () => {
    const weights = st.load(join(ROUNDTRIP_DIR, "torch-seq-transformer.safetensors"));
    const model = new SeqClassifier();
    expect(Object.keys(weights).sort()).toEqual(Object.keys(model.stateDict()).sort());
    expect(Object.keys(weights)).toContain("encoder.layers.1.self_attn.in_proj_weight");
    expect(model.loadStateDict(weights)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    model.eval();
    const tokens = fixtureTensor(f.tokens).to("int32");
    const attend = fixtureTensor(f.attend).to("bool");
    expect(tokens.shape).toEqual([24, 10]);
    // padded sequences: some rows have padding (the mask matters), none is all padding
    const lengths = attend.to("int32").sum(1).toArray() as number[];
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(4);
    expect(lengths.some((n) => n < 10)).toBe(true);
    const y = st.noGrad(() => model.call(tokens, attend));
    expectClose(y, fixtureTensor(f.outputs), { ...TOL, message: "SeqClassifier vs PyTorch" });
    // and it classifies as PyTorch's did (the labels of the held-out batch)
    expect(y.argmax(1).toArray()).toEqual(fixtureTensor(f.labels).toArray());
  });

  it("with the mask's polarity flipped (PyTorch's convention passed as is) the outputs differ: the mask is exercised", () => {
    const model = new SeqClassifier();
    model.loadStateDict(st.load(join(ROUNDTRIP_DIR, "torch-seq-transformer.safetensors")));
    model.eval();
    const tokens = fixtureTensor(f.tokens).to("int32");
    const attend = fixtureTensor(f.attend).to("bool");
    // rows with padding (inverting a full row's mask would mask every key): padded keys attended instead of real ones
    const padded = attend.to("int32").sum(1).lt(10).toArray() as boolean[];
    const rows = st.tensor(padded.flatMap((p, i) => (p ? [i] : [])), { dtype: "int32" });
    const right = st.noGrad(() => model.encode(tokens, attend)).indexSelect(0, rows);
    const flipped = st.noGrad(() => model.encode(tokens, attend.logicalNot())).indexSelect(0, rows);
    const diff = flipped.sub(right).abs().max().item();
    expect(diff).toBeGreaterThan(0.1);
  });
});

describe("steadytensor → PyTorch: a model trained here and saved with model.save", () => {
  const dir = join(ROUNDTRIP_DIR, "st-wine-mlp");
  const ins = fixture<RoundtripInputs>("st-wine-mlp-inputs.json");
  const torchOut = fixture<{ keys: string[]; outputs: FixtureTensor }>("st-wine-mlp-torch.json");

  it("PyTorch, loading weights.safetensors into Linear/ReLU/Linear/Softmax, recorded our predictions", async () => {
    expect(torchOut.keys).toEqual(["0.bias", "0.weight", "1.bias", "1.weight"]);
    const model = await st.loadModel(dir);
    const y = model.predict(st.tensor(ins.inputs)) as st.Tensor;
    expect(y.shape).toEqual([12, 3]);
    expectClose(y, fixtureTensor(torchOut.outputs), { ...TOL, message: "loaded model vs PyTorch" });
    expectClose(fixtureTensor(torchOut.outputs), ins.predictions, { ...TOL, message: "PyTorch vs the predictions recorded at save time" });
    expectClose(y.sum(1), st.ones([12]), { rtol: 0, atol: 1e-6 }); // softmax rows
    expect(ins.testAccuracy).toBeGreaterThan(0.9);
  });

  it("rerunning scripts/make-roundtrip-model.ts today writes byte-identical files (training and format unchanged)", async () => {
    const out = tmp();
    const fresh = await makeRoundtripModel(out);
    expect(readdirSync(out).sort()).toEqual(readdirSync(dir).sort());
    expect(readdirSync(dir).sort()).toEqual(["config.json", "optimizer.json", "optimizer.safetensors", "weights.safetensors"]);
    for (const name of readdirSync(dir)) {
      const a = readFileSync(join(out, name));
      const b = readFileSync(join(dir, name));
      expect(a.equals(b), `${name} differs from the committed artifact: regenerate the fixtures (npx tsx scripts/make-roundtrip-model.ts && npm run fixtures:roundtrip) if the change is intended`).toBe(true);
    }
    expect(fresh).toEqual(ins);
  });

  it("loadModel then model.save reproduces the committed weights and optimizer files byte for byte", async () => {
    const model = await st.loadModel(dir);
    const out = tmp();
    await model.save(out);
    for (const name of ["weights.safetensors", "optimizer.safetensors", "optimizer.json"]) {
      expect(readFileSync(join(out, name)).equals(readFileSync(join(dir, name))), name).toBe(true);
    }
    const a = JSON.parse(readFileSync(join(out, "config.json"), "utf8")) as Record<string, unknown>;
    const b = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, unknown>;
    delete a.rngState; // the global generator's state at save time: loading does not restore it by default
    delete b.rngState;
    expect(a).toEqual(b);
  });
});
