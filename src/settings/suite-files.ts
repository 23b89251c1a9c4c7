/**
 * The suite files a command (or runSuites()) works on: the paths given, else the config
 * file's `include`, else the `suites` folder. Each entry is a file, a folder
 * (searched for *.perf.{yaml,yml}) or a glob.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fg from 'fast-glob';
import { ConfigError, DEFAULT_INCLUDE } from '../config/index.js';
import { discoverSuites } from '../suite/index.js';
import type { Settings } from './resolve.js';

const IGNORE = ['**/node_modules/**', '**/dist/**'];

export interface SuiteFiles {
  files: string[];
  /** Where they were looked for, in the user's terms, for "no suites found in ..." */
  searched: string;
}

export async function suiteFiles(paths: readonly string[], settings: Settings, cwd: string): Promise<SuiteFiles> {
  if (paths.length > 0) return { files: await expand(paths, cwd), searched: paths.join(', ') };
  const loaded = settings.config;
  if (loaded?.config.include === undefined) {
    // Nothing named anywhere: a missing default folder is "no suites", not a bad path.
    if (!existsSync(resolve(cwd, DEFAULT_INCLUDE[0]))) {
      return { files: [], searched: `${DEFAULT_INCLUDE[0]}/ (no paths given, no include in a config file; deepperform init writes a starter)` };
    }
    return { files: await expand(DEFAULT_INCLUDE, cwd), searched: DEFAULT_INCLUDE.join(', ') };
  }
  const include = loaded.config.include;
  const found = await Promise.all(
    include.map((entry, i) =>
      expand([entry], loaded.dir).catch((e: unknown) => {
        // A missing folder in the config is the config's mistake: name the file and key.
        throw new ConfigError(loaded.file, [{ key: `include[${i}]`, message: (e as Error).message }]);
      }),
    ),
  );
  return { files: [...new Set(found.flat())].sort(), searched: `${include.join(', ')} (include in ${loaded.file})` };
}

async function expand(entries: readonly string[], base: string): Promise<string[]> {
  const found = new Set<string>();
  for (const entry of entries) {
    const files = fg.isDynamicPattern(entry)
      ? await fg(entry, { cwd: base, absolute: true, onlyFiles: true, ignore: IGNORE })
      : await discoverSuites([entry], base);
    for (const f of files) found.add(resolve(f));
  }
  return [...found].sort();
}
