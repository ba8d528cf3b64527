// One training step and one test step of a compiled model, and the running (epoch-so-far) loss
// and metrics they feed. `fit`, `evaluate`, `trainOnBatch` and `testOnBatch` all go through here.

import { ValueError } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import type { Tensor } from "../core/tensor.js";
import type { AnyModule } from "../nn/module.js";
import { regularizationLoss } from "../nn/regularizers.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Logs } from "./callback.js";
import { type Compiled, clipGradients } from "./compile.js";
import { reduceWeighted } from "./compile-losses.js";
import type { Batch } from "./fit-data.js";
import type { Metric } from "./metric.js";

/** What a step needs of the model. */
export interface StepContext {
  module: AnyModule;
  compiled: Compiled;
  optimizer: Optimizer;
  params: Tensor[];
  /** Whether any parameter carries a regularizer (its penalty joins the loss). */
  penalty: boolean;
}

/** The loss tensor of a batch (with the regularization penalty) and the model's outputs. */
function lossOf(ctx: StepContext, b: Batch): { loss: Tensor; outputs: Tensor } {
  const { compiled: c, module } = ctx;
  let lossInput: Tensor, outputs: Tensor;
  if (c.fused !== null) {
    // the stable path: the loss sees the logits; the outputs (for metrics) are their activation
    lossInput = c.fused.logits(b.x);
    const z = lossInput.detach();
    outputs = noGrad(() => c.fused!.activate(z));
  } else {
    outputs = lossInput = module.call(b.x) as Tensor;
    if (c.loss.takes !== null) checkProbabilities(c, outputs);
  }
  let loss = reduceWeighted(c.loss.name, c.loss.perSample(lossInput, b.y, c.fused !== null), b.w);
  if (ctx.penalty) loss = loss.add(regularizationLoss(module));
  return { loss, outputs };
}

/** A probability loss on outputs outside [0, 1] is a modelling error, not something to clip silently. */
function checkProbabilities(c: Compiled, outputs: Tensor): void {
  const [lo, hi] = noGrad(() => [outputs.min().item(), outputs.max().item()]);
  if (lo < 0 || hi > 1 || Number.isNaN(lo) || Number.isNaN(hi)) {
    const act = c.loss.takes;
    throw new ValueError(
      `Model.fit: the loss "${c.loss.name}" takes probabilities, but the model's outputs lie in [${lo}, ${hi}], outside [0, 1]. ` +
        `End the model in a ${act} (e.g. the last dense layer with activation: "${act}"), which fit then computes from the logits (the stable path), ` +
        `or use a loss on logits (new st.nn.${act === "softmax" ? "CrossEntropyLoss" : "BCEWithLogitsLoss"}()).`,
    );
  }
}

/**
 * Forward, loss, backward, clipping, optimizer step. A non-finite loss skips the backward and
 * the step (the weights keep their last finite values); the caller reports it.
 */
export function trainStep(ctx: StepContext, b: Batch): { loss: number; outputs: Tensor } {
  const { loss, outputs } = lossOf(ctx, b);
  const v = loss.item();
  if (Number.isFinite(v)) {
    ctx.optimizer.zeroGrad();
    loss.backward();
    clipGradients(ctx.compiled.options, ctx.params);
    ctx.optimizer.step();
  }
  return { loss: v, outputs: outputs.detach() };
}

/** The loss and outputs of a batch without gradients (the caller sets eval mode). */
export function testStep(ctx: Omit<StepContext, "optimizer">, b: Batch): { loss: number; outputs: Tensor } {
  return noGrad(() => {
    const { loss, outputs } = lossOf(ctx as StepContext, b);
    return { loss: loss.item(), outputs };
  });
}

/** The running loss (Σ loss·batchSize / Σ batchSize, Keras's loss tracker) and the streaming metrics. */
export class RunningLogs {
  private total = 0;
  private count = 0;

  constructor(private readonly metrics: readonly Metric[]) {}

  reset(): void {
    this.total = 0;
    this.count = 0;
    for (const m of this.metrics) m.reset();
  }

  update(loss: number, b: Batch, outputs: Tensor): void {
    const n = b.x.shape[0]!;
    this.total += loss * n;
    this.count += n;
    for (const m of this.metrics) m.update(outputs, b.y);
  }

  /** `{loss, <metric names>}` so far, each name prefixed by `prefix` ("val_"). */
  logs(prefix = ""): Logs {
    const out: Logs = { [`${prefix}loss`]: this.count === 0 ? NaN : this.total / this.count };
    for (const m of this.metrics) out[`${prefix}${m.name}`] = m.result();
    return out;
  }
}
