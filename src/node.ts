// The Node.js entry: everything in index.ts, plus the native backend when its addon loads.
// STEADY_BACKEND=js keeps the pure-TypeScript kernels (useful to compare or to debug).

import { setNativeStatus } from "./backend/info.js";
import { loadNativeBackend } from "./backend/native/index.js";
import { loadAddon } from "./backend/native/addon.js";
import { tuneMalloc } from "./backend/native/malloc.js";
import { registerBackend, setBackend } from "./backend/registry.js";
import { nodeRawAllocator } from "./backend/native/raw-allocator.js";
import { setRawAllocator } from "./core/dtype.js";

export * from "./index.js";

// large kernel outputs skip the zero-fill they do not need (on either backend)
setRawAllocator(nodeRawAllocator);

const loaded = loadNativeBackend();
if (loaded.backend) {
  // freed tensor memory stays in the heap for the next step (on either backend)
  const malloc = tuneMalloc(loadAddon().addon!);
  registerBackend(loaded.backend);
  const wanted = process.env.STEADY_BACKEND;
  if (wanted === "js") {
    setNativeStatus({ loaded: true, reason: "STEADY_BACKEND=js: native kernels are available but not active", isa: loaded.info?.isa, threads: loaded.info?.threads, malloc });
  } else {
    setBackend(loaded.backend.name); // with its fused kernels
    setNativeStatus({ loaded: true, reason: "loaded", isa: loaded.info?.isa, threads: loaded.info?.threads, malloc });
  }
} else {
  setNativeStatus({ loaded: false, reason: loaded.reason });
}

export * as datasets from "./data/datasets-node.js";
// st.data on Node adds readCsv (this explicit export shadows the browser one from index.js)
export * as data from "./data/index-node.js";
// saving and loading tensors as safetensors files, atomically (st.io has the browser-safe bytes part)
export { save, load, loadWithMetadata, writeFileAtomic } from "./io/files-node.js";
export type { SaveOptions, TensorDict } from "./io/files-node.js";
// st.callbacks on Node adds ModelCheckpoint, CSVLogger and ProgressBar; fit's verbose 1/2 output is
// Keras's progress bar (a live bar on a terminal, one line per epoch otherwise)
export * as callbacks from "./train/callbacks/index-node.js";
import { setProgressFactory } from "./train/callback.js";
import { ProgressBar } from "./train/progress-node.js";
setProgressFactory((verbose) => new ProgressBar({ verbose }));
// model.save writes to disk on Node; st.loadModel reads it back
import { installModelIO } from "./train/model-io-node.js";
installModelIO();
export { loadModel } from "./train/model-io-node.js";
// st.stability on Node adds writeReport (writes the self-contained HTML report)
export * as stability from "./stability/index-node.js";
export type { LoadModelOptions, SavedModelConfig } from "./train/model-io-node.js";
// st.onnx on Node adds writing the model to a file (st.onnx.save, st.onnx.export(…, { path }))
export * as onnx from "./io/onnx-node.js";
