/**
 * Finds and imports the config file: `--config <file>`, else the first of
 * deepperform.config.{ts,mts,js,mjs} in the working directory. jiti loads all
 * four (TypeScript compiled on the fly, ESM or CommonJS), with
 * `deepperform/config` bound to this deepperform's src/config, so a config file works
 * whether deepperform is a local dependency, global, or run through npx.
 */
import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILES, ConfigError, type DeepperformConfig, type LoadedConfig } from '../config/index.js';
import { validateConfig } from './validate-config.js';

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

export interface LoadConfigOptions {
  cwd: string;
  /** An explicit config file (--config), relative to cwd; it must exist. */
  file?: string;
}

/** The config in force, or undefined when there is none (no --config and no file in cwd). */
export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig | undefined> {
  const file = opts.file === undefined ? findConfigFile(opts.cwd) : explicitFile(opts.cwd, opts.file);
  if (file === undefined) return undefined;
  const config = validateConfig(await importDefault(file), file);
  const dir = dirname(file);
  return { file, dir, config: resolvePaths(config, dir) };
}

export function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILES.map((name) => join(cwd, name)).find((f) => existsSync(f));
}

function explicitFile(cwd: string, file: string): string {
  const abs = resolve(cwd, file);
  if (!existsSync(abs)) throw new ConfigError(abs, [{ key: '', message: 'config file not found' }]);
  if (!EXTENSIONS.includes(extname(abs))) {
    throw new ConfigError(abs, [{ key: '', message: `a config file must be .ts, .mts, .js or .mjs, not "${extname(abs) || 'no extension'}"` }]);
  }
  return abs;
}

/** src/config/index, with the running file's extension: .js when built, .ts under vitest. */
function configEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), '..', 'config', `index${extname(here)}`);
}

async function importDefault(file: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    const { createJiti } = await import('jiti');
    const jiti = createJiti(import.meta.url, { moduleCache: false, alias: { 'deepperform/config': configEntry() } });
    mod = (await jiti.import(file)) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(file, [{ key: '', message: `could not be loaded: ${(e as Error).message}` }]);
  }
  if (!('default' in mod) || mod.default === undefined) {
    throw new ConfigError(file, [{ key: '', message: 'has no default export (write: export default defineConfig({ ... }))' }]);
  }
  return mod.default;
}

/** outputDir, outputFiles and cacheDir become absolute, relative to the config file's folder. */
function resolvePaths(config: DeepperformConfig, dir: string): DeepperformConfig {
  const out: DeepperformConfig = { ...config };
  if (config.outputDir !== undefined) out.outputDir = resolve(dir, config.outputDir);
  if (config.cacheDir !== undefined) out.cacheDir = resolve(dir, config.cacheDir);
  if (config.outputFiles !== undefined) {
    out.outputFiles = Object.fromEntries(Object.entries(config.outputFiles).map(([k, v]) => [k, resolve(dir, v as string)]));
  }
  return out;
}
