// PyTorch-style printing: tensor([[1.0000, 2.0000], ...], requires_grad=True).

import type { Tensor } from "./tensor.js";

const SUMMARIZE_OVER = 1000;
const EDGE = 3;
const LINEWIDTH = 80;

/** Python's "{:.4e}": two-digit exponent at least, and the sign of −0 kept. */
function sci(v: number): string {
  const [m, e] = Math.abs(v).toExponential(4).split("e");
  const exp = Number(e);
  return `${v < 0 || Object.is(v, -0) ? "-" : ""}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/**
 * PyTorch's _Formatter: integers-only floats print as "3.", otherwise 4 decimals, switching to
 * scientific notation when max/min of the nonzero finite |values| exceeds 1000, the max exceeds
 * 1e8 or (non-integers only) the min is below 1e-4. The width comes from the nonzero finite values.
 */
function numberFormatter(values: readonly number[], dtype: string): { fmt: (v: number) => string; width: number } {
  if (dtype === "bool" || dtype === "int32") {
    const fmt = dtype === "bool" ? (v: number) => (v ? "True" : "False") : (v: number) => String(v);
    return { fmt, width: values.reduce((w, v) => Math.max(w, fmt(v).length), 1) };
  }
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  const special = (v: number) => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
  const intMode = finite.every((v) => Number.isInteger(v));
  const abs = finite.map(Math.abs);
  const maxAbs = abs.reduce((a, b) => Math.max(a, b), 0);
  const minAbs = abs.reduce((a, b) => Math.min(a, b), Infinity);
  const sciMode = finite.length > 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!intMode && minAbs < 1e-4));
  const fixed = (v: number) => (Object.is(v, -0) ? "-" : "") + v.toFixed(4);
  const body = sciMode ? sci : intMode ? (v: number) => `${Object.is(v, -0) ? "-0" : v.toFixed(0)}.` : fixed;
  const fmt = (v: number) => (Number.isFinite(v) ? body(v) : special(v));
  return { fmt, width: finite.reduce((w, v) => Math.max(w, fmt(v).length), 1) };
}

/** Flat offsets of the printed elements: all of them, or the 3 edge items per dim when summarizing. */
function visibleOffsets(shape: readonly number[], summarize: boolean): number[] {
  const out: number[] = [];
  const walk = (dim: number, off: number, stride: number): void => {
    if (dim === shape.length) {
      out.push(off);
      return;
    }
    const n = shape[dim]!;
    const inner = stride / Math.max(n, 1);
    for (let i = 0; i < n; i++) {
      if (summarize && n > 2 * EDGE && i === EDGE) i = n - EDGE;
      walk(dim + 1, off + i * inner, inner);
    }
  };
  walk(0, 0, shape.reduce((a, b) => a * b, 1));
  return out;
}

export function formatTensor(t: Tensor): string {
  const data = t._data;
  const summarize = t.size > SUMMARIZE_OVER;
  // like PyTorch, a summarized tensor is formatted from the values it shows
  const { fmt, width } = numberFormatter(visibleOffsets(t.shape, summarize).map((o) => data[o]!), t.dtype);
  const cell = (i: number) => fmt(data[i]!).padStart(width);
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
      // PyTorch's _vector_str: as many elements per line as fit in 80 columns after the indent
      const items = idx.map((i) => (i === null ? " ..." : cell(off + i)));
      const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
      return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
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
  // PyTorch's _add_suffixes: a suffix that would pass 80 columns goes on its own line
  let out = prefix + body;
  let lastLine = out.length - out.lastIndexOf("\n") + 1;
  for (const e of extras) {
    if (lastLine + e.length + 2 > LINEWIDTH) {
      out += ",\n" + " ".repeat(prefix.length) + e;
      lastLine = prefix.length + e.length;
    } else {
      out += ", " + e;
      lastLine += e.length + 2;
    }
  }
  return out + ")";
}
