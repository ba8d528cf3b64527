// PyTorch-style printing: tensor([[1.0000, 2.0000], ...], requires_grad=True).

import type { Tensor } from "./tensor.js";

const SUMMARIZE_OVER = 1000;
const EDGE = 3;

function numberFormatter(values: ArrayLike<number>, dtype: string): (v: number) => string {
  if (dtype === "bool") return (v) => (v ? "True" : "False");
  if (dtype === "int32") return (v) => String(v);
  let maxAbs = 0;
  let minAbs = Infinity;
  let allInt = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allInt = false;
  }
  const special = (v: number) => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
  if (allInt && maxAbs < 1e8) return (v) => (Number.isFinite(v) ? `${v}.` : special(v));
  const sci = maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity) || (minAbs !== Infinity && maxAbs / minAbs > 1000);
  if (sci) {
    return (v) => {
      if (!Number.isFinite(v)) return special(v);
      const [m, e] = v.toExponential(4).split("e");
      const exp = Number(e);
      return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    };
  }
  return (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
}

export function formatTensor(t: Tensor): string {
  const data = t._data;
  const fmt = numberFormatter(data, t.dtype);
  const summarize = t.size > SUMMARIZE_OVER;
  const strs: string[] = [];
  let width = 0;
  for (let i = 0; i < data.length; i++) {
    const s = fmt(data[i]!);
    if (s.length > width) width = s.length;
    if (!summarize) strs.push(s);
  }
  const cell = (i: number) => (summarize ? fmt(data[i]!) : strs[i]!).padStart(width);
  const prefix = "tensor(";
  const render = (dim: number, off: number, indent: number): string => {
    if (t.ndim === 0) return cell(0);
    const n = t.shape[dim]!;
    let inner = 1;
    for (let d = dim + 1; d < t.ndim; d++) inner *= t.shape[d]!;
    const idx: (number | null)[] = [];
    if (summarize && n > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) idx.push(i);
      idx.push(null);
      for (let i = n - EDGE; i < n; i++) idx.push(i);
    } else for (let i = 0; i < n; i++) idx.push(i);
    if (dim === t.ndim - 1) {
      return "[" + idx.map((i) => (i === null ? "..." : cell(off + i))).join(", ") + "]";
    }
    const sep = ",\n" + "\n".repeat(t.ndim - dim - 2) + " ".repeat(indent + 1);
    return "[" + idx.map((i) => (i === null ? "..." : render(dim + 1, off + i * inner, indent + 1))).join(sep) + "]";
  };
  const extras: string[] = [];
  if (t.size === 0) extras.push(`size=[${t.shape.join(", ")}]`);
  if (t.dtype === "float64") extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.op}>`);
  else if (t.requiresGrad) extras.push("requiresGrad=true");
  const body = t.size === 0 ? "[]" : render(0, 0, prefix.length);
  return prefix + body + (extras.length ? ", " + extras.join(", ") : "") + ")";
}
