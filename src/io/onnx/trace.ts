// Records one forward pass for ONNX export through the kernel observers of ops/dispatch.ts: every
// kernel call with its inputs, outputs, attributes and module path. Tensors computed from the
// graph inputs are "derived"; everything else (parameters, buffers, constants made inside
// forward and whatever is computed from them alone) is a constant whose values are copied when
// first used, so the exporter can store it as an initializer.

import type { TypedArray } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { noGrad } from "../../core/grad-mode.js";
import type { Tensor } from "../../core/tensor.js";
import type { AnyModule } from "../../nn/module.js";
import { type KernelCall, addKernelObserver } from "../../ops/dispatch.js";

export interface TracedCall {
  op: string;
  inputs: readonly Tensor[];
  outputs: readonly Tensor[];
  attrs: unknown;
  modulePath: string | undefined;
  /** Whether an input derives from the graph inputs (otherwise the call is folded into a constant). */
  derived: boolean;
}

export interface Trace {
  calls: TracedCall[];
  derived: Set<Tensor>;
  /** Values of the constants the recorded calls read, copied when first read. */
  constants: Map<Tensor, TypedArray>;
  /** What forward returned. */
  result: unknown;
}

/** Where a traced op happened, for messages: ` in module "self_attn"`. */
export function whereIn(path: string | undefined): string {
  return path ? ` in module "${path}"` : "";
}

/** Runs `module.call(...args)` in eval mode without gradients and records its kernel calls. */
export function traceForward(module: AnyModule, args: readonly unknown[], inputs: readonly Tensor[]): Trace {
  const derived = new Set<Tensor>(inputs);
  const constants = new Map<Tensor, TypedArray>();
  const calls: TracedCall[] = [];
  const observer = {
    before(c: KernelCall) {
      if (c.inPlace) {
        const target = c.inputs[0];
        if (target && (derived.has(target) || constants.has(target))) {
          throw new ValueError(`onnx.export: the in-place op "${c.op}"${whereIn(c.modulePath)} modifies a tensor the exported graph reads; ONNX graphs have no in-place updates`);
        }
        return;
      }
      for (const t of c.inputs) if (!derived.has(t) && !constants.has(t)) constants.set(t, t.dataSync());
    },
    after(c: KernelCall) {
      if (c.inPlace) return;
      const isDerived = c.inputs.some((t) => derived.has(t));
      if (isDerived) for (const t of c.outputs) derived.add(t);
      calls.push({ op: c.op, inputs: c.inputs.slice(), outputs: c.outputs.slice(), attrs: c.attrs, modulePath: c.modulePath, derived: isDerived });
    },
  };
  // each module's own mode comes back afterwards (a frozen BatchNorm inside a training model stays so)
  const modes = module.modules().map((m) => [m, m.training] as const);
  module.eval();
  const off = addKernelObserver(observer);
  try {
    const result = noGrad(() => (module.call as (...a: unknown[]) => unknown)(...args));
    return { calls, derived, constants, result };
  } finally {
    off();
    for (const [m, mode] of modes) m.training = mode;
  }
}
