/**
 * The assert stage: the assertion grammar (parse.ts, its EBNF at the top) and
 * the evaluation of a parsed assertion against measured values. The metrics
 * it names, with their units and how each is read from a result, are the
 * registry in results/metrics.ts. suite/ parses a suite's assertions with it
 * at load time; the runner evaluates them once the suite is measured.
 */
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
} from './parse.js';
export { evaluateAssertion, formatInUnit, type MetricSource, type MetricValue } from './evaluate.js';
export { formatValue, naturalUnit } from './format.js';
