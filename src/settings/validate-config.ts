/**
 * Checks a config object against its schema (src/config/schema.ts) with the machinery
 * that checks suites, so the messages have the same words: the key path,
 * what is wrong and what was found, "did you mean" for a mistyped key.
 */
import { formatPath, schemaChecker } from '../suite/index.js';
import { ConfigError, configSchema, type ConfigProblem, type DeepperformConfig } from '../config/index.js';

const check = schemaChecker(configSchema);

/** Returns the config when it is valid; otherwise throws one ConfigError listing every problem. */
export function validateConfig(value: unknown, file: string): DeepperformConfig {
  if (!isPlainObject(value)) {
    throw new ConfigError(file, [{ key: '', message: `must export a config object (export default defineConfig({ ... })), got ${describe(value)}` }]);
  }
  const problems = configProblems(value);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return value as DeepperformConfig;
}

/** Every problem of a config object's keys (also the API's options of the same names), by key path. */
export function configProblems(value: Record<string, unknown>): ConfigProblem[] {
  return check(withoutUndefined(value)).map((p) => ({ key: formatPath(p.path), message: p.message }));
}

/** A key set to undefined is a key not given (`seed: process.env.SEED && Number(...)`), as in a TypeScript optional. */
function withoutUndefined(config: Record<string, unknown>): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  if (isPlainObject(out.outputFiles)) out.outputFiles = withoutUndefined(out.outputFiles);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return 'a list';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
