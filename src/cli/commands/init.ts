import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { CONFIG_FILES } from '../../config/index.js';
import { packageRoot } from '../../util/package-root.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { processIO, type CommandIO } from '../io.js';
import { STARTER_CONFIG, starterSuite } from './init-templates.js';

export const STARTER_SUITE_PATH = 'perf/example.perf.yaml';
export const STARTER_CONFIG_PATH = 'deepperform.config.mjs';

export interface InitFlags {
  force?: boolean;
}

/**
 * `deepperform init [dir]`: a starter suite and config. Writes nothing when
 * a file would be replaced, unless --force.
 */
export async function initCommand(dir: string, flags: InitFlags, io: CommandIO = processIO()): Promise<number> {
  const { cwd } = io;
  const root = resolve(cwd, dir);
  const suite = join(root, STARTER_SUITE_PATH);
  const config = join(root, STARTER_CONFIG_PATH);
  const otherConfigs = CONFIG_FILES.filter((f) => f !== STARTER_CONFIG_PATH && existsSync(join(root, f)));
  const existing = [suite, config].filter((f) => existsSync(f)).map((f) => relative(cwd, f) || f);
  if (!flags.force && existing.length + otherConfigs.length > 0) {
    const all = [...existing, ...otherConfigs];
    throw new UsageError(`init: ${all.join(', ')} already exist${all.length === 1 ? 's' : ''}; nothing written (--force overwrites ${STARTER_SUITE_PATH} and ${STARTER_CONFIG_PATH})`);
  }
  await mkdir(dirname(suite), { recursive: true });
  await writeFile(suite, starterSuite(weightsPath(root, dirname(suite))));
  await writeFile(config, STARTER_CONFIG);
  const shown = (f: string) => relative(cwd, f) || f;
  io.stdout.write(`created ${shown(suite)}\ncreated ${shown(config)}\n`);
  for (const other of otherConfigs) io.stdout.write(`note: ${other} exists and is read instead of ${STARTER_CONFIG_PATH}\n`);
  io.stdout.write(`\nnext: deepperform run${root === cwd ? '' : `  (in ${shown(root)})`}\n`);
  return EXIT.pass;
}

/** The shipped tiny model: relative when deepperform sits inside the project (node_modules), else absolute. */
function weightsPath(root: string, suiteDir: string): string {
  const weights = join(packageRoot(), 'fixtures/models/sdn-tiny');
  const rel = relative(suiteDir, weights);
  const inside = !relative(root, packageRoot()).startsWith('..');
  return inside && !isAbsolute(rel) ? rel.split('\\').join('/') : weights;
}
