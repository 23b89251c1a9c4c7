/** Exit codes (DESIGN.md §6): 0 pass, 1 an assertion failed, 2 configuration or usage error, 3 crash. */
export const EXIT = { pass: 0, fail: 1, config: 2, crash: 3 } as const;

/** A mistake in what the user asked for: reported without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The errors, by class name, whose messages are meant for the user (exit 2).
 * Matched by name rather than instanceof so that this module loads nothing:
 * `deepperform --help` should not pay for tfjs.
 */
const CONFIG_ERROR_NAMES = new Set([
  'UsageError',
  'SuiteError',
  'ConfigError',
  'ReportBlobError',
  'ReporterError',
  'DataError',
  'UnknownArchError',
  'WeightsFileError',
  'WeightsMismatchError',
  'BackendError',
  'GeneratorShapeError',
  'ModelDataMismatchError',
  'UserModelError',
  'WeightsImportError',
  'GeneratorMismatchError',
  'SdnConfigError',
  'RaNetConfigError',
  'ResNetConfigError',
  'BaselineError',
  'UnsupportedModelError',
  'HardenError',
  'DetectorFeatureError',
  'DetectorFileError',
  'DetectorMismatchError',
  'DetectorOptionsError',
]);

/** Configuration errors carry messages meant for the user; anything else is a crash. */
export function isConfigError(e: unknown): e is Error {
  return e instanceof Error && CONFIG_ERROR_NAMES.has(e.name);
}
