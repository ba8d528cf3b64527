// `expectError`: asserts that a call throws a given steadytensor error class whose message
// contains every expected fragment (the op's name, the shapes or values it got, ...).

import { expect } from "vitest";

/**
 * Runs `fn`, asserts it throws an instance of `cls`, and that the message contains each of
 * `fragments` (strings match literally, RegExps by test). Returns the error for further checks.
 *
 * @example expectError(() => st.matmul(a, b), st.ShapeError, "matmul", "[2, 3]", "[4, 5]");
 */
export function expectError<E extends Error>(
  fn: () => unknown,
  cls: abstract new (...args: never[]) => E,
  ...fragments: (string | RegExp)[]
): E {
  let caught: unknown = undefined;
  let threw = false;
  try {
    fn();
  } catch (e) {
    threw = true;
    caught = e;
  }
  expect(threw, `expected a ${cls.name} to be thrown`).toBe(true);
  expect(caught, `expected a ${cls.name}, got ${String(caught)}`).toBeInstanceOf(cls);
  const msg = (caught as Error).message;
  for (const f of fragments) {
    const ok = typeof f === "string" ? msg.includes(f) : f.test(msg);
    expect(ok, `message ${JSON.stringify(msg)} should mention ${String(f)}`).toBe(true);
  }
  return caught as E;
}
