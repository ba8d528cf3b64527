// Attention-mask helpers: the look-ahead (causal) mask, padding masks from lengths or a pad token,
// and the conversion from PyTorch's key_padding_mask convention. Everywhere in steadytensor a
// boolean mask is `true` = attend; PyTorch's boolean attention masks mean `true` = ignore.

import { isFloat } from "../core/dtype.js";
import { tensor } from "../core/creation.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import { logicalNot, ne } from "../ops/elementwise.js";

/**
 * The look-ahead mask of a sequence of length n: a bool [n, n] tensor with m[i][j] = (j ≤ i), so
 * query i attends to itself and earlier positions only (`true` = attend).
 *
 * PyTorch's `nn.Transformer.generate_square_subsequent_mask(n)` returns the same mask as an
 * additive float tensor (0 where allowed, −inf above the diagonal); to pass a PyTorch-style
 * additive mask, use `st.where(mask, 0, -Infinity)`. Both forms are accepted by every attention
 * module here.
 *
 * @example
 * st.nn.generateSquareSubsequentMask(3).toArray()
 * // [[true, false, false], [true, true, false], [true, true, true]]
 */
export function generateSquareSubsequentMask(n: number): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`generateSquareSubsequentMask: n must be a non-negative integer (got ${n})`);
  const m = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i * n + j] = 1;
  return tensor(m, { shape: [n, n], dtype: "bool" });
}

/** Options of `paddingMask`. */
export interface PaddingMaskOptions {
  /** Token id of padding: the input is a token tensor and the mask is `tokens != padToken`. */
  padToken?: number;
  /** Lengths only: the mask's length (default the longest length). */
  maxLen?: number;
}

/**
 * A key padding mask (`true` = a real token, attend; `false` = padding), for `keyPaddingMask`,
 * `srcKeyPaddingMask`, … — two ways:
 *
 * - from lengths (a number array or 1-D integer tensor of B lengths): bool [B, maxLen] with
 *   m[b][t] = (t < lengths[b]); maxLen defaults to the longest length;
 * - from tokens with `{padToken}` (a token tensor of any shape, e.g. [B, L]): `tokens != padToken`.
 *
 * Note: PyTorch's key_padding_mask is the opposite (`true` = padding, ignore); convert one with
 * `fromTorchKeyPaddingMask`.
 *
 * @example
 * st.nn.paddingMask([3, 1]).toArray() // [[true, true, true], [true, false, false]]
 * st.nn.paddingMask(st.tensor([[5, 7, 0], [4, 0, 0]], { dtype: "int32" }), { padToken: 0 }).toArray()
 * // [[true, true, false], [true, false, false]]
 */
export function paddingMask(lengthsOrTokens: readonly number[] | Tensor, opts: PaddingMaskOptions = {}): Tensor {
  const who = "paddingMask";
  if (opts.padToken !== undefined) {
    if (!(lengthsOrTokens instanceof Tensor)) {
      throw new DTypeError(`${who}: with padToken the input must be a token Tensor (got ${Array.isArray(lengthsOrTokens) ? "a JavaScript array" : typeof lengthsOrTokens}); wrap it with st.tensor(...)`);
    }
    if (opts.maxLen !== undefined) throw new ValueError(`${who}: maxLen applies to lengths, not to tokens with padToken`);
    return ne(lengthsOrTokens, opts.padToken);
  }
  let lengths: number[];
  if (lengthsOrTokens instanceof Tensor) {
    if (lengthsOrTokens.ndim !== 1) {
      throw new ShapeError(`${who}: lengths must be 1-D [B] (got shape ${fmtShape(lengthsOrTokens.shape)}); for a token tensor pass {padToken}`);
    }
    if (isFloat(lengthsOrTokens.dtype) || lengthsOrTokens.dtype === "bool") {
      throw new DTypeError(`${who}: lengths must be an int32 tensor (got ${lengthsOrTokens.dtype})`);
    }
    lengths = Array.from(lengthsOrTokens.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(lengthsOrTokens)) {
    lengths = [...lengthsOrTokens];
  } else {
    throw new DTypeError(`${who}: expected lengths (a number array or 1-D int32 tensor) or a token Tensor with {padToken} (got ${typeof lengthsOrTokens})`);
  }
  for (const n of lengths) {
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`${who}: lengths must be non-negative integers (got ${n})`);
  }
  const maxLen = opts.maxLen ?? lengths.reduce((a, b) => Math.max(a, b), 0);
  if (!Number.isInteger(maxLen) || maxLen < 0) throw new ValueError(`${who}: maxLen must be a non-negative integer (got ${maxLen})`);
  const longest = lengths.reduce((a, b) => Math.max(a, b), 0);
  if (longest > maxLen) throw new ValueError(`${who}: a length (${longest}) exceeds maxLen (${maxLen})`);
  const m = new Uint8Array(lengths.length * maxLen);
  lengths.forEach((n, b) => m.fill(1, b * maxLen, b * maxLen + n));
  return tensor(m, { shape: [lengths.length, maxLen], dtype: "bool" });
}

/**
 * Converts a PyTorch `key_padding_mask` to steadytensor's convention. PyTorch's boolean mask is
 * `true` = padding (ignore); ours is `true` = attend, so a bool mask is negated. A float mask is
 * additive in both libraries (−inf = ignore) and is returned unchanged.
 *
 * @example
 * const torchMask = st.tensor([[false, false, true]]); // PyTorch: the last key is padding
 * st.nn.fromTorchKeyPaddingMask(torchMask).toArray()   // [[true, true, false]]
 */
export function fromTorchKeyPaddingMask(mask: Tensor): Tensor {
  if (!(mask instanceof Tensor)) throw new DTypeError(`fromTorchKeyPaddingMask: expected a bool or float Tensor (got ${typeof mask})`);
  if (mask.dtype === "bool") return logicalNot(mask);
  if (isFloat(mask.dtype)) return mask;
  throw new DTypeError(`fromTorchKeyPaddingMask: expected a bool (true = padding) or float (additive) mask (got ${mask.dtype})`);
}
