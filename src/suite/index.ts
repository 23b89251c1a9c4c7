/** The suite format: loading, validation, the assertion grammar and its evaluation. */
export { loadSuite, parseSuite } from './load.js';
export { discoverSuites, SUITE_GLOB } from './discover.js';
export { SuiteError, formatProblems, type SuiteProblem } from './errors.js';
export { UsageError } from '../util/errors.js';
export type { Suite, NormName, BaselineName, BaselineSpec, ResolvedDetector, ResolvedRetrain, ResolvedData, ResolvedGenerator, ResolvedTrain, ResolvedLrSchedule, GeneratorPreset, ModelSource, OnnxModelSource } from './types.js';
export { DEFAULT_MODULE_TIMEOUT_SECONDS, PRESET_EPOCHS, PRESET_WIDTH, modelLabel, modelPath } from './types.js';
export type * from './suite.types.js';
export { PERF_LOSS_NAMES, suiteSchema } from './schema.js';
export {
  parseAssertion,
  parseStructuredAssertion,
  assertionLabel,
  readsSaved,
  AssertionSyntaxError,
  KNOWN_METHODS,
  OPS,
  SAVED,
  type Assertion,
  type AssertionPart,
  type Bound,
  type ComparisonAssertion,
  type ComparisonOp,
  type FixedAssertion,
  type ParseOptions,
  type Reference,
  type StructuredSpec,
} from './assertions.js';
export { evaluateAssertion, formatInUnit, type MetricSource, type MetricValue } from './evaluate.js';
export { codeFrame } from './code-frame.js';
export { schemaChecker, type RawProblem } from './validate.js';
export { formatPath } from './load.js';
export { suggestion } from './did-you-mean.js';
export { positionAt, positionIn, type Position, type Segment } from './locate.js';
export { formatValue, naturalUnit } from './format.js';
export {
  METRICS,
  AGGREGATES,
  DEFAULT_METHOD,
  REFINE_METHOD,
  WORST_CASE,
  UNIT_SCALE,
  metricByName,
  type Aggregate,
  type MetricDef,
  type MetricKind,
  type MetricNeed,
  type Unit,
} from './metrics.js';
