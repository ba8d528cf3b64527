// Means and variances over a dynamic axis. `mean` is traced as sum(x) / n with n a number taken
// from the example's shape, which would freeze the divisor at the example's size. A sum over
// symbolic dims is remembered here, and when it is next divided by a scalar constant equal to the
// example's count (mean) or count − 1 (unbiased variance), the exporter divides by the run-time
// count instead (Shape arithmetic, cast to the float dtype).

import type { Tensor } from "../../core/tensor.js";
import { type Dim, type SymShape, constDim, dimAdd, dimEval, dimMul, isConst } from "./sym-shape.js";
import type { TracedCall } from "./trace.js";

export class DynamicCounts {
  private readonly sums = new Map<Tensor, Dim>();

  constructor(private readonly values: ReadonlyMap<string, number>) {}

  /** Notes a sum over dims whose element count is symbolic. */
  record(call: TracedCall, inSym: SymShape): void {
    if (call.op !== "sum") return;
    const dims = (call.attrs as { dims: number[] }).dims;
    const count = dims.reduce<Dim>((p, d) => dimMul(p, inSym[d]!), constDim(1));
    if (!isConst(count)) this.sums.set(call.outputs[0]!, count);
  }

  /**
   * For `div(sum, c)` with c a constant scalar equal to the sum's example count (or count − 1),
   * the symbolic divisor; null otherwise.
   */
  divisor(call: TracedCall, isConstant: (t: Tensor) => boolean, valueOf: (t: Tensor) => number): Dim | null {
    if (call.op !== "div") return null;
    const count = this.sums.get(call.inputs[0]!);
    const c = call.inputs[1]!;
    if (count === undefined || !isConstant(c) || c.size !== 1) return null;
    const v = valueOf(c), n = dimEval(count, this.values);
    if (v === n) return count;
    if (v === n - 1) return dimAdd(count, constDim(-1));
    return null;
  }
}
