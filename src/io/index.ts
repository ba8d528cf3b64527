// st.io: the browser-safe part of saving and loading (bytes in, bytes out). Files are Node-only:
// st.save / st.load / st.loadWithMetadata come from src/node.ts (files-node.ts).

export { encodeSafetensors, decodeSafetensors } from "./safetensors.js";
export type { SafetensorsContent } from "./safetensors.js";
