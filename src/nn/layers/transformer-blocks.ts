// The two blocks every Transformer layer is made of — a residual connection around a sub-block
// with its LayerNorm (post-norm or pre-norm), and the feed-forward block — written once for the
// encoder and decoder layers. Their intermediates never leave the layer, so they are handed to
// the buffer pool as soon as autograd no longer needs them (nn/scratch.ts).

import type { Tensor } from "../../core/tensor.js";
import { add } from "../../ops/elementwise.js";
import { gelu, relu } from "../functional/activation.js";
import { type AnyModule, Module } from "../module.js";
import type { DropScratch } from "../scratch.js";
import type { Dropout } from "./dropout.js";
import type { LayerNorm } from "./layer-norm.js";
import type { Linear } from "./linear.js";

/** The feed-forward nonlinearity: "relu", "gelu" (exact, erf form), a function or a module. */
export type TransformerActivation = "relu" | "gelu" | ((x: Tensor) => Tensor) | AnyModule;

/** @internal Applies a TransformerActivation. */
export function applyActivation(a: TransformerActivation, x: Tensor): Tensor {
  if (a === "relu") return relu(x);
  if (a === "gelu") return gelu(x);
  if (a instanceof Module) return a.call(x) as Tensor;
  return a(x);
}

/** @internal The parts of a layer's feed-forward block: linear2(dropout(act(linear1(x)))), then `out` dropout. */
export interface FeedForwardParts {
  linear1: Linear;
  activation: TransformerActivation;
  dropout: Dropout;
  linear2: Linear;
  out: Dropout;
}

/**
 * @internal The feed-forward block. Its hidden activations are scratch; with a custom activation
 * (user code, which might keep its argument or return one of its own tensors) only the dropout
 * copy is.
 */
export function feedForward(p: FeedForwardParts, x: Tensor, dropScratch: DropScratch): Tensor {
  const h0 = p.linear1.call(x);
  const h = applyActivation(p.activation, h0);
  const d = p.dropout.call(h);
  const f0 = p.linear2.call(d);
  const f = p.out.call(f0);
  if (typeof p.activation === "string") {
    dropScratch(h0);
    dropScratch(h);
  }
  if (d !== h) dropScratch(d);
  if (f !== f0) dropScratch(f0);
  return f;
}

/**
 * @internal `x + block(x)` with its LayerNorm: `norm(x + block(x))` (post-norm) or
 * `x + block(norm(x))` (pre-norm). `block` returns a tensor of its own making; `x` is left alone
 * (it may be the caller's input).
 */
export function residual(x: Tensor, norm: LayerNorm, normFirst: boolean, block: (x: Tensor) => Tensor, dropScratch: DropScratch): Tensor {
  if (normFirst) {
    const n = norm.call(x);
    const y = block(n);
    dropScratch(n);
    const s = add(x, y);
    dropScratch(y);
    return s;
  }
  const y = block(x);
  const s = add(x, y);
  dropScratch(y);
  const out = norm.call(s);
  dropScratch(s);
  return out;
}

/**
 * @internal A stack's forward: `x` through each of `layers` (`call` runs one), then `norm` when
 * given; the tensors between two stages are the stack's own intermediates.
 */
export function runStack<L>(x: Tensor, layers: readonly L[], norm: LayerNorm | null, call: (layer: L, x: Tensor) => Tensor, dropScratch: DropScratch): Tensor {
  const input = x;
  const next = (y: Tensor): void => {
    if (x !== input) dropScratch(x);
    x = y;
  };
  for (const l of layers) next(call(l, x));
  if (norm !== null) next(norm.call(x));
  return x;
}
