/** Exit codes (docs/design.md §6): 0 pass, 1 an assertion failed, 2 configuration or usage error, 3 crash. */
export const EXIT = { pass: 0, fail: 1, config: 2, crash: 3 } as const;

/** A mistake in what the user asked for: reported without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
