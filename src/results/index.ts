/**
 * The result model, the bottom layer: what a run produced (results of runs,
 * suites, methods and assertions, with the training record and the §6
 * remedies' numbers they hold), the metric registry that names its numbers
 * and reads them (metrics.ts), the Reporter interface and the events
 * reporters receive. Plain data and the contract between the runner and the
 * reporters; it imports nothing of the product, so every stage may read it.
 */
export type * from './result.js';
export type * from './mitigation.js';
export { STOP_REASONS, type CurvePosition, type LossValues, type StopReason, type TrainingRecord, type ValidationPoint } from './training-record.js';
export {
  ReportWriteError,
  type PhaseInfo,
  type PhaseProgressInfo,
  type Reporter,
  type ReportWriteFailure,
  type RunStartInfo,
  type SuiteStartInfo,
  type SuiteWarningInfo,
  type TrainingLosses,
  type TrainingProgressInfo,
} from './reporter.js';
export { combineReporters } from './combine.js';
export { BASELINE_METHODS, DEFAULT_METHOD, REFINE_METHOD, WORST_CASE } from './methods.js';
export { metricValue, pickAggregate, readMetric, type MetricValue } from './metric-value.js';
export {
  METRICS,
  REPORTED_METRICS,
  AGGREGATES,
  UNIT_SCALE,
  metricByName,
  type Aggregate,
  type MeasuredSuite,
  type MetricColumn,
  type MethodMetric,
  type MetricDef,
  type MetricKind,
  type MetricNeed,
  type PropertyNames,
  type Reading,
  type SeedsMetric,
  type SuiteMetric,
  type Unit,
  type Unmeasured,
} from './metrics.js';
