// The parent's side of the library workers (see protocol.ts): starting one per library, one
// request at a time, and the answers as promises.

import { type ChildProcess, fork, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Plan, Prepared } from "./harness.js";
import type { Hello, Reply, Request } from "./protocol.js";

export interface LibWorker {
  hello: Hello;
  /** Sends one request and waits for its reply (requests never overlap). */
  request(m: Request): Promise<Reply>;
  close(): void;
}

/** A worker process speaking the protocol through `post` (IPC or stdin) and `onMessage`. */
function wrap(child: ChildProcess, post: (m: Request) => void, onMessage: (f: (m: Hello | Reply) => void) => void, id: string): Promise<LibWorker> {
  return new Promise((resolveHello) => {
    let pending: ((r: Reply) => void) | null = null;
    let hello: Hello | null = null;
    let dead: string | null = null;
    const worker: LibWorker = {
      get hello() { return hello!; },
      request(m) {
        if (dead !== null) return Promise.resolve({ op: "error", message: dead });
        return new Promise((res) => {
          pending = res;
          post(m);
        });
      },
      close() {
        if (dead === null) child.kill();
        dead = "closed";
      },
    };
    onMessage((m) => {
      if (hello === null) {
        hello = m as Hello;
        resolveHello(worker);
      } else {
        const p = pending;
        pending = null;
        p?.(m as Reply);
      }
    });
    child.on("exit", (code, signal) => {
      if (dead === null) dead = `the ${id} worker exited (${signal ?? `code ${code}`})`;
      if (hello === null) {
        hello = { op: "missing", id, reason: dead };
        resolveHello(worker);
      }
      pending?.({ op: "error", message: dead });
      pending = null;
    });
  });
}

/** A Node worker for one library (bench/worker.ts); its stdout goes to our stderr, off the report. */
export function startNodeWorker(id: string): Promise<LibWorker> {
  const script = fileURLToPath(new URL("./worker.ts", import.meta.url));
  // fork inherits execArgv, so the worker runs under the same tsx loader as `npm run bench`
  const child = fork(script, [id], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  child.stdout!.pipe(process.stderr);
  return wrap(child, (m) => child.send(m), (f) => child.on("message", f), id);
}

/** A worker that speaks the protocol as JSON lines on stdin/stdout (the PyTorch one). */
export function startLineWorker(id: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<LibWorker> {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"], env });
  const lines = createInterface({ input: child.stdout! });
  child.on("error", () => {}); // reported through "exit"
  return wrap(child, (m) => child.stdin!.write(`${JSON.stringify(m)}\n`), (f) => lines.on("line", (l) => {
    try {
      f(JSON.parse(l) as Hello | Reply);
    } catch {
      process.stderr.write(`${id}: ${l}\n`);
    }
  }), id);
}

/**
 * Asks a worker to prepare and warm up a case; the handle `interleave` times, or why there is none.
 * `slot` > 0 keeps the case beside those already prepared (cases timed in the same rounds: see
 * lib.ts `caseGroups`); the PyTorch worker holds one case and is only ever sent slot 0.
 */
export async function prepare(w: LibWorker, workload: string, label: string, plan: Plan, slot = 0): Promise<(Prepared & { impl?: string }) | { skipped: string } | { error: string }> {
  const r = await w.request({ op: "prepare", workload, case: label, plan, ...(slot > 0 ? { slot } : {}) });
  if (r.op === "skipped") return { skipped: r.reason };
  if (r.op !== "prepared") return { error: r.op === "error" ? r.message : `unexpected reply ${r.op}` };
  return {
    warm: r.warm,
    impl: r.impl,
    time: async (k, rewarm) => {
      const t = await w.request({ op: "time", k, rewarm, ...(slot > 0 ? { slot } : {}) });
      if (t.op !== "timed") throw new Error(t.op === "error" ? t.message : `unexpected reply ${t.op}`);
      return { runsMs: t.runsMs, check: t.check };
    },
  };
}
