/** The runner: runs suites through the pipeline and produces the result model (results/) reporters read. */
export { runSuites, runSelected, selectSuites, shardSlice, type RunOptions, type SelectOptions, type Shard, type BailInfo } from './run.js';
export { runSuite, loadSuiteModel, checkModelData, ModelDataMismatchError } from './run-suite.js';
export { preflightSuites } from './preflight.js';
export { generatorData, generatorFor, retrainGenerators, trainSuiteGenerator, GeneratorMismatchError, type GeneratorData } from './generator-source.js';
