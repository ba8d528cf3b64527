// Constants that follow a dynamic axis. A positional table sliced to the input's length inside
// forward (`pe[offset : offset + L]`) is traced as a slice of a constant, i.e. a constant of the
// example's length. When such a tensor meets a dynamic axis, the exporter "revives" it: the
// slice (and the reshapes/permutes after it) are written as nodes whose length is the run-time
// size of the axis, reading the whole table as an initializer. A look-ahead mask built inside
// forward at the example's length is rebuilt with Trilu at the run-time length.

import type { Tensor } from "../../core/tensor.js";
import type { GraphBuilder } from "./graph-builder.js";
import { type Dim, type SymShape, constDim, dimAdd, isConst, reshapeSym, symDim } from "./sym-shape.js";
import type { TracedCall } from "./trace.js";

export interface Revived {
  name: string;
  sym: SymShape;
}

export class ConstantReviver {
  private readonly producer = new Map<Tensor, TracedCall>();
  private readonly done = new Map<Tensor, Revived | null>();

  constructor(
    calls: readonly TracedCall[],
    private readonly g: GraphBuilder,
    private readonly values: ReadonlyMap<string, number>,
    private readonly nameOf: (t: Tensor) => string,
  ) {
    for (const c of calls) if (!c.derived) for (const t of c.outputs) this.producer.set(t, c);
  }

  /** The symbol whose example size is n (sizes of distinct symbols differ), if any. */
  private symbolOfSize(n: number): string | null {
    for (const [s, v] of this.values) if (v === n) return s;
    return null;
  }

  /** `t` rebuilt with its dims that come from a sliced length following the matching symbol, or null. */
  revive(t: Tensor): Revived | null {
    if (this.done.has(t)) return this.done.get(t)!;
    const r = this.build(t);
    this.done.set(t, r);
    return r;
  }

  private build(t: Tensor): Revived | null {
    const p = this.producer.get(t);
    if (!p) return this.lookAhead(t);
    const g = this.g;
    if (p.op === "slice") {
      const { starts, steps } = p.attrs as { starts: number[]; steps: number[] };
      const src = p.inputs[0]!, out = t.shape;
      const sym: Dim[] = out.map((n) => constDim(n));
      let dynamic = false;
      const axes: number[] = [], s: number[] = [], ends: (number | Dim)[] = [], st: number[] = [];
      out.forEach((n, i) => {
        if (starts[i] === 0 && steps[i] === 1 && n === src.shape[i]) return;
        const symbol = steps[i] === 1 ? this.symbolOfSize(n) : null;
        axes.push(i); s.push(starts[i]!); st.push(steps[i]!);
        if (symbol !== null) {
          dynamic = true;
          sym[i] = symDim(symbol);
          ends.push(dimAdd(symDim(symbol), constDim(starts[i]!)));
        } else ends.push(starts[i]! + n * steps[i]!);
      });
      if (!dynamic) return null;
      const endParts = ends.map((e) => (typeof e === "number" ? g.int64s([e]) : g.dimTensor(e)));
      const endT = endParts.length === 1 ? endParts[0]! : g.op("Concat", endParts, { axis: { i: 0 } });
      const name = g.op("Slice", [this.nameOf(src), g.int64s(s), endT, g.int64s(axes), g.int64s(st)]);
      return { name, sym };
    }
    if (p.op === "reshape" || p.op === "permute") {
      const inner = this.revive(p.inputs[0]!);
      if (!inner) return null;
      if (p.op === "permute") {
        const perm = (p.attrs as { perm: number[] }).perm;
        return { name: g.op("Transpose", [inner.name], { perm: { ints: perm } }), sym: perm.map((k) => inner.sym[k]!) };
      }
      const sym = reshapeSym(inner.sym, p.inputs[0]!.shape, t.shape, this.values);
      if (!sym || sym.every(isConst)) return null;
      return { name: g.op("Reshape", [inner.name, g.shapeTensor(sym, inner.sym)]), sym };
    }
    return null;
  }

  /**
   * A bool [L, S] look-ahead mask made inside forward (true where key j ≤ query i: what
   * `isCausal` and generateSquareSubsequentMask build) whose sizes are dynamic axes: rebuilt
   * with Trilu from the run-time sizes.
   */
  private lookAhead(t: Tensor): Revived | null {
    if (t.dtype !== "bool" || t.ndim !== 2) return null;
    const [L, S] = t.shape as [number, number];
    const sl = this.symbolOfSize(L), ss = this.symbolOfSize(S);
    if (sl === null && ss === null) return null;
    const m = t.dataSync();
    for (let i = 0; i < L; i++) for (let j = 0; j < S; j++) if (Boolean(m[i * S + j]) !== j <= i) return null;
    const sym = [sl === null ? constDim(L) : symDim(sl), ss === null ? constDim(S) : symDim(ss)];
    const g = this.g;
    const ones = g.op("ConstantOfShape", [g.shapeTensor(sym)], {
      value: { t: { name: "one", dims: [1], data_type: 1, raw_data: new Uint8Array(Float32Array.of(1).buffer) } },
    });
    return { name: g.op("Cast", [g.op("Trilu", [ones], { upper: { i: 0 } })], { to: { i: 9 } }), sym };
  }
}
