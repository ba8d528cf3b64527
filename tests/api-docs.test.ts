// The API reference: every exported symbol documented, the docs building without a warning, and
// every public function, class and Tensor method carrying an `@example` (which
// tests/doc-examples.test.ts then runs). It converts the project with TypeDoc in this process,
// with the same typedoc.json as `npm run docs`, and runs TypeDoc's validation — one conversion,
// no HTML written, so it takes seconds rather than the full build.

import { describe, expect, it } from "vitest";
import { Application, LogLevel, Logger, type ProjectReflection, ReflectionKind, type Reflection, TSConfigReader, TypeDocReader } from "typedoc";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Keeps every warning and error TypeDoc reports. */
class CapturingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    if (level >= LogLevel.Warn) this.messages.push(`[${LogLevel[level]}] ${message}`);
  }
}

async function convert(): Promise<{ project: ProjectReflection | undefined; messages: string[] }> {
  const cwd = process.cwd();
  process.chdir(root); // typedoc.json's paths are relative to the repository
  try {
    const app = await Application.bootstrapWithPlugins({}, [new TypeDocReader(), new TSConfigReader()]);
    const logger = new CapturingLogger();
    app.logger = logger;
    const project = await app.convert();
    if (project) app.validate(project);
    return { project, messages: logger.messages };
  } finally {
    process.chdir(cwd);
  }
}

/** Public functions, classes, function-valued constants and Tensor's methods that lack an @example. */
function withoutExample(project: ProjectReflection): string[] {
  const hasExample = (r: Reflection & { signatures?: { comment?: unknown }[]; getSignature?: { comment?: unknown }; type?: unknown }) => {
    const decl = (r.type as { declaration?: { signatures?: { comment?: unknown }[] } } | undefined)?.declaration;
    const comments = [r.comment, r.getSignature?.comment, ...(r.signatures ?? []).map((s) => s.comment), ...(decl?.signatures ?? []).map((s) => s.comment)];
    return comments.some((c) => (c as { blockTags?: { tag: string }[] } | undefined)?.blockTags?.some((t) => t.tag === "@example"));
  };
  const missing = new Set<string>();
  const kinds = ReflectionKind.Function | ReflectionKind.Class | ReflectionKind.Variable | ReflectionKind.Method | ReflectionKind.Accessor;
  for (const r of project.getReflectionsByKind(kinds)) {
    const isFunctionValue = r.kind !== ReflectionKind.Variable || Boolean((r as { type?: { declaration?: { signatures?: unknown } } }).type?.declaration?.signatures);
    const isTensorMember = r.kind !== ReflectionKind.Method && r.kind !== ReflectionKind.Accessor ? true : r.parent?.name === "Tensor";
    if (isFunctionValue && isTensorMember && !hasExample(r as never)) missing.add(r.getFullName());
  }
  return [...missing].sort();
}

describe("API documentation (TypeDoc)", () => {
  it("documents every export, builds without warnings and gives every function, class and Tensor method an example", async () => {
    const { project, messages } = await convert();
    const missingDocs = messages.filter((m) => m.includes("does not have any documentation"));
    // the failure names each symbol, so it says what to document
    expect(missingDocs, `undocumented exported symbols:\n${missingDocs.join("\n")}`).toEqual([]);
    expect(messages, `TypeDoc warnings:\n${messages.join("\n")}`).toEqual([]);
    expect(project).toBeDefined();
    const noExample = withoutExample(project!);
    expect(noExample, `public API without an @example:\n${noExample.join("\n")}`).toEqual([]);
    // the check sees the API: Tensor's methods and the top-level functions are there
    const names = new Set(project!.getReflectionsByKind(ReflectionKind.Method | ReflectionKind.Function).map((r) => r.getFullName()));
    expect(names.has("index.Tensor.matmul") && names.has("index.tensor") && names.has("node.loadModel")).toBe(true);
  }, 150_000);
});
