/** The suite format: loading, validation, the assertion grammar and its evaluation. */
export { loadSuite, parseSuite } from './load.js';
export { discoverSuites, SUITE_GLOB } from './discover.js';
export { SuiteError, UsageError, formatProblems, type SuiteProblem } from './errors.js';
export type { Suite, NormName, BaselineName, BaselineSpec, ResolvedData, ResolvedGenerator, ResolvedTrain, GeneratorPreset, ModelSource } from './types.js';
export { PRESET_WIDTH } from './types.js';
export type * from './suite.types.js';
export { suiteSchema } from './schema.js';
export {
  parseAssertion,
  parseStructuredAssertion,
  assertionLabel,
  AssertionSyntaxError,
  KNOWN_METHODS,
  OPS,
  type Assertion,
  type ComparisonOp,
  type ParseOptions,
} from './assertions.js';
export { evaluateAssertion, formatInUnit, type MetricSource } from './evaluate.js';
export {
  METRICS,
  AGGREGATES,
  DEFAULT_METHOD,
  metricByName,
  type Aggregate,
  type MetricDef,
  type MetricKind,
  type Unit,
} from './metrics.js';
