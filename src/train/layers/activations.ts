// Keras activation names → our activation modules. Used by `dense({activation})` and
// `activation(name)`; softmax and sigmoid are recognised by `compile` to train on logits.

import { ValueError } from "../../core/errors.js";
import { ELU, GELU, LeakyReLU, LogSoftmax, ReLU, SELU, Sigmoid, Softmax, Softplus, Tanh } from "../../nn/layers/activation.js";
import type { AnyModule } from "../../nn/module.js";

/** Keras activation names (snake_case Keras spellings are accepted too: `leaky_relu`, `log_softmax`). */
export type ActivationName =
  | "linear" | "relu" | "sigmoid" | "tanh" | "softmax" | "logSoftmax" | "gelu" | "elu" | "selu" | "softplus" | "leakyRelu";

const FACTORIES: Record<ActivationName, (() => AnyModule) | null> = {
  linear: null,
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  softmax: () => new Softmax(-1),
  logSoftmax: () => new LogSoftmax(-1),
  // Keras's gelu defaults to approximate=False, as PyTorch's
  gelu: () => new GELU(),
  elu: () => new ELU(1),
  selu: () => new SELU(),
  softplus: () => new Softplus(),
  // Keras's leaky_relu negative_slope default is 0.2 (PyTorch's LeakyReLU: 0.01)
  leakyRelu: () => new LeakyReLU(0.2),
};

/** The canonical name of an activation ("leaky_relu" → "leakyRelu"), or a ValueError listing the known ones. */
export function activationName(who: string, name: unknown): ActivationName {
  if (name === undefined || name === null) return "linear";
  const canon = typeof name === "string" ? name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()) : "";
  if (!Object.prototype.hasOwnProperty.call(FACTORIES, canon)) {
    throw new ValueError(`${who}: unknown activation ${JSON.stringify(name)} (expected one of ${Object.keys(FACTORIES).join(", ")})`);
  }
  return canon as ActivationName;
}

/** The module computing activation `name`, or null for "linear" (identity). */
export function activationModule(name: ActivationName): AnyModule | null {
  const f = FACTORIES[name];
  return f === null ? null : f();
}
