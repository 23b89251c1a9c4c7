/** The suite format: loading and validation; a suite's assertions are parsed by the assert stage. */
export { loadSuite, parseSuite } from './load.js';
export { discoverSuites, SUITE_GLOB } from './discover.js';
export { SuiteError, formatProblems, type SuiteProblem } from './errors.js';
export { UsageError } from '../util/errors.js';
export type { Suite, NormName, BaselineName, BaselineSpec, ResolvedDetector, ResolvedRetrain, ResolvedData, ResolvedGenerator, ResolvedTrain, ResolvedLrSchedule, GeneratorPreset, ModelSource, OnnxModelSource } from './types.js';
export { DEFAULT_MODULE_TIMEOUT_SECONDS, PRESET_EPOCHS, PRESET_WIDTH, modelLabel, modelPath } from './types.js';
export type * from './suite.types.js';
export { PERF_LOSS_NAMES, suiteSchema } from './schema.js';
export { codeFrame } from './code-frame.js';
export { schemaChecker, type RawProblem } from './validate.js';
export { formatPath } from './load.js';
export { positionAt, positionIn, type Position, type Segment } from './locate.js';
