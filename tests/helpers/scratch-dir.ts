// A scratch working directory for documentation code that reads and writes files the way a user
// would (`model.save("best")`, `readFileSync("node_modules/...")`): a fresh temporary directory
// holding a symlink to each top-level entry of the repository (so repository-relative paths
// resolve) and, optionally, copies of some fixture files; whatever the code writes there vanishes.

import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs `fn` with the working directory a fresh scratch directory (see the file header), then
 * restores the working directory and removes the scratch one — its links first, so the removal
 * never reaches the repository. `seed`: a directory whose files are copied in before the links.
 */
export async function inScratchDir<T>(root: string, fn: () => Promise<T>, seed?: string): Promise<T> {
  const cwd = process.cwd();
  const work = mkdtempSync(join(tmpdir(), "steady-docs-"));
  if (seed) cpSync(seed, work, { recursive: true });
  const links: string[] = [];
  for (const entry of readdirSync(root)) {
    if (entry === ".git" || existsSync(join(work, entry))) continue;
    symlinkSync(join(root, entry), join(work, entry));
    links.push(join(work, entry));
  }
  process.chdir(work);
  try {
    return await fn();
  } finally {
    process.chdir(cwd);
    for (const l of links) unlinkSync(l);
    rmSync(work, { recursive: true, force: true });
  }
}
