// IEEE half (float16) and bfloat16 bit patterns to numbers, for reading safetensors files
// written by PyTorch. Every float16 and bfloat16 value is exactly a float32, so nothing rounds.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The value of an IEEE 754 binary16 bit pattern (sign, 5-bit exponent, 10-bit fraction), with
 * subnormals, ±0, ±Infinity and NaN.
 */
export function halfBitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // subnormal or ±0 (sign * 0 keeps -0)
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The value of a bfloat16 bit pattern: the upper 16 bits of a float32. */
export function bfloat16BitsToNumber(b: number): number {
  // reinterpreting through one shared word: int and float share the host's byte order
  u32[0] = (b & 0xffff) << 16;
  return f32[0]!;
}
