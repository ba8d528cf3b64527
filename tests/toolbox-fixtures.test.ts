// Every case of tests/fixtures/toolbox/ops.json (PyTorch 1.13; scripts/gen-toolbox-fixtures.py):
// each output of the toolbox op against PyTorch's (float32 rtol 1e-5 / atol 1e-6, integers and
// bools exact: sort's tie order, unique's order, remainder/fmod signs, scatterReduce modes …) and,
// where the case has them, the gradients of Σ (output · upstream), on every backend.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { describeOnBackends } from "./helpers/backends.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";

interface ToolboxCase {
  name: string;
  op: string;
  args: Record<string, unknown>;
  inputs: Tensor[];
  outputs: Tensor[];
  upstream: Tensor[] | null;
  grads: (Tensor | null)[] | null;
}

type Args = Record<string, unknown>;
const vi = (r: { values: Tensor; indices: Tensor }) => [r.values, r.indices];
// args.index was converted to a Tensor by the loader; it holds int32 values
const index = (a: Args) => a.index as Tensor;

/** Each fixture op as a steadytensor call returning its outputs. */
const OPS: Record<string, (xs: Tensor[], a: Args) => Tensor | Tensor[]> = {
  atan2: ([y, x]) => st.atan2(y!, x!),
  remainder: ([a, b]) => a!.remainder(b!),
  remainderScalar: ([a], g) => st.remainder(a!, g.other as number),
  fmod: ([a, b]) => st.fmod(a!, b!),
  hypot: ([a, b]) => st.hypot(a!, b!),
  lerp: ([a, b], g) => st.lerp(a!, b!, g.weight as number),
  lerpTensor: ([a, b, w]) => a!.lerp(b!, w!),
  cumsum: ([x], a) => st.cumsum(x!, a.dim as number),
  cumprod: ([x], a) => x!.cumprod(a.dim as number),
  sort: ([x], a) => vi(st.sort(x!, a.dim as number, a.descending as boolean)),
  argsort: ([x], a) => x!.argsort(a.dim as number, a.descending as boolean),
  topk: ([x], a) => vi(st.topk(x!, a.k as number, a.dim as number, a.largest as boolean)),
  kthvalue: ([x], a) => vi(x!.kthvalue(a.k as number, a.dim as number, a.keepdim as boolean)),
  medianAll: ([x]) => st.median(x!),
  median: ([x], a) => vi(st.median(x!, a.dim as number, a.keepdim as boolean)),
  quantile: ([x], a) => {
    const q = Array.isArray(a.q) ? st.tensor(Float64Array.from(a.q as number[]), { dtype: "float64" }) : (a.q as number);
    return st.quantile(x!, q, a.dim as number | null, { keepdim: a.keepdim as boolean, interpolation: a.interpolation as st.QuantileInterpolation });
  },
  unique: ([x]) => {
    const r = st.unique(x!, { sorted: true, returnInverse: true, returnCounts: true });
    return [r.values, r.inverse!, r.counts!];
  },
  uniqueDim: ([x], a) => {
    const r = x!.unique({ dim: a.dim as number, returnInverse: true, returnCounts: true });
    return [r.values, r.inverse!, r.counts!];
  },
  nonzero: ([x]) => st.nonzero(x!),
  maskedSelect: ([x, m]) => st.maskedSelect(x!, m!),
  scatterReduce: ([x, s], a) => st.scatterReduce(x!, a.dim as number, index(a), s!, a.reduce as st.ScatterReduce, a.includeSelf as boolean),
  scatter: ([x, s], a) => x!.scatter(a.dim as number, index(a), s!),
  scatterValue: ([x], a) => st.scatter(x!, a.dim as number, index(a), a.value as number),
  indexAdd: ([x, s], a) => x!.indexAdd(a.dim as number, index(a), s!, { alpha: a.alpha as number }),
  einsum: (xs, a) => st.einsum(a.equation as string, ...xs),
  mm: ([a, b]) => st.mm(a!, b!),
  bmm: ([a, b]) => a!.bmm(b!),
  addmm: ([c, a, b], g) => st.addmm(c!, a!, b!, { beta: g.beta as number, alpha: g.alpha as number }),
  baddbmm: ([c, a, b], g) => c!.baddbmm(a!, b!, { beta: g.beta as number, alpha: g.alpha as number }),
  diag: ([x], a) => st.diag(x!, a.offset as number),
  diagonal: ([x], a) => x!.diagonal(a.offset as number, a.dim1 as number, a.dim2 as number),
  trace: ([x]) => st.trace(x!),
  flip: ([x], a) => st.flip(x!, a.dims as number[]),
  roll: ([x], a) => x!.roll(a.shifts as number | number[], (a.dims ?? undefined) as number[] | undefined),
  any: ([x], a) => st.any(x!, (a.dim ?? undefined) as number | undefined, a.keepdim as boolean),
  all: ([x], a) => x!.all((a.dim ?? undefined) as number | undefined, a.keepdim as boolean),
  meshgrid: (xs, a) => st.meshgrid(xs, { indexing: a.indexing as "ij" | "xy" }),
  logspace: (_xs, a) => st.logspace(a.start as number, a.end as number, a.steps as number, a.base as number),
  select: ([x], a) => x!.select(a.dim as number, a.index as number),
};
for (const u of ["tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "log2", "log10", "exp2", "erfinv", "reciprocal"] as const) {
  OPS[u] = ([x]) => st[u](x!);
}

const fixtures = loadFixtures<ToolboxCase>("toolbox/ops");
const tol = (t: Tensor) => (t.dtype === "float32" ? { rtol: 1e-5, atol: 1e-6 } : {});

describe("toolbox fixtures file", () => {
  it("was written by PyTorch and covers every op mapped here", () => {
    expect(fixtures.torch).toMatch(/^1\.13/);
    const ops = new Set(fixtures.cases.map((c) => c.op));
    expect([...ops].filter((o) => !OPS[o])).toEqual([]);
    expect(Object.keys(OPS).filter((o) => !ops.has(o))).toEqual([]);
  });
});

describeOnBackends("toolbox ops against PyTorch", () => {
  for (const c of fixtures.cases) {
    it(c.name, () => {
      const f = OPS[c.op]!;
      // fresh inputs per case (the loader gives new tensors); float inputs require grad when the case has grads
      const xs = c.inputs.map((x) => (c.grads && (x.dtype === "float32" || x.dtype === "float64") ? x.requiresGrad_(true) : x));
      const out = f(xs, c.args);
      const outs = Array.isArray(out) ? out : [out];
      expect(outs.length, "number of outputs").toBe(c.outputs.length);
      outs.forEach((o, i) => {
        const e = c.outputs[i]!;
        expectClose(o, e, { ...tol(e), dtype: e.dtype, message: `output ${i}` });
      });
      if (c.grads && c.upstream) {
        const floats = outs.filter((o) => o.dtype === "float32" || o.dtype === "float64");
        let loss: Tensor | null = null;
        floats.forEach((o, i) => {
          const t = o.mul(c.upstream![i]!).sum();
          loss = loss ? loss.add(t) : t;
        });
        const diff = xs.filter((x) => x.requiresGrad);
        const gs = st.autograd.grad(loss!, diff, { allowUnused: true });
        let k = 0;
        c.grads.forEach((g, i) => {
          if (!g) return;
          const got = gs[k++] ?? st.zerosLike(xs[i]!);
          expectClose(got, g, { ...tol(g), message: `gradient of input ${i}` });
        });
      }
    });
  }
});

