// Shared check of the ONNX export tests: export a module once, load the bytes in ONNX Runtime
// (its loading checks run on create), then feed ORT the same inputs as our forward at several
// sizes (batch sizes, sequence lengths) and compare every output within 1e-5 relative with a
// 1e-5 absolute floor.

import * as ort from "onnxruntime-node";
import { expect } from "vitest";
import * as st from "../../src/index.js";
import type { ExportOptions } from "../../src/io/onnx/export.js";
import { collectInputs } from "../../src/io/onnx/options.js";

type AnyForward = { call(...args: unknown[]): unknown };

const ORT_TYPE: Record<st.DType, ort.Tensor.Type> = { float32: "float32", float64: "float64", int32: "int32", bool: "bool" };

function toOrt(t: st.Tensor): ort.Tensor {
  return new ort.Tensor(ORT_TYPE[t.dtype], t.dataSync() as Float32Array, t.shape);
}

function outputsOf(result: unknown): st.Tensor[] {
  if (result instanceof st.Tensor) return [result];
  return (result as (st.Tensor | null)[]).filter((t): t is st.Tensor => t !== null);
}

/** max over elements of |a − b| − (1e-5 + 1e-5·|b|): ≤ 0 means within tolerance. */
export function excess(ours: ArrayLike<number>, theirs: ArrayLike<number>): number {
  let worst = -Infinity;
  for (let i = 0; i < ours.length; i++) {
    const a = Number(ours[i]), b = Number(theirs[i]);
    const e = Number.isNaN(a) || Number.isNaN(b) ? (Number.isNaN(a) && Number.isNaN(b) ? -1 : Infinity) : Math.abs(a - b) - (1e-5 + 1e-5 * Math.abs(b));
    worst = Math.max(worst, e);
  }
  return worst;
}

/**
 * Exports `model` at `cases[0]`'s arguments, then checks ORT against our forward on every case.
 * Returns the bytes and the session (for further assertions).
 */
export async function checkOrt(
  model: AnyForward | st.Model, cases: readonly (readonly unknown[])[], opts: ExportOptions = {},
): Promise<{ bytes: Uint8Array; session: ort.InferenceSession }> {
  const module = (model instanceof st.Model ? model.module : model) as st.nn.Module;
  module.eval();
  const bytes = st.onnx.export(model as st.nn.Module, cases[0]!, opts);
  const session = await ort.InferenceSession.create(bytes);
  for (const args of cases) {
    const inputs = collectInputs(args, opts.inputNames);
    const feeds = Object.fromEntries(inputs.map((i) => [i.name, toOrt(i.tensor)]));
    const res = await session.run(feeds);
    const ours = outputsOf(st.noGrad(() => (module.call as (...a: unknown[]) => unknown)(...args)));
    expect(session.outputNames.length).toBe(ours.length);
    session.outputNames.forEach((name, j) => {
      const got = res[name]!;
      expect(got.dims, `output ${name} shape`).toEqual(ours[j]!.shape);
      const theirs = ours[j]!.dtype === "bool" ? Array.from(got.data as Uint8Array, Number) : (got.data as ArrayLike<number>);
      const e = excess(ours[j]!.dataSync(), theirs);
      expect(e, `output ${name} at input shapes ${inputs.map((i) => `[${i.tensor.shape}]`).join(" ")}`).toBeLessThanOrEqual(0);
    });
  }
  return { bytes, session };
}
