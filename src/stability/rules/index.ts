// The check-time rules in the order their findings are listed.

import type { Diagnosis } from "../types.js";
import { dyingReluRule, inputRule, saturationRule } from "./activation-rules.js";
import type { CheckContext } from "./diagnosis.js";
import { explodingRule, vanishingRule } from "./gradient-rules.js";
import { divergenceRule, oscillationRule, plateauRule } from "./loss-rules.js";

export type { CheckContext } from "./diagnosis.js";
export { edgeOfStabilityRule, overfittingRule, underfittingRule } from "./epoch-rules.js";
export type { EpochRecord } from "./epoch-rules.js";

/** Every rule evaluated at a check. */
export const CHECK_RULES: readonly ((c: CheckContext) => Diagnosis[])[] = [
  divergenceRule, oscillationRule, plateauRule, inputRule, explodingRule, vanishingRule, dyingReluRule, saturationRule,
];

/** Runs every check rule on `c`. */
export function runCheckRules(c: CheckContext): Diagnosis[] {
  return CHECK_RULES.flatMap((r) => r(c));
}
