/**
 * The API and the CLI share one settings resolution: the same config file
 * gives the same settings, `include` picks the suites, and a bad config
 * value is the same ConfigError from both. Nothing here trains.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../test/cli/buffer-io.js';
import { tempDir, writeTinySuite } from '../../test/helpers/cli.js';
import { runCommand } from '../cli/commands/run.js';
import { resolveSettings } from '../settings/index.js';
import { ConfigError, runSuite, runSuites, SuiteError, UsageError, UserError } from './index.js';
import { settingsFor } from './run.js';

const ENV = { DEEPPERFORM_CACHE_DIR: '/env-cache' };

function project(config: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'deepperform.config.mjs'), config);
  return dir;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

describe('the API resolves settings as the CLI does', () => {
  it('the same config file gives the same settings; options win as flags do', async () => {
    const dir = project("export default { include: ['perf'], cacheDir: 'c', backend: 'cpu', seed: 3, retrain: true, bail: 2 };");
    const api = await settingsFor({}, dir, ENV);
    expect(api).toEqual(await resolveSettings({}, dir, ENV));
    expect(api).toMatchObject({ cacheDir: join(dir, 'c'), backend: 'cpu', seed: 3, retrain: true });
    const options = { cacheDir: 'k', backend: 'wasm', seed: 0, retrain: false };
    expect(await settingsFor(options, dir, ENV)).toEqual(await resolveSettings(options, dir, ENV));
    expect(await settingsFor(options, dir, ENV)).toMatchObject({ cacheDir: join(dir, 'k'), backend: 'wasm', seed: 0, retrain: false });
  });

  it('without a config file (or with config: false) the defaults are the CLI\'s, $DEEPPERFORM_CACHE_DIR included', async () => {
    const dir = project("export default { seed: 3 };");
    const none = await settingsFor({ config: false }, dir, ENV);
    expect(none).toEqual(await resolveSettings({ config: false }, dir, ENV));
    expect(none).toMatchObject({ config: undefined, cacheDir: '/env-cache', seed: undefined, retrain: false });
    expect((await settingsFor({ config: false }, dir, {})).cacheDir).toBe(join(dir, '.deepperform-cache/generators'));
  });

  it("runSuites() with no paths runs the config's include, as `deepperform run` does", async () => {
    const dir = project("export default { include: ['perf'] };");
    mkdirSync(join(dir, 'perf'));
    const bad = writeTinySuite(dir, 'perf/bad.perf.yaml', 'norm: l3\n');
    writeTinySuite(dir, 'elsewhere.perf.yaml', 'norm: l3\n');
    const error = await rejection(runSuites(undefined, { cwd: dir }));
    expect(error).toBeInstanceOf(SuiteError);
    expect((error as SuiteError).file).toBe(bad);
    // No include and no suites folder: nothing to run, said in the CLI's words.
    const empty = await rejection(runSuites([], { cwd: tempDir() }));
    expect(empty).toBeInstanceOf(UsageError);
    expect(empty.message).toBe('no *.perf.yaml suites found under suites/ (no paths given, no include in a config file; deepperform init writes a starter)');
  });

  it('a bad config value is the same ConfigError from runSuite, runSuites and deepperform run', async () => {
    const dir = project("export default { seed: -1 };");
    const suite = writeTinySuite(dir, 'a.perf.yaml');
    const fromApi = await rejection(runSuites('.', { cwd: dir }));
    const fromOne = await rejection(runSuite(suite, { cwd: dir }));
    const fromCli = await rejection(runCommand(['.'], {}, bufferIO(dir)));
    expect(fromApi).toBeInstanceOf(ConfigError);
    expect(fromApi).toBeInstanceOf(UserError);
    expect((fromApi as ConfigError).problems).toEqual([{ key: 'seed', message: 'must be >= 0, got -1' }]);
    expect(fromOne.message).toBe(fromApi.message);
    expect(fromCli).toBeInstanceOf(ConfigError);
    // The API names the file relative to options.cwd, as the command shows it for its own cwd.
    expect(fromApi.message).toBe('deepperform.config.mjs: seed: must be >= 0, got -1');
    expect((fromCli as ConfigError).messageFrom(dir)).toBe(fromApi.message);
  });

  it('options that stand for config keys are checked by the same schema', async () => {
    const dir = tempDir();
    const error = await rejection(runSuites('.', { cwd: dir, seed: -1, retrain: 'yes' as unknown as boolean, config: false }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('option seed: must be >= 0, got -1\noption retrain: must be true or false, got "yes"');
  });
});
