// The op table (tests/helpers/op-table.ts) checked row by row: autograd against float64 central
// differences (gradcheck), second derivatives (gradgradcheck) for smooth rows, the float32 forward
// and backward against float64, and the forward against a naive reference where a row has one —
// on every available backend (js always, native when its addon is built), where each row must also
// record the same primitives as on js.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeOnBackends, onBackend } from "./helpers/backends.js";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { recordObservers } from "../src/ops/record.js";
import { GRADIENTS } from "../src/ops/gradients.js";
import { expectClose } from "./helpers/close.js";
import { copyAs, randomTensor } from "./helpers/data.js";
import { OP_TABLE, type OpRow } from "./helpers/op-table.js";
import { toRef } from "./helpers/data.js";

const outputsOf = (r: Tensor | Tensor[]): Tensor[] => (Array.isArray(r) ? r : [r]);

/** Σₖ ⟨vₖ, outₖ⟩ with seeded cotangents v, so one backward checks the whole Jacobian's action. */
function projectedGrads(row: OpRow, xs: Tensor[]): Tensor[] {
  const outs = outputsOf(row.fn(...xs));
  let s: Tensor | null = null;
  outs.forEach((o, i) => {
    const v = randomTensor(o.shape, 900 + i, { dtype: o.dtype, requiresGrad: false });
    const t = o.mul(v).sum();
    s = s ? s.add(t) : t;
  });
  const diff = xs.filter((x) => x.requiresGrad);
  return st.autograd.grad(s!, diff, { allowUnused: true }).map((g, i) => g ?? st.zerosLike(diff[i]!));
}

/** The primitives `f` records, in order. */
function primitivesOf(f: () => unknown): string[] {
  const ops: string[] = [];
  const obs = (node: { op: string }) => void ops.push(node.op);
  recordObservers.push(obs);
  try {
    f();
  } finally {
    recordObservers.splice(recordObservers.indexOf(obs), 1);
  }
  return ops;
}

// (layerNorm is one primitive on every backend: the js backend implements its fused kernel)
describeOnBackends("op table", (backend) => {
  // Which primitives the table's forwards record on this backend: every row of the backward table must appear.
  const recorded = new Set<string>();
  const observer = (node: { op: string }) => void recorded.add(node.op);
  beforeAll(() => {
    recordObservers.push(observer);
  });
  afterAll(() => {
    const i = recordObservers.indexOf(observer);
    if (i >= 0) recordObservers.splice(i, 1);
  });

  for (const row of OP_TABLE) {
    describe(row.name, () => {
      it("gradcheck (float64 central differences)", () => {
        const r = st.gradcheck(row.fn, row.inputs(), row.grad);
        expect(r.ok, r.message).toBe(true);
      });

      if (row.smooth) {
        it("gradgradcheck (second derivatives through createGraph)", () => {
          const r = st.gradgradcheck(row.fn, row.inputs(), row.grad);
          expect(r.ok, r.message).toBe(true);
        });
      }

      it("float32 forward and backward match float64", () => {
        const x64 = row.inputs();
        const x32 = x64.map((x) => copyAs(x, "float32").requiresGrad_(x.requiresGrad));
        const o64 = outputsOf(row.fn(...x64));
        const o32 = outputsOf(row.fn(...x32));
        expect(o32.length).toBe(o64.length);
        o32.forEach((o, i) => expectClose(o, o64[i]!, { dtype: row.outDType ?? "float32", rtol: 1e-5, atol: 1e-5, message: `output ${i}` }));
        const g64 = projectedGrads(row, x64);
        const g32 = projectedGrads(row, x32);
        g32.forEach((g, i) => expectClose(g, g64[i]!, { dtype: "float32", rtol: 1e-4, atol: 1e-4, message: `gradient ${i}` }));
      });

      if (row.forward) {
        it("forward matches the naive float64 reference", () => {
          const xs = row.inputs();
          const out = row.fn(...xs) as Tensor;
          const ref = row.forward!(...xs.map(toRef));
          expectClose(out, ref.data, { dtype: "float64", checkShape: false });
          expect(out.shape).toEqual(ref.shape);
        });
      }

      if (backend !== "js") {
        it("records the same primitives as on js", () => {
          const here = primitivesOf(() => row.fn(...row.inputs()));
          const onJs = onBackend("js", () => primitivesOf(() => row.fn(...row.inputs())));
          expect(here).toEqual(onJs);
          expect(here.length).toBeGreaterThan(0);
        });
      }
    });
  }

  it("covers every primitive of the backward table", () => {
    const missing = Object.keys(GRADIENTS).filter((op) => !recorded.has(op));
    expect(missing, `primitives without a table row: ${missing.join(", ")}`).toEqual([]);
  });
});
