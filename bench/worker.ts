// One library of the bench in its own process: `tsx bench/worker.ts <lib id>`, forked by
// bench/workers.ts. Loads the library, then prepares, times and frees cases on request.

import { type Case, Runner } from "./harness.js";
import { type LoadResult, isLib, makeCase } from "./lib.js";
import { loadJax } from "./libs/jax.js";
import { firstLine, loadSteadyJs, loadSteadyNative } from "./libs/steady.js";
import { loadTfjs } from "./libs/tfjs.js";
import type { Hello, Reply, Request } from "./protocol.js";

async function load(id: string): Promise<LoadResult> {
  switch (id) {
    case "steady-js":
      return loadSteadyJs();
    case "steady-native":
      return loadSteadyNative();
    case "tfjs-cpu":
    case "tfjs-wasm":
      return (await loadTfjs()).find((l) => l.id === id)!;
    case "jax-js":
      return loadJax();
    default:
      return { id, reason: `no such library in the bench: ${id}` };
  }
}

function send(m: Hello | Reply): void {
  process.send!(m);
}

async function main(): Promise<void> {
  const id = process.argv[2] ?? "";
  let lib: LoadResult;
  try {
    lib = await load(id);
    if (isLib(lib)) await lib.activate();
  } catch (e) {
    lib = { id, reason: firstLine(e) };
  }
  if (!isLib(lib)) {
    send({ op: "missing", id, reason: lib.reason });
    process.disconnect();
    return;
  }
  const ws = lib.workloads;
  const prepared = new Map<number, { c: Case; runner: Runner }>();
  const handle = async (m: Request): Promise<Reply> => {
    switch (m.op) {
      case "prepare": {
        const c = makeCase(ws, m.workload, m.case);
        if (typeof c === "string") return { op: "skipped", reason: c };
        const current = { c, runner: new Runner(c) };
        prepared.set(m.slot ?? 0, current);
        const warm = await current.runner.warmUp(m.plan);
        return { op: "prepared", warm, ...(c.impl ? { impl: c.impl } : {}) };
      }
      case "time": {
        const current = prepared.get(m.slot ?? 0);
        if (current === undefined) return { op: "error", message: `no case prepared in slot ${m.slot ?? 0}` };
        const runsMs = await current.runner.time(m.k, m.rewarm);
        return { op: "timed", runsMs, check: current.runner.check };
      }
      case "dispose":
        for (const p of prepared.values()) p.c.dispose?.();
        prepared.clear();
        return { op: "disposed" };
    }
  };
  process.on("message", (m: Request) => {
    handle(m).then(send, (e: unknown) => send({ op: "error", message: firstLine(e) }));
  });
  send({ op: "loaded", id: lib.id, version: lib.version, threads: lib.threads, ours: lib.ours, notes: lib.notes ?? [] });
}

void main();
