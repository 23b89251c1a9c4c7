/**
 * The base of every error whose message is meant for the user (a bad suite,
 * config file, option, model or data set), and the exit codes. Imports
 * nothing, so every layer can extend it and `deepperform --help` pays nothing
 * for it. The CLI decides exit 2 by `instanceof UserError`, not by name: a
 * renamed class stays a user error.
 */

/** Exit codes (docs/cli.md): 0 pass, 1 an assertion failed, 2 configuration or usage error, 3 crash or unfinished run. */
export const EXIT = { pass: 0, fail: 1, config: 2, crash: 3 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A mistake in what the user gave: reported as its message alone, without a
 * stack trace; the runner stops instead of recording a crashed suite.
 */
export class UserError extends Error {
  override name = 'UserError';
  /** The process's exit code when this error ends a command. */
  readonly exitCode: ExitCode = EXIT.config;

  /**
   * The message as a command shows it, with file paths relative to the
   * command's working directory `cwd` (not the process's: commands run
   * in-process with their own). Errors that name no file return `message`.
   */
  messageFrom(_cwd: string): string {
    return this.message;
  }
}

/** Bad command-line or API input, e.g. a suite path that does not exist. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
