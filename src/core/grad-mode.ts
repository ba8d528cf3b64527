// Whether ops record the autograd graph. Lives in core because ops (which record) sit above
// autograd (which replays) in the layering, and both need the flag.

let enabled = true;

/**
 * Whether autograd records ops now (false inside `st.noGrad`).
 * @example st.noGrad(() => st.isGradEnabled()); // false
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Sets grad mode, returning the previous value (use with try/finally).
 * @example
 * const prev = st.setGradEnabled(false); // returns the previous mode
 * st.isGradEnabled(); // false
 * st.setGradEnabled(prev);
 */
export function setGradEnabled(v: boolean): boolean {
  const prev = enabled;
  enabled = v;
  return prev;
}

/**
 * Runs `fn` without recording the autograd graph (PyTorch's `torch.no_grad()`).
 *
 * @example
 * const w = st.tensor([1, 2], { requiresGrad: true });
 * const y = st.noGrad(() => w.mul(2)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/**
 * Runs `fn` with gradient recording on, even inside `noGrad` (PyTorch's `torch.enable_grad()`).
 * @example st.noGrad(() => st.enableGrad(() => st.isGradEnabled())); // true
 */
export function enableGrad<T>(fn: () => T): T {
  const prev = setGradEnabled(true);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}
