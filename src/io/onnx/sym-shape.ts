// Symbolic dimensions for ONNX export with dynamic axes. A traced forward pass only sees concrete
// shapes; a dimension that derives from a dynamic axis ("batch", "seq") is tracked here as a
// polynomial in the axis symbols with integer coefficients (batch·seq after a flatten, 3·seq
// after a concat), so that reshapes and expands can be written as shape arithmetic that holds
// at every batch size and sequence length, not just the example's.

/** A dimension: monomial key (symbols sorted and joined by "*", "" for the constant) → coefficient. */
export type Dim = ReadonlyMap<string, number>;
export type SymShape = readonly Dim[];

const norm = (m: Map<string, number>): Dim => {
  for (const [k, v] of m) if (v === 0) m.delete(k);
  return m;
};

/** The constant dimension n. */
export function constDim(n: number): Dim {
  return norm(new Map([["", n]]));
}

/** The dimension of one symbol. */
export function symDim(name: string): Dim {
  return new Map([[name, 1]]);
}

export function isConst(d: Dim): boolean {
  return [...d.keys()].every((k) => k === "");
}

/** The constant value of a constant dimension. */
export function constValue(d: Dim): number {
  return d.get("") ?? 0;
}

export function dimEq(a: Dim, b: Dim): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export function dimAdd(a: Dim, b: Dim): Dim {
  const m = new Map(a);
  for (const [k, v] of b) m.set(k, (m.get(k) ?? 0) + v);
  return norm(m);
}

const mulKeys = (a: string, b: string) => [...(a ? a.split("*") : []), ...(b ? b.split("*") : [])].sort().join("*");

export function dimMul(a: Dim, b: Dim): Dim {
  const m = new Map<string, number>();
  for (const [ka, va] of a) for (const [kb, vb] of b) {
    const k = mulKeys(ka, kb);
    m.set(k, (m.get(k) ?? 0) + va * vb);
  }
  return norm(m);
}

/** The value of a dimension when each symbol takes `values[symbol]`. */
export function dimEval(d: Dim, values: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const [k, c] of d) {
    let t = c;
    if (k) for (const sym of k.split("*")) t *= values.get(sym)!;
    s += t;
  }
  return s;
}

/** Readable form ("batch*seq", "2*seq + 1", "8"). */
export function dimToString(d: Dim): string {
  if (d.size === 0) return "0";
  return [...d].map(([k, c]) => (k === "" ? String(c) : c === 1 ? k : `${c}*${k}`)).join(" + ");
}

/** The symbols and constant of a monomial dimension c·s1·s2…, or null for a sum of terms. */
export function monomial(d: Dim): { coef: number; syms: string[] } | null {
  if (d.size === 0) return { coef: 0, syms: [] };
  if (d.size !== 1) return null;
  const [[k, c]] = [...d] as [[string, number]];
  return { coef: c, syms: k ? k.split("*") : [] };
}

/** NumPy broadcasting of symbolic shapes; `concrete` are the traced shapes, `out` the traced result. */
export function broadcastSym(shapes: readonly SymShape[], concrete: readonly (readonly number[])[], out: readonly number[]): Dim[] {
  const r = out.length;
  const res: Dim[] = [];
  for (let i = 0; i < r; i++) {
    let pick: Dim = constDim(out[i]!);
    for (let s = 0; s < shapes.length; s++) {
      const off = i - (r - shapes[s]!.length);
      if (off < 0) continue;
      const c = concrete[s]![off]!;
      const d = shapes[s]![off]!;
      // a size-1 operand broadcasts; the first symbolic operand of the full size names the dim
      if (c === out[i] && !isConst(d)) { pick = d; break; }
    }
    res.push(pick);
  }
  return res;
}

/**
 * The symbolic shape after reshaping `inSym` (concrete `inShape`) to the concrete `outShape`.
 * Dims are matched in groups of equal products (merges and splits); a merged group multiplies its
 * symbols, a split hands each symbol of a monomial group to the first output dim its example
 * value divides (an exact match first). Returns null where that cannot be expressed.
 */
export function reshapeSym(inSym: SymShape, inShape: readonly number[], outShape: readonly number[], values: ReadonlyMap<string, number>): Dim[] | null {
  const out: Dim[] = outShape.map((n) => constDim(n));
  if (inSym.every(isConst)) return out;
  if (inShape.includes(0) || outShape.includes(0)) return null;
  let i = 0, j = 0;
  while (i < inShape.length && j < outShape.length) {
    const gi = [i], gj = [j];
    let pi = inShape[i++]!, pj = outShape[j++]!;
    while (pi !== pj) {
      if (pi < pj) {
        if (i >= inShape.length) return null;
        pi *= inShape[i]!; gi.push(i++);
      } else {
        if (j >= outShape.length) return null;
        pj *= outShape[j]!; gj.push(j++);
      }
    }
    const prod = gi.reduce<Dim>((p, k) => dimMul(p, inSym[k]!), constDim(1));
    if (isConst(prod)) continue;
    // size-1 output dims of a group stay constant; the rest share the group's product
    const big = gj.filter((k) => outShape[k] !== 1);
    if (big.length === 1) { out[big[0]!] = prod; continue; }
    const mono = monomial(prod);
    if (mono === null) return null;
    const rem = big.map((k) => outShape[k]!);
    const assigned: string[][] = big.map(() => []);
    for (const s of mono.syms) {
      const v = values.get(s)!;
      let at = rem.findIndex((r) => r === v);
      if (at < 0) at = rem.findIndex((r) => r % v === 0);
      if (at < 0) return null;
      rem[at]! /= v;
      assigned[at]!.push(s);
    }
    if (rem.reduce((a, b) => a * b, 1) !== mono.coef) return null;
    big.forEach((k, n) => {
      out[k] = assigned[n]!.reduce<Dim>((p, s) => dimMul(p, symDim(s)), constDim(rem[n]!));
    });
  }
  return out;
}
