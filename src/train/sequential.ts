// st.sequential and st.model: the two ways to make a Model — a stack of layers (Keras's
// Sequential), or any nn.Module.

import { ValueError } from "../core/errors.js";
import { Sequential } from "../nn/layers/containers.js";
import type { AnyModule } from "../nn/module.js";
import { Model, type ModelOptions } from "./model.js";

/**
 * A Model running `layers` one after another (Keras's Sequential). Give the first layer an
 * `inputShape` to build the weights at once; otherwise they are built from the first batch.
 * @example
 * const model = st.sequential([
 *   st.layers.dense({ units: 10, activation: "relu", inputShape: [64] }),
 *   st.layers.dense({ units: 10, activation: "softmax" }),
 * ]);
 */
export function sequential(layers: AnyModule[], opts: ModelOptions = {}): Model {
  if (!Array.isArray(layers)) throw new ValueError(`st.sequential: expected an array of layers (got ${layers === null ? "null" : typeof layers})`);
  return new Model(new Sequential(layers), opts);
}

/**
 * Wraps any nn.Module as a Model, to compile and fit it. `model.save` writes its weights; loading
 * needs the module again (`st.loadModel(dir, { module })`).
 * @example
 * class MyNet extends st.nn.Module<[st.Tensor], st.Tensor> {
 *   fc = new st.nn.Linear(4, 2);
 *   forward(x: st.Tensor) { return this.fc.call(x).relu(); }
 * }
 * const model = st.model(new MyNet());
 * model.compile({ optimizer: "adam", loss: "mse" });
 */
export function model(module: AnyModule, opts: ModelOptions = {}): Model {
  return new Model(module, opts);
}
