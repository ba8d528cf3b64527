// Typed errors. Every message names the op, what it received and what it expected, so bad input
// is reported where it enters the library instead of surfacing as a NaN or a crash in a kernel.

/** Base class of every error steadytensor raises on purpose. */
export class SteadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit the op (matmul inner dims, broadcasting, reshape sizes, dims out of range). */
export class ShapeError extends SteadyError {}

/** A dtype the op cannot take, or a value that does not fit the dtype (e.g. 1.5 into int32). */
export class DTypeError extends SteadyError {}

/** An index out of range (gather, indexSelect, slicing, class targets). */
export class IndexError extends SteadyError {}

/** A value that must be finite was NaN or ±Infinity (losses, gradient norms, anomaly mode). */
export class NonFiniteError extends SteadyError {}

/** Misuse of autograd: backward on a non-scalar, a freed graph, a tensor modified in place. */
export class AutogradError extends SteadyError {}

/** Any other argument the op cannot take. */
export class ValueError extends SteadyError {}

/** Bytes or a file that do not follow their format (a truncated or corrupt safetensors file). */
export class FormatError extends SteadyError {}

/** Formats a shape as PyTorch prints it: [2, 3]. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * A linear-algebra input the factorization cannot handle: a singular matrix (solve, inv), one that
 * is not positive-definite (cholesky). The message names the op, the batch element and the pivot
 * or minor, as PyTorch's torch.linalg.LinAlgError does.
 */
export class LinAlgError extends SteadyError {}
