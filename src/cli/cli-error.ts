// How the `steady` command reports failure: one line `steady: error: …` on stderr and a non-zero
// exit status, whether the cause is a bad option (CliError), a library error (SteadyError) or a bug.

/** A user-facing problem (bad option, unknown dataset, not a run folder); `exitCode` 2 = usage. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** One line for stderr: `steady: error: <message>` (newlines folded so it stays one line). */
export function errorLine(e: unknown): string {
  const err = e instanceof Error ? e : new Error(String(e));
  // library errors keep their class name (ValueError, NonFiniteError …); ours do not need one
  const known = err.name === "CliError" || err.name === "CommanderError";
  const prefix = known || err.name === "Error" ? "" : `${err.name}: `;
  return `steady: error: ${prefix}${err.message.replace(/\s*\n\s*/g, " ").trim()}`;
}

/** Prints the error line (and the stack with STEADY_DEBUG=1) and exits non-zero. */
export function exitWithError(e: unknown): never {
  console.error(errorLine(e));
  if (process.env.STEADY_DEBUG && e instanceof Error && e.stack) console.error(e.stack);
  process.exit(e instanceof CliError ? e.exitCode : 1);
}
