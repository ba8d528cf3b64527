// model.summary(): Keras's table of layers, output shapes and parameter counts, plus how the loss
// is computed (the fused logit form when it applies).

import { zeros } from "../core/creation.js";
import { noGrad } from "../core/grad-mode.js";
import { isFloat } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import type { AnyModule } from "../nn/module.js";
import type { Model } from "./model.js";

/** Trainable parameter elements, and frozen ones plus float buffers (Keras counts BatchNorm's moving statistics as non-trainable). */
function counts(m: AnyModule): { trainable: number; frozen: number } {
  let trainable = 0, frozen = 0;
  for (const p of m.parameters()) (p.requiresGrad ? (trainable += p.size) : (frozen += p.size));
  for (const b of m.buffers()) if (isFloat(b.dtype)) frozen += b.size;
  return { trainable, frozen };
}

/** Each direct child's output shape for one zero batch, when the input shape is known. */
function outputShapes(model: Model, children: [string, AnyModule][]): Map<AnyModule, number[]> {
  const shapes = new Map<AnyModule, number[]>();
  const input = model.inputShape;
  if (input === null || !model.built) return shapes;
  const removers = children.map(([, c]) => c.registerForwardHook((m, _a, out) => { shapes.set(m, (out as Tensor).shape.slice(1)); }));
  const wasTraining = model.module.training;
  model.module.eval();
  try {
    noGrad(() => model.module.call(zeros([1, ...input], { dtype: model.inputDType })));
  } catch {
    // a module that rejects a zero batch: its shapes stay unknown ("?") rather than failing summary()
  } finally {
    model.module.train(wasTraining);
    for (const r of removers) r();
  }
  return shapes;
}

const pad = (s: string, n: number): string => (s.length >= n ? s + " " : s + " ".repeat(n - s.length));

/** The summary text of `model`. */
export function modelSummary(model: Model): string {
  const children = model.module.namedChildren();
  const rows: [string, string, string][] = [];
  const shapes = outputShapes(model, children);
  const seen = new Map<string, number>();
  for (const [key, c] of children) {
    const type = c.constructor.name;
    const base = ((c as { className?: string }).className ?? type.toLowerCase());
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    const name = `${key}: ${k === 0 ? base : `${base}_${k}`} (${type})`;
    const shape = shapes.get(c);
    const built = (c as { built?: boolean }).built;
    const { trainable, frozen } = counts(c);
    rows.push([name, shape ? `[null, ${shape.join(", ")}]` : built === false ? "(not built)" : "?", String(trainable + frozen)]);
  }
  if (children.length === 0) {
    const { trainable, frozen } = counts(model.module);
    rows.push([`${model.module.constructor.name}`, "?", String(trainable + frozen)]);
  }
  const w = [Math.max(28, ...rows.map((r) => r[0].length + 2)), Math.max(20, ...rows.map((r) => r[1].length + 2)), 12];
  const line = (ch: string) => ch.repeat(w[0]! + w[1]! + w[2]!);
  const out = [`Model: "${model.name}"`, line("_"), pad("Layer (type)", w[0]!) + pad("Output Shape", w[1]!) + "Param #", line("=")];
  for (const r of rows) out.push(pad(r[0], w[0]!) + pad(r[1], w[1]!) + r[2]);
  out.push(line("="));
  const { trainable, frozen } = counts(model.module);
  out.push(`Total params: ${trainable + frozen}`, `Trainable params: ${trainable}`, `Non-trainable params: ${frozen}`);
  if (!model.built) out.push("Some layers are not built yet: their weights are created from the first batch (or give inputShape).");
  const c = model.compiled;
  if (c !== null) {
    out.push(line("_"));
    const opt = model.optimizer?.name ?? String((c.options.optimizer as { name?: string } | undefined)?.name ?? c.options.optimizer ?? "rmsprop");
    out.push(`Optimizer: ${opt}    Loss: ${c.loss.name}${c.metrics.length ? `    Metrics: ${c.metrics.map((m) => m.name).join(", ")}` : ""}`);
    if (c.fused !== null) {
      const how = c.fused.kind === "softmax" ? "log-softmax + NLL" : "BCE with logits";
      out.push(`Loss computed from the logits of ${c.fused.where}: fused ${how}, the numerically stable path; predict() returns ${c.fused.kind} probabilities.`);
    }
  }
  return out.join("\n");
}
