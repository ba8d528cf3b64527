// st.nn.utils: helpers used around the training step.

export { clipGradNorm, clipGradValue, getTotalNorm } from "./clip-grad.js";
export type { ClipGradNormOptions, ParamsLike } from "./clip-grad.js";
