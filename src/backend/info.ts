// What the library runs on: the active backend and, when the native addon could not be loaded,
// why. The Node entry fills in the native part; in a browser only js exists.

import { getBackend, listBackends } from "./registry.js";

/** Whether the native addon loaded, and why not when it did not. */
export interface NativeStatus {
  /** True when the addon loaded (it may still be inactive: STEADY_BACKEND=js). */
  loaded: boolean;
  /** Why the addon is not in use (missing build, no compiler at install, STEADY_BACKEND=js, ...). */
  reason: string;
  /** Instruction set of the GEMM micro-kernels chosen at run time (e.g. "avx512"). */
  isa?: string;
  /** Worker threads of the native kernels (`STEADY_NUM_THREADS`, default: all cores). */
  threads?: number;
  /** The C allocator settings in force for tensor memory (see src/backend/native/malloc.ts). */
  malloc?: string;
}

let native: NativeStatus = { loaded: false, reason: "not running under Node (the native addon needs Node.js)" };

/** @internal Set by the Node entry after trying to load the addon. */
export function setNativeStatus(s: NativeStatus): void {
  native = s;
}

/** What `st.backendInfo()` returns: the active backend, the registered ones and the native addon's status. */
export interface BackendInfo {
  /** The backend whose kernels run (kernels it lacks fall back to js). */
  active: string;
  /** Names of the registered backends. */
  available: string[];
  /** The native addon's status. */
  native: NativeStatus;
}

/**
 * Which backend runs the kernels, and why the native one is or is not in use.
 * @example console.log(st.backendInfo()) // { active: "native", native: { loaded: true, isa: "avx512", threads: 2 } }
 */
export function backendInfo(): BackendInfo {
  return { active: getBackend(), available: listBackends(), native: { ...native } };
}
