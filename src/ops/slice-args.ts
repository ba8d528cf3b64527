// The arguments of slice, index and sliceAssign_: parsing, validation and resolution to the
// starts/steps/shape a kernel needs. Kept apart from shape.ts so that every entry point reads
// its arguments the same way and says the same thing about bad ones.
//
// Why two forms: every JavaScript developer reads `x.slice(1, 3)` as Array.prototype.slice (rows
// 1..2), while NumPy-style indexing reads it as x[1, 3] (one element). `slice` therefore takes
// either positional numbers (dim 0, like Array.prototype.slice) or one array per dim, never
// numbers per dim; NumPy's basic indexing, where a number picks one index and drops its dim, has
// its own name: `index`.

import { IndexError, ValueError, fmtShape } from "../core/errors.js";

/** One dim's range in slice's per-dim form: [start?, stop?, step?], or null for the whole dim. */
export type SliceRange = null | undefined | readonly (number | null | undefined)[];

/** One dim's spec for `index`/`sliceAssign_`: a single index (drops the dim), null (everything) or a range. */
export type SliceSpec = number | SliceRange;

/** What slice accepts: positional numbers (dim 0) or one range per leading dim. */
export type SliceArgs = [start?: number, end?: number | null, step?: number] | SliceRange[];

/** A dim resolved: where it starts, its step, its length, and whether a single index dropped it. */
export interface ResolvedIndex {
  starts: number[];
  steps: number[];
  /** The selected block's shape with every dim kept (dropped dims have size 1). */
  keptShape: number[];
  /** The dims a single index picked (removed from the result's shape). */
  drop: number[];
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `[${v.map(describe).join(", ")}]`;
  if (typeof v === "string") return JSON.stringify(v);
  return typeof v === "number" || typeof v === "boolean" || v === undefined ? String(v) : typeof v;
}

function checkInt(op: string, what: string, v: unknown): void {
  if (v === null || v === undefined) return;
  if (typeof v !== "number") throw new ValueError(`${op}: ${what} must be an integer or null (got ${describe(v)})`);
  if (!Number.isInteger(v)) throw new ValueError(`${op}: ${what} ${v} is not an integer (expected a whole number)`);
}

function checkRange(op: string, d: number, r: unknown): void {
  if (r === null || r === undefined) return;
  if (!Array.isArray(r)) {
    throw new ValueError(`${op}: the spec for dim ${d} is ${describe(r)} (expected [start, stop, step] with any part omitted, or null for the whole dim)`);
  }
  if (r.length > 3) throw new ValueError(`${op}: the range for dim ${d} has ${r.length} entries ${describe(r)} (expected at most [start, stop, step])`);
  const names = ["start", "stop", "step"];
  r.forEach((v, i) => checkInt(op, `${names[i]} of dim ${d}`, v));
}

/**
 * Turns slice's arguments into one range per leading dim, refusing the ambiguous mixes:
 * numbers first means dim 0 (start, end, step); otherwise every argument is a range or null.
 */
export function sliceArgsToRanges(args: readonly unknown[]): SliceRange[] {
  if (args.length > 0 && typeof args[0] === "number") {
    if (args.length > 3) {
      throw new ValueError(
        `slice: got ${args.length} numbers ${describe(args)} (expected x.slice(start, end?, step?) for dim 0, like ` +
          "Array.prototype.slice; for several dims pass one range per dim, x.slice([0, 2], [1, 3]), or use x.index(...))",
      );
    }
    const names = ["start", "end", "step"];
    args.forEach((v, i) => {
      if (Array.isArray(v)) {
        throw new ValueError(
          `slice: mixes a number (dim 0's start) with the range ${describe(v)}: positional numbers slice dim 0 like ` +
            "Array.prototype.slice; to give one range per dim pass only arrays/null (x.slice([1, 2], [0, 3])), " +
            "or use x.index(1, [0, 3]) to pick index 1 of dim 0",
        );
      }
      checkInt("slice", names[i]!, v);
    });
    return [[args[0] as number, args[1] as number | null | undefined, args[2] as number | undefined]];
  }
  args.forEach((a, d) => {
    if (typeof a === "number") {
      throw new ValueError(
        `slice: argument ${d} is the number ${a} after a range or null: slice takes positional numbers only for dim 0 ` +
          `(x.slice(start, end, step)) and one [start, stop, step] range (or null) per dim otherwise; to pick a single ` +
          `index and drop its dim use x.index(...), e.g. x.index(null, ${a})`,
      );
    }
    checkRange("slice", d, a);
  });
  return args as SliceRange[];
}

/** Resolves NumPy basic-indexing specs (numbers pick and drop a dim) against `shape`. */
export function resolveIndex(op: string, shape: readonly number[], specs: readonly unknown[]): ResolvedIndex {
  if (specs.length > shape.length) throw new IndexError(`${op}: too many indices (${specs.length}) for a ${shape.length}-D tensor of shape ${fmtShape(shape)}`);
  const starts: number[] = [];
  const steps: number[] = [];
  const keptShape: number[] = [];
  const drop: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    const s = specs[d];
    if (typeof s === "number") {
      checkInt(op, `index for dim ${d}`, s);
      if (s < -n || s >= n) throw new IndexError(`${op}: index ${s} is out of range for dim ${d} of size ${n} (expected ${-n} <= index < ${n})`);
      starts.push(s < 0 ? s + n : s);
      steps.push(1);
      keptShape.push(1);
      drop.push(d);
      continue;
    }
    checkRange(op, d, s);
    const [a, b, c] = (s ?? []) as readonly (number | null | undefined)[];
    const step = c ?? 1;
    if (step <= 0) throw new ValueError(`${op}: step must be a positive integer (got ${step} for dim ${d})`);
    const norm = (v: number | null | undefined, dflt: number) => {
      if (v === null || v === undefined) return dflt;
      const w = v < 0 ? v + n : v;
      return Math.min(Math.max(w, 0), n);
    };
    const start = norm(a, 0);
    const stop = norm(b, n);
    starts.push(start);
    steps.push(step);
    keptShape.push(Math.max(0, Math.ceil((stop - start) / step)));
  }
  return { starts, steps, keptShape, drop };
}
