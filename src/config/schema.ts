/**
 * The config file's JSON Schema, checked by the suites' schema machinery
 * (src/suite/validate.ts) so a config problem reads like a suite problem:
 * the key path, what is wrong, a suggestion for a mistyped key.
 */
import type { DeepperformConfig, FileReporterName } from './types.js';

const text = { type: 'string', minLength: 1 };
const fileReporters: Record<FileReporterName, object> = { junit: text, html: text, json: text };

/** One entry per key of DeepperformConfig (the type checker holds them together). */
const properties: Record<keyof DeepperformConfig, object> = {
  include: { type: 'array', items: text },
  reporters: { type: 'array', items: text },
  outputDir: text,
  outputFiles: { type: 'object', additionalProperties: false, properties: fileReporters },
  cacheDir: text,
  backend: text,
  seed: { type: 'integer', minimum: 0 },
  bail: { type: 'integer', minimum: 1 },
  retrain: { type: 'boolean' },
};

export const configSchema: Readonly<Record<string, unknown>> = { type: 'object', additionalProperties: false, properties };

export const CONFIG_KEYS = Object.keys(properties) as (keyof DeepperformConfig)[];
