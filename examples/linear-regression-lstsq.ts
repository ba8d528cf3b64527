// Linear regression two ways on the diabetes data (442 patients, 10 standardized features plus an
// intercept): the closed form by least squares, st.linalg.lstsq (through the SVD, the same answer
// as the normal equations (XᵀX)⁻¹Xᵀy without squaring the condition number), and full-batch
// gradient descent on the mean squared error with the step 1/L, where L = 2·λ_max(XᵀX)/n is the
// loss's curvature bound from st.linalg.eigvalsh. Gradient descent approaches the closed form at
// the rate set by cond(XᵀX) = cond(X)², which st.linalg.cond reports.
// Run: npx tsx examples/linear-regression-lstsq.ts

import * as st from "../src/node.js";

export interface RegressionComparison {
  /** Closed-form coefficients (features…, intercept). */
  wLstsq: number[];
  /** Coefficients after gradient descent. */
  wGd: number[];
  /** Mean squared errors of the two fits on the training data. */
  mseLstsq: number;
  mseGd: number;
  /** cond(X) of the design matrix; gradient descent's rate depends on its square. */
  condX: number;
  steps: number;
}

export function linearRegressionLstsq(opts: { steps?: number; verbose?: boolean } = {}): RegressionComparison {
  const steps = opts.steps ?? 3000;
  const { x, y } = st.datasets.loadDiabetes();
  const xf = x.double();
  // standardize the features: same fit (up to the scale of the weights), much smaller cond(X)
  const z = xf.sub(xf.mean(0, true)).div(xf.std(0, { keepdim: true }));
  const n = z.shape[0]!;
  const X = st.cat([z, st.ones([n, 1], { dtype: "float64" })], 1);
  const Y = y.double().unsqueeze(1);

  // 1. closed form
  const { solution } = st.linalg.lstsq(X, Y);
  const mse = (w: st.Tensor) => X.matmul(w).sub(Y).square().mean().item();

  // 2. gradient descent on (1/n)‖Xw − y‖², step 1/L with L = 2·λ_max(XᵀX)/n
  const L = (2 * (st.linalg.eigvalsh(X.transpose(0, 1).matmul(X)).max().item() as number)) / n;
  const w = st.zeros([X.shape[1]!, 1], { dtype: "float64", requiresGrad: true });
  const opt = new st.optim.SGD([w], { lr: 1 / L });
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    const loss = X.matmul(w).sub(Y).square().mean();
    loss.backward();
    opt.step();
  }

  const out: RegressionComparison = {
    wLstsq: solution.reshape(-1).toArray() as number[],
    wGd: w.detach().reshape(-1).toArray() as number[],
    mseLstsq: mse(solution),
    mseGd: mse(w.detach()),
    condX: st.linalg.cond(X).item() as number,
    steps,
  };
  if (opts.verbose ?? true) {
    console.log(`cond(X) = ${out.condX.toFixed(1)}, so cond(XᵀX) = ${(out.condX ** 2).toFixed(0)}`);
    console.log(`lstsq:            MSE ${out.mseLstsq.toFixed(6)}  w = [${out.wLstsq.map((v) => v.toFixed(3)).join(", ")}]`);
    console.log(`gradient descent: MSE ${out.mseGd.toFixed(6)}  w = [${out.wGd.map((v) => v.toFixed(3)).join(", ")}] after ${steps} steps`);
    const gap = Math.max(...out.wGd.map((v, i) => Math.abs(v - out.wLstsq[i]!)));
    console.log(`largest coefficient gap: ${gap.toExponential(2)}`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) linearRegressionLstsq();
