// Weight penalties (Keras's kernel regularizers): L1, L2 and L1L2 objects, attached to parameters
// with `regularize`, and `regularizationLoss(model)`, the differentiable sum a training loop adds
// to the data loss. Keras's formulas and defaults: penalty = l1·Σ|w| + l2·Σw², no ½ on L2.

import { ValueError } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import { add, abs, mul, square } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";
import { empty } from "../ops/util.js";
import { type ParamSource, collectParams } from "./utils/params.js";

/** A penalty on one weight tensor: a 0-d tensor differentiable in w. */
export interface Regularizer {
  /** The penalty of `w`, a 0-d tensor differentiable in `w`. */
  call(w: Tensor): Tensor;
}

/** A regularizer object, or a plain function of the weight. */
export type RegularizerLike = Regularizer | ((w: Tensor) => Tensor);

function checkCoef(name: string, field: string, v: number): number {
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) throw new ValueError(`${name}: ${field} must be a finite number >= 0 (got ${String(v)})`);
  return v;
}

/**
 * penalty(w) = l1·Σ|w| + l2·Σw² (Keras's L1L2; the L2 term has no ½, so its gradient is 2·l2·w —
 * the same as SGD weight decay of 2·l2, not l2).
 * @example
 * const reg = new st.nn.L1L2Regularizer(0.1, 0.01);
 * reg.call(st.tensor([1, -2])); // 0.1·3 + 0.01·5 = 0.35
 */
export class L1L2Regularizer implements Regularizer {
  /** L1 factor λ₁ (penalty λ₁·Σ|w|). */
  readonly l1: number;
  /** L2 factor λ₂ (penalty λ₂·Σw²). */
  readonly l2: number;
  constructor(l1 = 0, l2 = 0, name = "L1L2") {
    this.l1 = checkCoef(name, "l1", l1);
    this.l2 = checkCoef(name, "l2", l2);
  }

  /**
   * The penalty λ₁·Σ|w| + λ₂·Σw² of `w` (a differentiable scalar).
   * @example st.nn.L1L2({ l1: 0.1, l2: 0.01 }).call(st.tensor([1, -2])); // 0.1·3 + 0.01·5 = 0.35
   */
  call(w: Tensor): Tensor {
    let p: Tensor | null = null;
    if (this.l1 !== 0) p = mul(sum(abs(w)), this.l1);
    if (this.l2 !== 0) { const t = mul(sum(square(w)), this.l2); p = p ? add(p, t) : t; }
    return p ?? empty([], w.dtype);
  }

  toString(): string {
    if (this.l2 === 0 && this.l1 !== 0) return `L1(l1=${this.l1})`;
    if (this.l1 === 0 && this.l2 !== 0) return `L2(l2=${this.l2})`;
    return `L1L2(l1=${this.l1}, l2=${this.l2})`;
  }
}

/**
 * L1 penalty l1·Σ|w| (Keras's `L1`, default l1 = 0.01): pushes weights to exactly 0 (sparsity).
 * @example
 * const layer = new st.nn.Linear(4, 2);
 * st.nn.regularize(layer.weight, st.nn.L1(1e-4));
 */
export function L1(l1 = 0.01): L1L2Regularizer {
  return new L1L2Regularizer(l1, 0, "L1");
}

/**
 * L2 penalty l2·Σw² (Keras's `L2`, default l2 = 0.01; no ½ factor).
 * @example
 * const layer = new st.nn.Linear(4, 2);
 * st.nn.regularize(layer.weight, st.nn.L2(1e-4));
 */
export function L2(l2 = 0.01): L1L2Regularizer {
  return new L1L2Regularizer(0, l2, "L2");
}

/**
 * Both penalties, l1·Σ|w| + l2·Σw² (Keras's `L1L2` class: both default to 0).
 * @example
 * const layer = new st.nn.Linear(4, 2);
 * st.nn.regularize(layer.weight, st.nn.L1L2({ l1: 1e-5, l2: 1e-4 }));
 */
export function L1L2(opts: { l1?: number; l2?: number } = {}): L1L2Regularizer {
  return new L1L2Regularizer(opts.l1 ?? 0, opts.l2 ?? 0, "L1L2");
}

/** Attachments live beside the tensors (a WeakMap), so Tensor and Parameter need no new fields. */
const attached = new WeakMap<Tensor, RegularizerLike>();

/**
 * Attaches a penalty to a parameter (replacing any earlier one; `null` removes it) and returns
 * the parameter. `regularizationLoss` then includes it.
 * @example
 * const fc = new st.nn.Linear(64, 10);
 * st.nn.regularize(fc.weight, st.nn.L2(1e-4));
 */
export function regularize<T extends Tensor>(param: T, regularizer: RegularizerLike | null): T {
  if (!(param instanceof Tensor)) throw new ValueError(`regularize: expected a parameter tensor (got ${param === null ? "null" : typeof param})`);
  if (regularizer === null) { attached.delete(param); return param; }
  if (typeof regularizer !== "function" && (typeof regularizer !== "object" || typeof regularizer.call !== "function")) {
    throw new ValueError(`regularize: expected a regularizer (an object with call(w), e.g. st.nn.L2(1e-4), or a function of w), got ${typeof regularizer}`);
  }
  attached.set(param, regularizer);
  return param;
}

/**
 * The penalty attached to `param`, if any.
 * @example
 * const fc = new st.nn.Linear(2, 2);
 * st.nn.regularize(fc.weight, st.nn.L2(1e-4));
 * st.nn.getRegularizer(fc.weight); // the L2 regularizer; undefined for fc.bias
 */
export function getRegularizer(param: Tensor): RegularizerLike | undefined {
  return attached.get(param);
}

/**
 * Σ penalty(p) over the parameters of `model` (a Module, a tensor or tensors) that have one
 * attached — each shared parameter once. Differentiable: add it to the loss before backward.
 * A 0-d tensor; 0 (float32, no graph) when nothing is attached.
 * @example
 * const model = new st.nn.Linear(4, 3);
 * st.nn.regularize(model.weight, st.nn.L2(1e-4));
 * const x = st.randn([8, 4]);
 * const y = st.randint(0, 3, [8]);
 * const loss = st.nn.functional.crossEntropy(model.call(x), y).add(st.nn.regularizationLoss(model));
 */
export function regularizationLoss(model: ParamSource): Tensor {
  let total: Tensor | null = null;
  for (const p of collectParams("regularizationLoss", model)) {
    const r = attached.get(p);
    if (r === undefined) continue;
    const pen = typeof r === "function" ? r(p) : r.call(p);
    if (!(pen instanceof Tensor) || pen.size !== 1) {
      throw new ValueError(`regularizationLoss: the regularizer of a parameter of shape [${p.shape.join(", ")}] returned ${pen instanceof Tensor ? `a tensor of shape [${pen.shape.join(", ")}]` : typeof pen} (expected a one-element tensor)`);
    }
    total = total ? add(total, pen) : pen;
  }
  return total ?? empty([], "float32");
}
