// The recurrent layers beyond the PyTorch fixtures: shapes and options (batchFirst, unbatched,
// dropout between layers, printing), bad input raising typed errors, the Keras-style factories
// st.layers.lstm / gru / simpleRNN, and learning: an LSTM solves the adding problem
// (examples/lstm-adding.ts) to a held-out MSE far below predicting the mean.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { lstmAdding } from "../examples/lstm-adding.js";
import { expectClose } from "./helpers/close.js";

describe("RNN / LSTM / GRU modules", () => {
  it("state-dict keys, shapes and order are PyTorch's (2 layers, bidirectional)", () => {
    const m = new st.nn.LSTM(3, 4, { numLayers: 2, bidirectional: true });
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual([
      "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
      "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
      "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
      "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
    ]);
    expect(sd.weight_ih_l0!.shape).toEqual([16, 3]);
    expect(sd.weight_ih_l1!.shape).toEqual([16, 8]);
    expect(sd.weight_hh_l1_reverse!.shape).toEqual([16, 4]);
    // init U(±1/√4): every value within ±0.5
    for (const t of Object.values(sd)) expect(Math.max(...[...t.dataSync()].map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(String(m)).toBe("LSTM(3, 4, num_layers=2, bidirectional=True)");
    expect(String(new st.nn.GRU(3, 4, { batchFirst: true, dropout: 0.5, bias: false }))).toBe("GRU(3, 4, bias=False, batch_first=True, dropout=0.5)");
    expect(String(new st.nn.RNN(2, 2, { nonlinearity: "relu" }))).toBe("RNN(2, 2, nonlinearity='relu')");
  });

  it("batchFirst gives the transposed result of the same module; unbatched equals batch 1", () => {
    st.manualSeed(1);
    const a = new st.nn.GRU(3, 5, { numLayers: 2 });
    const b = new st.nn.GRU(3, 5, { numLayers: 2, batchFirst: true });
    b.loadStateDict(a.stateDict());
    const x = st.randn([6, 2, 3]);
    const [oa, ha] = a.call(x);
    const [ob, hb] = b.call(x.transpose(0, 1));
    expectClose(ob.transpose(0, 1), oa, { rtol: 1e-6, atol: 1e-7 });
    expectClose(hb, ha, { rtol: 1e-6, atol: 1e-7 });
    const [ou, hu] = a.call(x.narrow(1, 0, 1).squeeze(1));
    expect(ou.shape).toEqual([6, 5]);
    expect(hu.shape).toEqual([2, 5]);
    expectClose(ou, oa.narrow(1, 0, 1).squeeze(1), { rtol: 1e-6, atol: 1e-7 });
  });

  it("dropout acts between layers in training only", () => {
    st.manualSeed(2);
    const m = new st.nn.LSTM(3, 4, { numLayers: 2, dropout: 0.5 });
    const x = st.randn([5, 2, 3]);
    m.eval();
    const [e1] = m.call(x);
    const [e2] = m.call(x);
    expectClose(e1, e2, { rtol: 0, atol: 0 });
    m.train();
    const [t1] = m.call(x);
    expect(t1.sub(e1).abs().max().item()).toBeGreaterThan(1e-3);
  });

  it("a float64 module runs on float64 input and gradients reach every parameter", () => {
    const m = new st.nn.LSTM(2, 3, { dtype: "float64", bidirectional: true });
    const [out, [hN, cN]] = m.call(st.randn([4, 2, 2], { dtype: "float64" }));
    expect(out.dtype).toBe("float64");
    out.sum().add(hN.sum()).add(cN.sum()).backward();
    for (const [k, p] of m.namedParameters()) expect(p.grad, k).not.toBeNull();
  });

  it("bad input raises typed errors that name the module, what came and what was expected", () => {
    const lstm = new st.nn.LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm.call(st.zeros([5, 2, 4]))).toThrow(/LSTM\(3, 4\): expected input with 3 features .*got shape \[5, 2, 4\]/);
    expect(() => lstm.call(st.zeros([5, 2, 3, 1]))).toThrow(st.ShapeError);
    expect(() => lstm.call(st.zeros([0, 2, 3]))).toThrow(/expected a sequence length > 0/);
    expect(() => lstm.call(st.zeros([5, 2, 3]), [st.zeros([1, 2, 4]), st.zeros([2, 2, 4])])).toThrow(/expected h0 of shape \[2, 2, 4\].*got \[1, 2, 4\]/);
    expect(() => lstm.call(st.zeros([5, 2, 3]), [st.zeros([2, 2, 4]), st.zeros([2, 3, 4])])).toThrow(/expected c0 of shape \[2, 2, 4\]/);
    expect(() => lstm.call(st.zeros([5, 2, 3]), st.zeros([2, 2, 4]) as unknown as [Tensor, Tensor])).toThrow(/must be a pair \[h0, c0\]/);
    expect(() => lstm.call(st.zeros([5, 2, 3], { dtype: "float64" }))).toThrow(st.DTypeError);
    expect(() => lstm.call([1, 2, 3] as unknown as Tensor)).toThrow(st.DTypeError);
    const gru = new st.nn.GRU(3, 4, { bidirectional: true });
    expect(() => gru.call(st.zeros([5, 2, 3]), st.zeros([1, 2, 4]))).toThrow(/expected h0 of shape \[2, 2, 4\]/);
    expect(() => new st.nn.RNN(3, 4, { nonlinearity: "sigmoid" as "tanh" })).toThrow(st.ValueError);
    expect(() => new st.nn.GRU(0, 4)).toThrow(/inputSize must be a positive integer/);
    expect(() => new st.nn.LSTM(3, 4, { dropout: 1.5 })).toThrow(/dropout must lie in \[0, 1\]/);
    const cell = new st.nn.LSTMCell(3, 4);
    expect(() => cell.call(st.zeros([2, 5]))).toThrow(/LSTMCell\(3, 4\): expected input \[batch, 3\]/);
    expect(() => cell.call(st.zeros([2, 3]), [st.zeros([3, 4]), st.zeros([2, 4])])).toThrow(/expected h of shape \[2, 4\]/);
    expect(() => st.nn.functional.gruCell(st.zeros([2, 3]), st.zeros([2, 4]), st.zeros([12, 3]), st.zeros([8, 4]))).toThrow(/weightHh must be \[3·hidden, hidden\]/);
  });
});

describe("st.layers.lstm / gru / simpleRNN (Keras-style, batch-first)", () => {
  it("returns the last output or the whole sequence, and the states with callWithState", () => {
    st.manualSeed(3);
    const x = st.randn([4, 7, 3]);
    const last = st.layers.lstm({ units: 5, inputShape: [7, 3] });
    expect(last.call(x).shape).toEqual([4, 5]);
    const seq = st.layers.gru({ units: 6, returnSequences: true });
    expect(seq.call(x).shape).toEqual([4, 7, 6]);
    const [y, h, c] = last.callWithState(x);
    expectClose(y!, h!, { rtol: 0, atol: 0 }); // the last output is the final h
    expect(c!.shape).toEqual([4, 5]);
    expect(st.layers.simpleRNN({ units: 2, activation: "relu" }).call(x).min().item()).toBeGreaterThanOrEqual(0);
  });

  it("uses Keras's initializers (forget-gate bias 1) and PyTorch's weight names", () => {
    const l = st.layers.lstm({ units: 3, inputShape: [5, 2] });
    const sd = l.stateDict();
    expect(Object.keys(sd)).toEqual(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]);
    expect([...sd.bias_ih_l0!.dataSync()]).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect([...sd.bias_hh_l0!.dataSync()].every((v) => v === 0)).toBe(true);
    // orthogonal recurrent kernel: its 3 columns are orthonormal
    const w = sd.weight_hh_l0!;
    expectClose(w.T.matmul(w), st.eye(3), { rtol: 0, atol: 1e-5 });
  });

  it("rebuilds from its spec and stacks in a sequential model", () => {
    const l = st.layers.lstm({ units: 4, returnSequences: true, inputShape: [6, 2], unitForgetBias: false });
    const spec = l.toSpec();
    expect(spec).toEqual({ className: "lstm", config: { units: 4, returnSequences: true, useBias: true, kernelInitializer: "glorotUniform", recurrentInitializer: "orthogonal", unitForgetBias: false, inputShape: [6, 2] } });
    const again = st.layers.fromSpec(spec);
    expect(again.call(st.zeros([2, 6, 2])).shape).toEqual([2, 6, 4]);
    const model = st.sequential([l, st.layers.gru({ units: 3 }), st.layers.dense({ units: 1 })]);
    expect(model.predict(st.zeros([5, 6, 2])).shape).toEqual([5, 1]);
  });

  it("bad options and input raise typed errors", () => {
    expect(() => st.layers.lstm({ units: 0 })).toThrow(/layers.lstm: units must be a positive integer/);
    expect(() => st.layers.gru({ units: 2, inputShape: [6] })).toThrow(/inputShape must be \[steps, features\]/);
    expect(() => st.layers.simpleRNN({ units: 2, activation: "sigmoid" as "tanh" })).toThrow(st.ValueError);
    expect(() => st.layers.lstm({ units: 2, inputShape: [5, 3] }).call(st.zeros([2, 5, 4]))).toThrow(/expected 3 features per step/);
    expect(() => st.layers.lstm({ units: 2 }).call(st.zeros([2, 5]))).toThrow(/expected input \[batch, steps, features\]/);
  });
});

describe("learning", () => {
  it("an LSTM(32) solves the adding problem (T = 20): held-out MSE < 0.02 (the mean predicts 0.167), ≥ 80 % within ±0.1", async () => {
    const r = await lstmAdding({ verbose: 0 });
    expect(r.baselineMse).toBeGreaterThan(0.12);
    expect(r.testMse).toBeLessThan(0.02);
    expect(r.within01).toBeGreaterThanOrEqual(0.8);
  }, 120_000);
});
