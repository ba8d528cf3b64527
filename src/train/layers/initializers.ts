// Keras initializer, regularizer and constraint names → our nn.init functions and nn objects, for
// the `st.layers` factories (Keras spellings: "glorotUniform" and "glorot_uniform" both work).

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import * as init from "../../nn/init.js";
import { type ConstraintLike, maxNorm, nonNeg, unitNorm } from "../../nn/constraints.js";
import { L1, L1L2, L1L2Regularizer, L2, type RegularizerLike } from "../../nn/regularizers.js";

const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

const INITIALIZERS: Record<string, (t: Tensor) => Tensor> = {
  glorotUniform: (t) => init.glorotUniform_(t),
  glorotNormal: (t) => init.glorotNormal_(t),
  heUniform: (t) => init.heUniform_(t),
  heNormal: (t) => init.heNormal_(t),
  lecunUniform: (t) => init.lecunUniform_(t),
  lecunNormal: (t) => init.lecunNormal_(t),
  orthogonal: (t) => init.orthogonal_(t),
  zeros: (t) => init.zeros_(t),
  ones: (t) => init.ones_(t),
  // Keras's RandomNormal / RandomUniform defaults: N(0, 0.05²), U(−0.05, 0.05)
  randomNormal: (t) => init.normal_(t, 0, 0.05),
  randomUniform: (t) => init.uniform_(t, -0.05, 0.05),
  uniform: (t) => init.uniform_(t, -0.05, 0.05),
};

/** An initializer name, or a ValueError listing the known ones. */
export function checkInitializer(who: string, name: unknown): string {
  const c = typeof name === "string" ? camel(name) : "";
  if (!Object.prototype.hasOwnProperty.call(INITIALIZERS, c)) {
    throw new ValueError(`${who}: unknown initializer ${JSON.stringify(name)} (expected one of ${Object.keys(INITIALIZERS).join(", ")})`);
  }
  return c;
}

/** Fills `t` in place with initializer `name` (drawing from the global generator). */
export function initialize(name: string, t: Tensor): void {
  INITIALIZERS[name]!(t);
}

/** A regularizer spec: an object from st.nn (L1, L2, L1L2), a function of w, or "l1" / "l2" / "l1l2" (Keras's 0.01). */
export type RegularizerSpec = RegularizerLike | "l1" | "l2" | "l1l2" | { l1?: number; l2?: number };

export function resolveRegularizer(who: string, spec: RegularizerSpec | null | undefined): RegularizerLike | null {
  if (spec === undefined || spec === null) return null;
  if (spec === "l1") return L1();
  if (spec === "l2") return L2();
  if (spec === "l1l2" || (spec as string) === "l1_l2") return L1L2({ l1: 0.01, l2: 0.01 });
  if (typeof spec === "function" || spec instanceof L1L2Regularizer) return spec;
  if (typeof spec === "object" && typeof (spec as { call?: unknown }).call === "function") return spec as RegularizerLike;
  if (typeof spec === "object" && ("l1" in spec || "l2" in spec)) return L1L2(spec as { l1?: number; l2?: number });
  throw new ValueError(`${who}: unknown regularizer ${JSON.stringify(spec)} (expected "l1", "l2", "l1l2", {l1, l2} or st.nn.L2(…))`);
}

/** A regularizer as JSON for config.json ({l1, l2}), or a ValueError for one that cannot be written. */
export function regularizerToJson(who: string, r: RegularizerLike | null): { l1: number; l2: number } | null {
  if (r === null) return null;
  if (r instanceof L1L2Regularizer) return { l1: r.l1, l2: r.l2 };
  throw new ValueError(`${who}: a custom regularizer function cannot be saved to config.json (use st.nn.L1/L2/L1L2, or save with st.model(module) and load with {module})`);
}

/**
 * A constraint spec: an object from st.nn (maxNorm, nonNeg, …), a function, or a name: "nonNeg",
 * "maxNorm" (2), "unitNorm". Names act on each output unit, as Keras's axis 0 on its [in, out]
 * kernel; our weights are laid out [out, in], so that is axis 1 here.
 */
export type ConstraintSpec = ConstraintLike | "nonNeg" | "maxNorm" | "unitNorm";

export function resolveConstraint(who: string, spec: ConstraintSpec | null | undefined): ConstraintLike | null {
  if (spec === undefined || spec === null) return null;
  if (typeof spec === "string") {
    const c = camel(spec);
    if (c === "nonNeg") return nonNeg();
    if (c === "maxNorm") return maxNorm(2, 1);
    if (c === "unitNorm") return unitNorm(1);
    throw new ValueError(`${who}: unknown constraint ${JSON.stringify(spec)} (expected "nonNeg", "maxNorm", "unitNorm" or an st.nn constraint)`);
  }
  if (typeof spec === "function" || (typeof spec === "object" && typeof (spec as { apply?: unknown }).apply === "function")) return spec;
  throw new ValueError(`${who}: unknown constraint ${JSON.stringify(spec)} (expected "nonNeg", "maxNorm", "unitNorm" or an st.nn constraint)`);
}

/** A constraint spec as JSON: only the names can be written (objects are closures). */
export function constraintToJson(who: string, spec: ConstraintSpec | null | undefined): string | null {
  if (spec === undefined || spec === null) return null;
  if (typeof spec === "string") return spec;
  throw new ValueError(`${who}: a constraint object cannot be saved to config.json (pass it by name: "maxNorm", "nonNeg", "unitNorm", or save with st.model(module) and load with {module})`);
}
