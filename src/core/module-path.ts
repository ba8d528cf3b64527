// The stack of running module paths ("layers.0.self_attn"), low in the library so that kernel
// observers (ops/dispatch.ts) and module tracing (nn/trace.ts) can both read the current path.
// Module.call pushes and pops only while someone listens (tracing on, or a kernel observer
// registered), so a normal run pays one counter test per module call.

/** One running module: `path` labels its own ops, `prefix` starts its children's paths. */
export interface ModuleFrame {
  module: object;
  path: string;
  prefix: string;
}

const stack: ModuleFrame[] = [];
let listeners = 0;

/** Whether Module.call must maintain the path stack (tracing on or a kernel observer registered). */
export function modulePathsWanted(): boolean {
  return listeners > 0;
}

/** @internal Counts one more (+1) or one fewer (−1) user of module paths. */
export function wantModulePaths(delta: 1 | -1): void {
  listeners = Math.max(0, listeners + delta);
}

/** The path of the innermost module whose `call` is running (undefined outside any module). */
export function currentModulePath(): string | undefined {
  return stack[stack.length - 1]?.path;
}

/** @internal The innermost running frame. */
export function currentModuleFrame(): ModuleFrame | undefined {
  return stack[stack.length - 1];
}

/** @internal */
export function enterModule(module: object, path: string, prefix: string): void {
  stack.push({ module, path, prefix });
}

/** @internal */
export function exitModule(): void {
  stack.pop();
}

/** The autograd node whose gradient the engine is computing: its op and the module that ran it. */
export interface BackwardFrame {
  op: string;
  module: string | undefined;
}

let backwardFrame: BackwardFrame | undefined;

/**
 * The backward node being processed (undefined in forward code). The engine sets it around each
 * node's rule, so kernel observers (anomaly mode) can say "backward" and name the forward module.
 */
export function currentBackward(): BackwardFrame | undefined {
  return backwardFrame;
}

/** @internal Sets the backward frame, returning the previous one (restore it in a finally). */
export function setBackward(f: BackwardFrame | undefined): BackwardFrame | undefined {
  const prev = backwardFrame;
  backwardFrame = f;
  return prev;
}
