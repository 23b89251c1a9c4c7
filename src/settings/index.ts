/**
 * The settings of a run, resolved in one place for the CLI, the programmatic
 * API and deepperform/vitest: defaults < config file < flags or options; the
 * config file's loading and checking; and the suite files a run selects.
 */
export { resolveSettings, type CommonFlags, type RunFlags, type Settings } from './resolve.js';
export { loadConfig, findConfigFile, type LoadConfigOptions } from './load-config.js';
export { configProblems, validateConfig } from './validate-config.js';
export { suiteFiles, type SuiteFiles } from './suite-files.js';
