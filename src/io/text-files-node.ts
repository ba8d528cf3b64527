// Small text-file helpers (Node only) for the parts of the library that log or read JSON and CSV
// next to their tensors (CSVLogger, model configs, the stability report's assets), so that file
// system code stays in io/.

import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";

/** The UTF-8 text of `path` (throws Node's error, which names the path, when it cannot be read). */
export function readText(path: string): string {
  return readFileSync(path, "utf8");
}

/** The text of `path`, or null when there is no such file or it is empty. */
export function readTextIfPresent(path: string): string | null {
  return existsSync(path) && statSync(path).size > 0 ? readFileSync(path, "utf8") : null;
}

/** Replaces the content of `path` with `text`, creating its directory. Not atomic: see writeFileAtomic. */
export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Appends `text` to `path`. */
export function appendText(path: string, text: string): void {
  appendFileSync(path, text);
}

/** Creates `dir` and its parents if they are missing. */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** The text of a file of an installed package, resolved as an import of `specifier` would be. */
export function readPackageText(specifier: string): string {
  return readFileSync(createRequire(import.meta.url).resolve(specifier), "utf8");
}
