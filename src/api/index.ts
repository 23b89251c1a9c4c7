/**
 * The programmatic API (`import { runSuite } from 'deepperform'`): run suites
 * from code, silently, and read their results.
 */
export { runSuite, runSuites } from './run.js';
export type { RunSuiteOptions, RunSuitesOptions } from './options.js';
export { PerfResult, PerfRun } from './perf-result.js';
export { UnknownMetricError, MetricArgumentError, MetricUnavailableError } from './errors.js';
export { SuiteError } from '../suite/index.js';
export { METRICS, AGGREGATES, type Aggregate } from '../results/index.js';
export { UserError, UsageError } from '../util/errors.js';
export { ConfigError, type ConfigProblem, type DeepperformConfig } from '../config/index.js';
export type {
  AssertionResult,
  SuiteResult,
  RunResult,
  MethodResult,
  SuiteStatus,
  SuiteWarning,
  TrainingSummary,
  StopReason,
  TrainingRecord,
  ValidationPoint,
  Reporter,
} from '../results/index.js';
// The contract of a user-defined AdNN module (model.module in a suite), to type it with.
export type { AdnnModule, UserAdnn, UserAdnnFactory, UserAdnnMeta, UserExecution, UserModuleContext } from '../adnn/index.js';
