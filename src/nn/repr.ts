// Python-style formatting for module descriptions, so toString() reads like PyTorch's repr:
// floats as Python prints them (1e-05, 0.1, 1.0), booleans as True/False, shapes as tuples.

/** A number as Python's repr prints a float: "1.0", "0.1", "1e-05". */
export function pyFloat(x: number | null): string {
  if (x === null) return "None";
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = x.toExponential().split("e") as [string, string];
    const exp = Number(e);
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** true/false as Python prints them. */
export const pyBool = (b: boolean): string => (b ? "True" : "False");

/** A shape as a Python tuple: (5,) or (3, 5). */
export const pyTuple = (s: readonly number[]): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(", ")})`);
