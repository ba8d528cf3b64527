// Typed errors. Every message names the op, what it received and what it expected, so bad input
// is reported where it enters the library instead of surfacing as a NaN or a crash in a kernel.

/**
 * Base class of every error steadytensor raises on purpose.
 * @example
 * try {
 *   st.tensor([1, 2]).reshape(3);
 * } catch (e) {
 *   e instanceof st.SteadyError; // true: every error the library raises on purpose
 *   (e as Error).name; // "ShapeError"
 * }
 */
export class SteadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Shapes that do not fit the op (matmul inner dims, broadcasting, reshape sizes, dims out of range).
 * @example
 * try {
 *   st.ones([2, 3]).matmul(st.ones([2, 3]));
 * } catch (e) {
 *   if (!(e instanceof st.ShapeError)) throw e; // the message names matmul and both shapes
 * }
 */
export class ShapeError extends SteadyError {}

/**
 * A dtype the op cannot take, or a value that does not fit the dtype (e.g. 1.5 into int32).
 * @example
 * try {
 *   st.tensor([1.5], { dtype: "int32" });
 * } catch (e) {
 *   if (!(e instanceof st.DTypeError)) throw e; // 1.5 does not fit int32
 * }
 */
export class DTypeError extends SteadyError {}

/**
 * An index out of range (gather, indexSelect, slicing, class targets).
 * @example
 * try {
 *   st.tensor([1, 2, 3]).indexSelect(0, st.tensor([5]));
 * } catch (e) {
 *   if (!(e instanceof st.IndexError)) throw e; // index 5 is out of range for size 3
 * }
 */
export class IndexError extends SteadyError {}

/**
 * A value that must be finite was NaN or ±Infinity (losses, gradient norms, anomaly mode).
 * @example
 * try {
 *   st.stability.detectAnomaly(() => st.tensor([0]).log());
 * } catch (e) {
 *   if (!(e instanceof st.NonFiniteError)) throw e; // log produced −Infinity
 * }
 */
export class NonFiniteError extends SteadyError {}

/**
 * Misuse of autograd: backward on a non-scalar, a freed graph, a tensor modified in place.
 * @example
 * try {
 *   st.tensor([1, 2], { requiresGrad: true }).mul(2).backward(); // not a scalar: needs a gradient
 * } catch (e) {
 *   if (!(e instanceof st.AutogradError)) throw e;
 * }
 */
export class AutogradError extends SteadyError {}

/**
 * Any other argument the op cannot take.
 * @example
 * try {
 *   new st.nn.Dropout(1.5);
 * } catch (e) {
 *   if (!(e instanceof st.ValueError)) throw e; // p must be in [0, 1]
 * }
 */
export class ValueError extends SteadyError {}

/**
 * Bytes or a file that do not follow their format (a truncated or corrupt safetensors file).
 * @example
 * try {
 *   st.io.decodeSafetensors(new Uint8Array([1, 2, 3]));
 * } catch (e) {
 *   if (!(e instanceof st.FormatError)) throw e; // too short for a safetensors header
 * }
 */
export class FormatError extends SteadyError {}

/** Formats a shape as PyTorch prints it: [2, 3]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * A linear-algebra input the factorization cannot handle: a singular matrix (solve, inv), one that
 * is not positive-definite (cholesky). The message names the op, the batch element and the pivot
 * or minor, as PyTorch's torch.linalg.LinAlgError does.
 *
 * @example
 * let caught = false;
 * try {
 *   st.linalg.inv(st.zeros([2, 2])); // singular: no inverse
 * } catch (e) {
 *   caught = e instanceof st.LinAlgError;
 * }
 * if (!caught) throw new Error("expected a LinAlgError");
 */
export class LinAlgError extends SteadyError {}
