// numerics/: the stable formulations losses and layers are built from (DESIGN habit 7), and the
// comparison utilities tests and users check numbers with. Public as `st.numerics.*`.

export { logsumexp, logSoftmax, softmax } from "../ops/reduce.js";
export { softplus, logSigmoid } from "./softplus.js";
export { log1mexp, xlogy, safeLog } from "./log-forms.js";
export { maskedSoftmax } from "./masked-softmax.js";
export { allclose, ulpDistance, assertClose, defaultTolerances } from "./compare.js";
export type { AllcloseOptions, AssertCloseOptions } from "./compare.js";
