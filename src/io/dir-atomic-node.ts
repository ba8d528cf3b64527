// Publishing a directory atomically (Node only): a directory is filled under a hidden sibling
// name and then made visible by renames, so readers see the previous complete version or the new
// one, never a mix. The directory counterpart of writeFileAtomic (files-node.ts).

import { lstatSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

let tmpCounter = 0;
const stamp = (): string => `${process.pid}-${Date.now()}-${tmpCounter++}`;

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Whether anything (file, directory or link) exists at `path`, without following links. */
export function pathExists(path: string): boolean {
  return lstatOrNull(path) !== null;
}

/**
 * Writes a directory at `path` through `fill(tmpDir)` and publishes it atomically. A new path is
 * one rename. With `overwrite` (on POSIX) `path` is a symbolic link to a hidden sibling
 * `.NAME.ckpt-…`, swapped by one rename of a new link, and the previous target is removed; on
 * Windows, or over a plain directory already there, the old directory is renamed aside first — a
 * moment in which `path` is missing but `.NAME.old-…` is complete.
 * @example
 * import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { publishDirAtomic } from "./dir-atomic-node.js";
 * const best = join(mkdtempSync(join(tmpdir(), "st-")), "best");
 * await publishDirAtomic(best, (tmp) => { mkdirSync(tmp); writeFileSync(join(tmp, "weights.txt"), "1 2 3"); }, true);
 */
export async function publishDirAtomic(path: string, fill: (tmpDir: string) => Promise<void>, overwrite: boolean): Promise<void> {
  const dir = dirname(path);
  const base = basename(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${base}.partial-${stamp()}`);
  await fill(tmp);
  const current = lstatOrNull(path);
  if (overwrite && process.platform !== "win32") {
    const target = `.${base}.ckpt-${stamp()}`;
    renameSync(tmp, join(dir, target));
    const previous = current?.isSymbolicLink() ? resolve(dir, readlinkSync(path)) : null;
    let aside: string | null = null;
    if (current !== null && !current.isSymbolicLink()) {
      aside = join(dir, `.${base}.old-${stamp()}`);
      renameSync(path, aside);
    }
    const link = join(dir, `.${base}.link-${stamp()}`);
    symlinkSync(target, link, "dir");
    renameSync(link, path); // atomic: the link now names the new version
    if (previous !== null) rmSync(previous, { recursive: true, force: true });
    if (aside !== null) rmSync(aside, { recursive: true, force: true });
    return;
  }
  if (current === null) {
    renameSync(tmp, path);
    return;
  }
  const aside = join(dir, `.${base}.old-${stamp()}`);
  renameSync(path, aside);
  renameSync(tmp, path);
  rmSync(aside, { recursive: true, force: true });
}
