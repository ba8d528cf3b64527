// float64Shadow: runs one step's forward and backward twice — as the model is (float32) and
// converted to float64 with the same inputs — and reports, per layer output (forward hooks) and
// per parameter gradient, the relative error of the float32 run against the float64 one. That is
// where float32 loses precision (cancelling sums, exp of large numbers, long reductions).
// The model is converted in place and back (float32 → float64 → float32 is exact), and its
// buffers (BatchNorm running statistics) and `.grad`s are restored, so the step leaves no trace.

import { isFloat } from "../core/dtype.js";
import { DTypeError, ValueError } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import type { Tensor } from "../core/tensor.js";
import { grad } from "../autograd/api.js";
import type { AnyModule } from "../nn/module.js";

/** One compared tensor: a layer's output or a parameter's gradient. */
export interface ShadowEntry {
  /** Module path ("0", "encoder.layers.1"; "#2" appended for a module's second call) or parameter name. */
  name: string;
  /** ‖x₃₂ − x₆₄‖₂ / ‖x₆₄‖₂ (0 when both are zero, Infinity when only the float64 one is). */
  relErr: number;
  /** max |x₃₂ − x₆₄| */
  maxAbsErr: number;
  /** ‖x₆₄‖₂, to judge the error's scale. */
  norm: number;
}

/** What `shadowRun` returns: float32 against float64, per module output and per gradient. */
export interface ShadowReport {
  /** The loss in float32. */
  loss32: number;
  /** The loss in float64. */
  loss64: number;
  /** |loss₃₂ − loss₆₄| / |loss₆₄| */
  lossRelErr: number;
  /** Outputs of every module, in call order (the root model's is named by its class). */
  outputs: ShadowEntry[];
  /** Gradients of every trainable parameter, under its `namedParameters` name. */
  grads: ShadowEntry[];
  /** The entries with the largest relative error (undefined when the list is empty). */
  worstOutput: ShadowEntry | undefined;
  /** The gradient with the largest relative error (undefined when there are none). */
  worstGrad: ShadowEntry | undefined;
}

/** Casts an input to the dtype of the run in progress (float32, then float64); non-float tensors pass. */
export type ShadowCast = (t: Tensor) => Tensor;

interface Run {
  loss: number;
  outputs: [string, Float64Array][];
  grads: (Float64Array | null)[];
}

const f64 = (t: Tensor): Float64Array => Float64Array.from(t.dataSync() as ArrayLike<number>);

function runOnce(model: AnyModule, stepFn: (model: AnyModule, cast: ShadowCast) => Tensor, params: Tensor[], dtype: "float32" | "float64"): Run {
  const outputs: [string, Float64Array][] = [];
  const seen = new Map<string, number>();
  const offs: (() => void)[] = [];
  for (const [path, m] of model.namedModules()) {
    const name = path === "" ? model.constructor.name : path;
    offs.push(m.registerForwardHook((_m, _args, out) => {
      const t = out as Tensor;
      if (t === null || typeof t !== "object" || typeof (t as { dataSync?: unknown }).dataSync !== "function" || !isFloat(t.dtype)) return undefined;
      const k = (seen.get(name) ?? 0) + 1;
      seen.set(name, k);
      outputs.push([k === 1 ? name : `${name}#${k}`, f64(t)]);
      return undefined;
    }));
  }
  try {
    const cast: ShadowCast = (t) => (isFloat(t.dtype) && t.dtype !== dtype ? t.to(dtype) : t);
    const loss = stepFn(model, cast);
    if (loss === null || typeof loss !== "object" || typeof (loss as { item?: unknown }).item !== "function" || loss.size !== 1) {
      throw new ValueError("float64Shadow: stepFn must return the scalar loss tensor of the step");
    }
    const gs = params.length ? grad(loss, params, { allowUnused: true }) : [];
    return { loss: loss.item() as number, outputs, grads: gs.map((g) => (g ? f64(g) : null)) };
  } finally {
    for (const off of offs) off();
  }
}

function compare(name: string, a: Float64Array, b: Float64Array): ShadowEntry {
  let diff2 = 0;
  let norm2 = 0;
  let maxAbs = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    diff2 += d * d;
    norm2 += b[i]! * b[i]!;
    if (d > maxAbs || Number.isNaN(d)) maxAbs = d;
  }
  const relErr = norm2 > 0 ? Math.sqrt(diff2 / norm2) : diff2 === 0 ? 0 : Infinity;
  return { name, relErr, maxAbsErr: maxAbs, norm: Math.sqrt(norm2) };
}

const worst = (es: ShadowEntry[]): ShadowEntry | undefined =>
  es.reduce<ShadowEntry | undefined>((w, e) => (w === undefined || !(e.relErr <= w.relErr) ? e : w), undefined);

/**
 * Runs one step twice, in float32 and in a float64 shadow, and reports the relative error of
 * every layer's output and every parameter's gradient: rel = ‖x₃₂ − x₆₄‖₂ / ‖x₆₄‖₂. `stepFn(model,
 * cast)` computes the step's loss; it must pass its inputs through `cast` (so the shadow sees the
 * same values in float64) and must not call `backward` or step an optimizer (gradients are taken
 * here, with `autograd.grad`). It should be deterministic (no dropout in train mode). The model is
 * converted in place and back; parameters, buffers and `.grad` are as before afterwards. A
 * Keras-style `st.Model` is accepted (its `module` is shadowed; stepFn receives that module).
 *
 * @example
 * const net = new st.nn.Sequential(new st.nn.Linear(4, 8), new st.nn.Tanh(), new st.nn.Linear(8, 1));
 * const x = st.randn([16, 4]), y = st.randn([16, 1]);
 * const r = st.stability.float64Shadow(net, (m, cast) => m.call(cast(x)).sub(cast(y)).square().mean());
 * r.worstGrad!.relErr; // ~1e-7: float32 is fine here
 */
export function float64Shadow(model: AnyModule | { module: AnyModule }, stepFn: (model: AnyModule, cast: ShadowCast) => Tensor): ShadowReport {
  // a Keras-style st.Model: shadow the module it wraps
  const inner = (model as { module?: AnyModule } | null)?.module;
  const m = (inner !== undefined && typeof (model as { namedModules?: unknown }).namedModules !== "function" ? inner : model) as AnyModule;
  if (m === null || typeof m !== "object" || typeof (m as { namedModules?: unknown }).namedModules !== "function") {
    throw new ValueError(`float64Shadow: expected an nn.Module or st.Model as the first argument (got ${m === null ? "null" : typeof m})`);
  }
  return shadowModule(m, stepFn);
}

function shadowModule(model: AnyModule, stepFn: (model: AnyModule, cast: ShadowCast) => Tensor): ShadowReport {
  if (typeof stepFn !== "function") throw new ValueError(`float64Shadow: stepFn must be a function (got ${typeof stepFn})`);
  const named = model.namedParameters();
  for (const [k, p] of named) {
    if (p.dtype !== "float32") throw new DTypeError(`float64Shadow: parameter "${k}" is ${p.dtype}; the shadow compares a float32 model with its float64 copy`);
  }
  const trainable = named.filter(([, p]) => p.requiresGrad);
  const params = trainable.map(([, p]) => p);
  // what the two runs change: buffers (running statistics, counters) and nothing else
  const buffers = model.namedBuffers().map(([, b]) => [b, noGrad(() => b.clone())] as const);
  const savedGrads = params.map((p) => (p.grad ? noGrad(() => p.grad!.clone()) : null));
  const restore = (): void => {
    noGrad(() => { for (const [b, v] of buffers) b.copy_(v); });
    params.forEach((p, i) => { p.grad = savedGrads[i] ?? null; });
  };

  let r32: Run;
  let r64: Run;
  try {
    r32 = runOnce(model, stepFn, params, "float32");
    restore();
    model.double();
    try {
      r64 = runOnce(model, stepFn, params, "float64");
    } finally {
      model.float();
    }
  } finally {
    restore();
  }

  const outputs: ShadowEntry[] = [];
  const by64 = new Map(r64.outputs);
  for (const [name, a] of r32.outputs) {
    const b = by64.get(name);
    if (b !== undefined && b.length === a.length) outputs.push(compare(name, a, b));
  }
  const grads: ShadowEntry[] = [];
  trainable.forEach(([k], i) => {
    const a = r32.grads[i];
    const b = r64.grads[i];
    if (a && b) grads.push(compare(k, a, b));
  });
  const lossRelErr = r64.loss !== 0 ? Math.abs(r32.loss - r64.loss) / Math.abs(r64.loss) : r32.loss === 0 ? 0 : Infinity;
  return { loss32: r32.loss, loss64: r64.loss, lossRelErr, outputs, grads, worstOutput: worst(outputs), worstGrad: worst(grads) };
}
