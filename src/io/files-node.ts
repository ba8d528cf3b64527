// Node-only file I/O: atomic writes, and st.save / st.load of tensors as safetensors files.
// An interrupted save (crash, SIGKILL, power loss after the fsyncs) never leaves a half-written
// file at the target path: the bytes go to a temporary file beside it, are flushed to disk, and
// the temporary file is renamed over the target, which POSIX makes atomic.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { ValueError } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { type SafetensorsContent, decodeSafetensorsFrom, encodeSafetensors } from "./safetensors.js";

/** What st.save accepts: tensors by name, as a plain object (e.g. `module.stateDict()`) or a Map, or a module. */
export type TensorDict = Record<string, Tensor> | Map<string, Tensor> | {
  /** The tensors by name. */
  stateDict(): Record<string, Tensor>;
};

/** Options of st.save. */
export interface SaveOptions {
  /** String-to-string `__metadata__` stored in the file's header (e.g. `{epoch: "3"}`). */
  metadata?: Record<string, string>;
}

/** A ValueError naming the op, the path and the system's reason (ENOENT, EACCES, ...); `cause` keeps the original. */
function ioError(op: string, verb: string, path: string, e: unknown): ValueError {
  const err = e as NodeJS.ErrnoException;
  // Node's messages already start with the code: "ENOENT: no such file or directory, open 'x'"
  const msg = String(err?.message ?? e);
  const why = err?.code !== undefined && !msg.startsWith(err.code) ? `${err.code}: ${msg}` : msg;
  return Object.assign(new ValueError(`${op}: cannot ${verb} "${path}" (${why})`), { cause: e });
}

/**
 * Writes `data` to `path` so that the file at `path` is always either the old content or the
 * complete new one, never a mix or a prefix: the bytes go to `path.tmp-<pid>-<random>` in the same
 * directory, are fsynced, and the temporary file is renamed over `path`; then the directory is
 * fsynced (where the platform allows) so the rename itself survives a power loss. On an error the
 * temporary file is removed. A process killed between the write and the rename leaves the
 * temporary file behind (never the target half-written).
 *
 * @param path the file to write (its directory must exist)
 * @param data the bytes, or a string written as UTF-8
 * @example
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const run = mkdtempSync(join(tmpdir(), "st-run-"));
 * st.writeFileAtomic(join(run, "config.json"), JSON.stringify({ lr: 1e-3 }));
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  if (typeof path !== "string" || path === "") throw new ValueError(`writeFileAtomic: path must be a non-empty string (got ${JSON.stringify(path)})`);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  if (!(bytes instanceof Uint8Array)) throw new ValueError(`writeFileAtomic: data for "${path}" must be a Uint8Array or a string`);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
  let fd: number | null = null;
  try {
    fd = openSync(tmp, "wx", 0o644);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the original error is the one to report
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    throw ioError("writeFileAtomic", "write", path, e);
  }
  syncDirectory(dirname(path));
}

/** fsyncs a directory so a rename in it is durable; some platforms (Windows) cannot, which is fine. */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // EISDIR/EPERM/EINVAL on platforms that do not fsync directories: the rename is still atomic
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Saves tensors to a safetensors file, atomically (see `writeFileAtomic`). Keys are kept as
 * given, so a `module.stateDict()` saved here has PyTorch's keys and loads in PyTorch with
 * `safetensors.torch.load_file`, and a PyTorch state dict saved with `save_file` loads here.
 *
 * @param tensors tensors by name: a plain object, a Map, a module's `stateDict()`, or the module itself
 * @param path the file to write, conventionally `*.safetensors`
 * @param opts `metadata`: string-to-string values stored in the header
 * @example
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const dir = mkdtempSync(join(tmpdir(), "st-"));
 * const net = new st.nn.Sequential(new st.nn.Linear(4, 8), new st.nn.ReLU(), new st.nn.Linear(8, 2));
 * st.save(net.stateDict(), join(dir, "net.safetensors"), { metadata: { epoch: "5" } });
 * net.loadStateDict(st.load(join(dir, "net.safetensors")));
 */
export function save(tensors: TensorDict, path: string, opts: SaveOptions = {}): void {
  if (typeof path !== "string" || path === "") throw new ValueError(`save: path must be a non-empty string (got ${JSON.stringify(path)})`);
  let bytes: Uint8Array;
  try {
    bytes = encodeSafetensors(tensors, opts.metadata);
  } catch (e) {
    if (e instanceof ValueError) throw new ValueError(`save("${path}"): ${e.message}`);
    throw e;
  }
  try {
    writeFileAtomic(path, bytes);
  } catch (e) {
    if (e instanceof ValueError) throw Object.assign(new ValueError(e.message.replace(/^writeFileAtomic/, "save")), { cause: e.cause });
    throw e;
  }
}

/**
 * Loads the tensors of a safetensors file (written by `st.save`, by PyTorch's safetensors or any
 * other writer). F16/BF16 become float32 exactly; integer types become int32 with a range check;
 * a corrupt or truncated file raises a FormatError naming the path and what is wrong.
 *
 * @param path the `.safetensors` file
 * @returns tensors by name, in the header's order
 * @example
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const dir = mkdtempSync(join(tmpdir(), "st-"));
 * st.save({ w: st.ones([2, 2]) }, join(dir, "w.safetensors"));
 * st.load(join(dir, "w.safetensors")).w.toArray(); // [[1, 1], [1, 1]]
 */
export function load(path: string): Record<string, Tensor> {
  return read("load", path).tensors;
}

/**
 * Like `load`, also returning the file's `__metadata__` (`{}` when it has none).
 *
 * @param path the `.safetensors` file
 * @returns `{tensors, metadata}`
 * @example
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const dir = mkdtempSync(join(tmpdir(), "st-"));
 * st.save({ w: st.ones([2]) }, join(dir, "w.safetensors"), { metadata: { epoch: "3" } });
 * st.loadWithMetadata(join(dir, "w.safetensors")).metadata.epoch; // "3"
 */
export function loadWithMetadata(path: string): SafetensorsContent {
  return read("loadWithMetadata", path);
}

function read(op: string, path: string): SafetensorsContent {
  if (typeof path !== "string" || path === "") throw new ValueError(`${op}: path must be a non-empty string (got ${JSON.stringify(path)})`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw ioError(op, "read", path, e);
  }
  return decodeSafetensorsFrom(bytes, `${op}("${path}")`);
}
