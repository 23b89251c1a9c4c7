/**
 * The errors, by class name, whose messages are meant for the user (a bad
 * suite, file, option or model: exit 2) rather than a crash; shared by the
 * CLI and the programmatic API.
 * Matched by name rather than instanceof so that this module loads nothing:
 * `deepperform --help` should not pay for tfjs.
 */
const CONFIG_ERROR_NAMES = new Set([
  'UsageError',
  'SuiteError',
  'ConfigError',
  'ReportBlobError',
  'ReporterError',
  'ReportWriteError',
  'DataError',
  'UnknownArchError',
  'WeightsFileError',
  'WeightsMismatchError',
  'BackendError',
  'GeneratorShapeError',
  'ModelDataMismatchError',
  'UserModelError',
  'OnnxModelError',
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
