// Losses: the functional forms (also in st.nn.functional) and the Module classes (st.nn.MSELoss …).

export type { Reduction, ReductionOptions } from "./reduction.js";
export { mseLoss, l1Loss, huberLoss, smoothL1Loss } from "./regression.js";
export type { HuberOptions, SmoothL1Options } from "./regression.js";
export { crossEntropy, nllLoss } from "./cross-entropy.js";
export type { CrossEntropyOptions, NLLOptions } from "./cross-entropy.js";
export { binaryCrossEntropy, binaryCrossEntropyWithLogits } from "./binary.js";
export type { BCEOptions, BCEWithLogitsOptions } from "./binary.js";
export { Loss, MSELoss, L1Loss, HuberLoss, SmoothL1Loss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss } from "./modules.js";
// issue 15: KL divergence and the pair/triplet losses
export { klDiv } from "./kl-div.js";
export type { KLDivOptions, KLReduction } from "./kl-div.js";
export { cosineEmbeddingLoss, marginRankingLoss, tripletMarginLoss, pairwiseDistance } from "./ranking.js";
export type { CosineEmbeddingOptions, MarginRankingOptions, TripletMarginOptions } from "./ranking.js";
export { KLDivLoss, CosineEmbeddingLoss, MarginRankingLoss, TripletMarginLoss } from "./modules-more.js";
