// Embedding lookup: rows of a weight table picked by integer indices, with an optional padding
// index whose row is returned as is but receives no gradient.

import { DTypeError, IndexError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import { detach } from "../../autograd/api.js";
import { eq, where } from "../../ops/elementwise.js";
import { indexSelect } from "../../ops/indexing.js";
import { reshape } from "../../ops/shape.js";

/**
 * @internal Checks that every index lies in [0, rows); `who` names the caller in the error.
 * Returns a copy of the indices (one int per looked-up row, small next to the rows themselves).
 */
export function checkIndices(who: string, input: Tensor, rows: number): Int32Array {
  if (!(input instanceof Tensor)) throw new DTypeError(`${who}: indices must be a Tensor (got ${input === null ? "null" : typeof input})`);
  if (input.dtype !== "int32") throw new DTypeError(`${who}: indices must be an int32 tensor (got ${input.dtype})`);
  const d = input.dataSync() as Int32Array;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < 0 || v >= rows) {
      throw new IndexError(`${who}: index ${v} is out of range for a table of ${rows} embeddings (expected 0 <= index < ${rows}; input shape ${fmtShape(input.shape)})`);
    }
  }
  return d;
}

/**
 * out[..., :] = weight[input[...], :] for int32 indices of any shape → [...input.shape, D].
 * With `paddingIdx`, positions holding that index get the row's values but pass no gradient to
 * it (PyTorch's padding_idx); negative paddingIdx counts from the end.
 *
 * @example
 * st.nn.functional.embedding(st.tensor([[0, 2]]), st.randn([5, 3])).shape // [1, 2, 3]
 */
export function embedding(input: Tensor, weight: Tensor, paddingIdx?: number | null): Tensor {
  if (!(weight instanceof Tensor) || weight.ndim !== 2) {
    throw new ShapeError(`embedding: weight must be a 2-D tensor [numEmbeddings, embeddingDim] (got ${weight instanceof Tensor ? fmtShape(weight.shape) : typeof weight})`);
  }
  const [rows, dim] = weight.shape as [number, number];
  const ids = checkIndices("embedding", input, rows);
  const flat = reshape(input, [input.size]);
  let out = indexSelect(weight, 0, flat);
  if (paddingIdx != null) {
    const pad = paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
    if (!Number.isInteger(pad) || pad < 0 || pad >= rows) {
      throw new ValueError(`embedding: paddingIdx ${paddingIdx} must be an integer within [-${rows}, ${rows})`);
    }
    if (ids.includes(pad)) {
      // same values, but the padding positions come from a detached copy: no gradient reaches the row
      out = where(reshape(eq(flat, pad), [flat.size, 1]), detach(out), out);
    }
  }
  return reshape(out, [...input.shape, dim]);
}
