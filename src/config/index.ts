/**
 * deepperform's config file: `defineConfig` for deepperform.config.{ts,mts,js,mjs}
 * (`import { defineConfig } from 'deepperform/config'`), its type, schema and
 * errors, and the defaults of every setting. Loading and resolving it is
 * src/settings/. Kept light (no tfjs, no suite machinery): a config file
 * imports this module, and so does `deepperform --help`.
 */
export { defineConfig } from './define.js';
export { configSchema, CONFIG_KEYS } from './schema.js';
export { ConfigError, type ConfigProblem } from './errors.js';
export { CACHE_DIR_ENV, CONFIG_FILES, DEFAULT_CACHE_DIR, DEFAULT_INCLUDE, DEFAULT_OUTPUT_DIR, DEFAULT_REPORTERS } from './defaults.js';
export { FILE_REPORTERS, type DeepperformConfig, type FileReporterName, type LoadedConfig, type OutputFiles } from './types.js';
