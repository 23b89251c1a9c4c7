import { DataError } from '../data/index.js';
import { UnknownArchError } from '../adnn/index.js';
import { WeightsFileError, WeightsMismatchError } from '../nn/index.js';

/** Exit codes (DESIGN.md §6): 0 pass, 1 an assertion failed, 2 configuration or usage error, 3 crash. */
export const EXIT = { pass: 0, fail: 1, config: 2, crash: 3 } as const;

/** A mistake in what the user asked for: reported without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const CONFIG_ERRORS = [UsageError, DataError, UnknownArchError, WeightsFileError, WeightsMismatchError];

/** Configuration errors carry messages meant for the user; anything else is a crash. */
export function isConfigError(e: unknown): e is Error {
  if (!(e instanceof Error)) return false;
  return CONFIG_ERRORS.some((cls) => e instanceof cls) || ['SuiteError', 'BackendError', 'ReporterError', 'GeneratorShapeError', 'ModelDataMismatchError', 'UserModelError', 'WeightsImportError', 'GeneratorMismatchError', 'SdnConfigError', 'BaselineError', 'UnsupportedModelError'].includes(e.name);
}
