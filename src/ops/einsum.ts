// einsum: Einstein summation over subscript strings ("ij,jk->ik", "bhqd,bhkd->bhqk", "ii->i",
// "...ij->...ji"), decomposed into ops that already have gradients: repeated subscripts within an
// operand take a diagonal, subscripts nobody needs later are summed out, and each pair of
// operands is contracted by one (batched) matmul — so a matrix product is a GEMM — before a final
// permute into the output order.

import { promoteTypes } from "../core/dtype.js";
import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import { diagonalGeneral } from "./diag.js";
import { cast } from "./elementwise.js";
import { matmul } from "./linalg.js";
import { sum } from "./reduce.js";
import { expand, permute, reshape } from "./shape.js";

/** A labelled operand: one label per dim (a letter, or ".k" for the k-th broadcast dim of "..."). */
interface Labelled {
  t: Tensor;
  labels: string[];
}

const LETTER = /^[a-zA-Z]$/;

function parseTerm(eq: string, term: string, where: string): { letters: string[]; ellipsisAt: number } {
  const letters: string[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < term.length; ) {
    if (term.startsWith("...", i)) {
      if (ellipsisAt >= 0) throw new ValueError(`einsum: ${where} "${term}" of "${eq}" has more than one "..." (expected at most one)`);
      ellipsisAt = letters.length;
      i += 3;
    } else if (LETTER.test(term[i]!)) {
      letters.push(term[i]!);
      i++;
    } else {
      throw new ValueError(`einsum: invalid subscript ${JSON.stringify(term[i])} in ${where} "${term}" of "${eq}" (expected letters a-z, A-Z and at most one "...")`);
    }
  }
  return { letters, ellipsisAt };
}

/** Labels every dim of one operand; "..." dims are numbered from the right so they broadcast. */
function labelOperand(eq: string, term: string, t: Tensor, k: number, ellipsisDims: number): string[] {
  const { letters, ellipsisAt } = parseTerm(eq, term, `the subscripts of operand ${k}`);
  if (ellipsisAt < 0) {
    if (letters.length !== t.ndim) {
      throw new ShapeError(`einsum: operand ${k} has ${t.ndim} dims (shape ${fmtShape(t.shape)}) but its subscripts "${term}" name ${letters.length} in "${eq}"`);
    }
    return letters;
  }
  const e = t.ndim - letters.length;
  if (e < 0) throw new ShapeError(`einsum: operand ${k} has ${t.ndim} dims (shape ${fmtShape(t.shape)}), fewer than the ${letters.length} subscripts of "${term}" in "${eq}"`);
  const ell = Array.from({ length: e }, (_, i) => `.${ellipsisDims - e + i}`);
  return [...letters.slice(0, ellipsisAt), ...ell, ...letters.slice(ellipsisAt)];
}

/** Sums out the dims whose labels are not in `keep`. */
function sumOut(op: Labelled, keep: Set<string>): Labelled {
  const drop = op.labels.map((l, i) => (keep.has(l) ? -1 : i)).filter((i) => i >= 0);
  if (drop.length === 0) return op;
  return { t: sum(op.t, drop), labels: op.labels.filter((l) => keep.has(l)) };
}

function permuteTo(op: Labelled, order: string[]): Tensor {
  const perm = order.map((l) => op.labels.indexOf(l));
  return perm.every((p, i) => p === i) ? op.t : permute(op.t, perm);
}

/** Contracts two operands over their shared labels not in `later`, by one batched matmul. */
function contract(a: Labelled, b: Labelled, later: Set<string>, size: Map<string, number>): Labelled {
  const inB = new Set(b.labels);
  const inA = new Set(a.labels);
  const batch = a.labels.filter((l) => inB.has(l) && later.has(l));
  const summed = a.labels.filter((l) => inB.has(l) && !later.has(l));
  const aOnly = a.labels.filter((l) => !inB.has(l));
  const bOnly = b.labels.filter((l) => !inA.has(l));
  const prodOf = (ls: string[]) => ls.reduce((p, l) => p * size.get(l)!, 1);
  const [B, M, K, N] = [prodOf(batch), prodOf(aOnly), prodOf(summed), prodOf(bOnly)];
  const at = permuteTo(a, [...batch, ...aOnly, ...summed]);
  const bt = permuteTo(b, [...batch, ...summed, ...bOnly]);
  // a plain matrix product when nothing is batched: one GEMM
  const c = batch.length === 0 ? matmul(reshape(at, [M, K]), reshape(bt, [K, N])) : matmul(reshape(at, [B, M, K]), reshape(bt, [B, K, N]));
  const labels = [...batch, ...aOnly, ...bOnly];
  return { t: reshape(c, labels.map((l) => size.get(l)!)), labels };
}

/**
 * Einstein summation. `equation` names each operand's dims with letters, comma-separated, with
 * an optional "->" and output subscripts; "..." stands for broadcast dims. A letter repeated
 * within one operand takes its diagonal ("ii->i"); letters missing from the output are summed
 * ("ij->i", "ii" is the trace). Without "->" the output is the "..." dims followed by the letters
 * used exactly once, in alphabetical order (so "ij,jk" is a matrix product). Sizes of one letter
 * must agree (1 broadcasts). Pairs of operands are contracted by matmul, so matrix products run
 * as GEMM; differentiable through that decomposition.
 * @example
 * ```ts
 * const a = st.randn([2, 3]), b = st.randn([3, 4]);
 * st.einsum("ij,jk->ik", a, b);             // a.matmul(b)
 * st.einsum("ii", st.eye(3));                // trace: 3
 * st.einsum("bij,bjk->bik", st.randn([5, 2, 3]), st.randn([5, 3, 4])); // batched matmul
 * ```
 */
export function einsum(equation: string, ...operands: Tensor[] | [readonly Tensor[]]): Tensor {
  const ops: Tensor[] = operands.length === 1 && Array.isArray(operands[0]) ? [...(operands[0] as readonly Tensor[])] : (operands as Tensor[]);
  if (typeof equation !== "string") throw new ValueError(`einsum: expected an equation string first (got ${typeof equation})`);
  const eq = equation.replace(/\s+/g, "");
  ops.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ValueError(`einsum: operand ${i} is not a Tensor (got ${t === null ? "null" : typeof t})`);
  });
  const arrow = eq.indexOf("->");
  if (eq.indexOf("->", arrow + 1) >= 0 && arrow >= 0) throw new ValueError(`einsum: "${eq}" has more than one "->"`);
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const terms = lhs.split(",");
  if (terms.length !== ops.length) {
    throw new ValueError(`einsum: "${eq}" has subscripts for ${terms.length} operand(s) but ${ops.length} were given`);
  }
  if (ops.length === 0) throw new ValueError("einsum: expected at least one operand");
  // the "..." dims: as many as the operand with the most of them
  const ellipsisDims = Math.max(0, ...terms.map((term, k) => {
    const p = parseTerm(eq, term, `the subscripts of operand ${k}`);
    return p.ellipsisAt >= 0 ? ops[k]!.ndim - p.letters.length : 0;
  }));
  const dtype = ops.map((t) => t.dtype).reduce((a, b) => promoteTypes(a, b));
  let labelled: Labelled[] = ops.map((t, k) => ({ t: cast(t, dtype), labels: labelOperand(eq, terms[k]!, t, k, ellipsisDims) }));

  // sizes per label: equal, or 1 (broadcast)
  const size = new Map<string, number>();
  for (const [k, op] of labelled.entries()) {
    op.labels.forEach((l, i) => {
      const n = op.t.shape[i]!;
      const had = size.get(l);
      if (had === undefined || had === 1) size.set(l, n);
      else if (n !== had && n !== 1) {
        const name = l.startsWith(".") ? "a \"...\" dim" : `subscript "${l}"`;
        throw new ShapeError(`einsum: ${name} has size ${had} in one operand but ${n} in operand ${k} (shape ${fmtShape(op.t.shape)}) of "${eq}" (expected equal sizes or 1)`);
      }
    });
  }

  // the output labels
  const ellLabels = Array.from({ length: ellipsisDims }, (_, i) => `.${i}`);
  let out: string[];
  if (arrow >= 0) {
    const { letters, ellipsisAt } = parseTerm(eq, eq.slice(arrow + 2), "the output subscripts");
    const seen = new Set<string>();
    for (const l of letters) {
      if (seen.has(l)) throw new ValueError(`einsum: the output subscript "${l}" repeats in "${eq}" (expected each at most once)`);
      seen.add(l);
      if (!size.has(l)) throw new ValueError(`einsum: the output subscript "${l}" of "${eq}" appears in no operand`);
    }
    out = ellipsisAt >= 0 ? [...letters.slice(0, ellipsisAt), ...ellLabels, ...letters.slice(ellipsisAt)] : letters;
    if (ellipsisAt < 0 && ellipsisDims > 0) {
      // PyTorch sums the "..." dims when the output leaves them out
      out = letters;
    }
  } else {
    const count = new Map<string, number>();
    for (const term of terms) for (const ch of term.replace(/\.\.\./g, "")) count.set(ch, (count.get(ch) ?? 0) + 1);
    const once = [...count.entries()].filter(([, c]) => c === 1).map(([l]) => l).sort();
    out = [...ellLabels, ...once];
  }

  // diagonals of repeated labels, broadcasting of size-1 dims, sums of private labels
  labelled = labelled.map((op, k) => {
    let { t, labels } = op;
    for (;;) {
      const dup = labels.findIndex((l, i) => labels.indexOf(l) !== i);
      if (dup < 0) break;
      const first = labels.indexOf(labels[dup]!);
      if (t.shape[first] !== t.shape[dup]) {
        throw new ShapeError(`einsum: subscript "${labels[dup]}" repeats in operand ${k} over dims of sizes ${t.shape[first]} and ${t.shape[dup]} in "${eq}" (a diagonal needs equal sizes)`);
      }
      t = diagonalGeneral(t, 0, first, dup);
      const l = labels[dup]!;
      labels = [...labels.filter((_, i) => i !== first && i !== dup), l];
    }
    const full = labels.map((l) => size.get(l)!);
    if (full.some((n, i) => n !== t.shape[i])) t = expand(t, full);
    const elsewhere = new Set<string>(out);
    labelled.forEach((o, j) => { if (j !== k) o.labels.forEach((l) => elsewhere.add(l)); });
    return sumOut({ t, labels }, elsewhere);
  });

  let acc = labelled[0]!;
  for (let k = 1; k < labelled.length; k++) {
    const later = new Set<string>(out);
    for (let j = k + 1; j < labelled.length; j++) labelled[j]!.labels.forEach((l) => later.add(l));
    acc = contract(sumOut(acc, new Set([...later, ...labelled[k]!.labels])), labelled[k]!, later, size);
  }
  acc = sumOut(acc, new Set(out));
  return permuteTo(acc, out);
}
