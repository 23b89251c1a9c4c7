/**
 * deepperform's config file: `defineConfig` for deepperform.config.{ts,mts,js,mjs}
 * (`import { defineConfig } from 'deepperform/config'`), and its loading.
 * Kept free of tfjs so a config file imports it cheaply.
 */
export { defineConfig } from './define.js';
export { loadConfig, findConfigFile, CONFIG_FILES, type LoadConfigOptions } from './load.js';
export { validateConfig, CONFIG_KEYS } from './validate.js';
export { ConfigError, type ConfigProblem } from './errors.js';
export { FILE_REPORTERS, type DeepperformConfig, type FileReporterName, type LoadedConfig } from './types.js';
