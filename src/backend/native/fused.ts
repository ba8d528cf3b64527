// The native addon's fused kernels: one pass over memory for patterns the op-by-op path would run
// as several kernels (bias + activation, optimizer updates, LayerNorm). native/index.ts wraps them
// as ordinary entries of the kernel table (backend.ts Kernels), handing the cases they do not
// cover to the js kernels. Float-only (Float32Array or Float64Array, all arrays of one dtype);
// hyper-parameters are plain numbers. The TypeScript reference is fused-reference.ts.

export type FloatArray = Float32Array | Float64Array;

export type FusedActivation = "none" | "relu" | "gelu" | "tanh" | "sigmoid";

export interface FusedKernels {
  /**
   * out[i, j] = act(x[i, j] + bias[j]) for x of shape [M, N] with N = bias.length.
   * relu(v) = max(v, 0) (NaN stays NaN); gelu(v) = v/2 · (1 + erf(v/√2)) (exact, not the tanh
   * approximation); tanh; sigmoid(v) = 1 / (1 + e^(−v)). `out` may be `x`.
   */
  biasAct?(x: FloatArray, bias: FloatArray, act: FusedActivation, out: FloatArray): void;

  /**
   * One Adam step in place (PyTorch `torch.optim.Adam` semantics, no amsgrad), `step` = t ≥ 1:
   *   g = grad + wd·param                        (L2 penalty; with decoupled = true instead
   *                                               param ← param·(1 − lr·wd), as AdamW)
   *   m ← β1·m + (1 − β1)·g
   *   v ← β2·v + (1 − β2)·g²
   *   param ← param − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)
   */
  adamStep?(
    param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray,
    lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number,
    decoupledWeightDecay?: boolean,
  ): void;

  /**
   * One SGD step in place (PyTorch `torch.optim.SGD` semantics):
   *   g = grad + wd·param
   *   if momentum ≠ 0:  buf ← g on the first step, else buf ← momentum·buf + (1 − dampening)·g
   *                     g ← g + momentum·buf if nesterov, else buf
   *   param ← param − lr·g
   * `buf` may be null when momentum = 0.
   */
  sgdStep?(
    param: FloatArray, grad: FloatArray, buf: FloatArray | null,
    lr: number, momentum: number, dampening: number, nesterov: boolean, weightDecay: number, firstStep: boolean,
  ): void;

  /**
   * One RMSprop step in place (PyTorch `torch.optim.RMSprop` semantics):
   *   g = grad + wd·param
   *   sq ← α·sq + (1 − α)·g²
   *   centered (gradAvg given): ga ← α·ga + (1 − α)·g;  avg = √(sq − ga²) + eps
   *   otherwise:                                       avg = √sq + eps
   *   momentum > 0: buf ← momentum·buf + g/avg; param ← param − lr·buf
   *   otherwise:    param ← param − lr·g/avg
   */
  rmspropStep?(
    param: FloatArray, grad: FloatArray, squareAvg: FloatArray, momentumBuf: FloatArray | null,
    gradAvg: FloatArray | null, lr: number, alpha: number, eps: number, weightDecay: number, momentum: number,
  ): void;

  /**
   * LayerNorm over the last axis of x [M, N], M = mean.length, N = x.length / M:
   *   mean_i = Σ_j x_ij / N,  var_i = Σ_j (x_ij − mean_i)² / N   (biased, two passes)
   *   rstd_i = 1 / √(var_i + eps)
   *   out_ij = (x_ij − mean_i)·rstd_i·γ_j + β_j                   (γ, β optional)
   * mean and rstd are saved for the backward pass.
   */
  layerNormForward?(
    x: FloatArray, gamma: FloatArray | null, beta: FloatArray | null, eps: number,
    out: FloatArray, mean: FloatArray, rstd: FloatArray,
  ): void;

  /**
   * Gradients of layerNormForward, from its saved mean and rstd (x̂ = (x − mean)·rstd, g = dy·γ):
   *   dx_ij   = rstd_i · (g_ij − (1/N) Σ_k g_ik − x̂_ij · (1/N) Σ_k g_ik·x̂_ik)
   *   dγ_j    = Σ_i dy_ij · x̂_ij        (written, not accumulated; skipped when null)
   *   dβ_j    = Σ_i dy_ij
   */
  layerNormBackward?(
    dy: FloatArray, x: FloatArray, mean: FloatArray, rstd: FloatArray, gamma: FloatArray | null,
    dx: FloatArray, dgamma: FloatArray | null, dbeta: FloatArray | null,
  ): void;
}

/** Activation codes shared with the native addon (native/ew_table.h `Activation`). */
export const FUSED_ACTIVATION_CODE: Readonly<Record<FusedActivation, number>> = {
  none: 0, relu: 1, gelu: 2, tanh: 3, sigmoid: 4,
};
