import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/cli.js';
import { checkOutputTargets } from './output-targets.js';
import { resolveSettings } from '../settings/index.js';

/** A project folder holding a regular file `taken` and, when given, a config file. */
function project(config?: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'taken'), '');
  if (config !== undefined) writeFileSync(join(dir, 'deepperform.config.mjs'), config);
  return dir;
}

describe('checkOutputTargets: every place a run writes, checked before it starts', () => {
  it('fine paths pass, new folders included', async () => {
    const dir = project();
    const flags = { outputDir: 'new/reports', cacheDir: 'new/cache' };
    await expect(checkOutputTargets(await resolveSettings(flags, dir, {}), flags, { cache: true })).resolves.toBeUndefined();
  });

  it('names the flag and the path: -o a file (once, not per report), --cache-dir a file, --output-file a device', async () => {
    const dir = project();
    const flags = { outputDir: 'taken', cacheDir: 'taken', outputFile: { json: '/dev/null' }, reporter: ['console', 'junit', 'html', 'json'] };
    const check = checkOutputTargets(await resolveSettings(flags, dir, {}), flags, { cache: true, env: {} });
    await expect(check).rejects.toMatchObject({ name: 'UsageError' });
    const lines = (await check.catch((e: Error) => e.message)).split('\n');
    expect(lines).toEqual([
      `--output-dir taken: ${join(dir, 'taken')} is a file, not a folder`,
      '--output-file json=/dev/null: /dev/null is a character device, not a regular file; reports replace only regular files or create new ones',
      `--cache-dir taken: ${join(dir, 'taken')} is a file, not a folder`,
    ]);
  });

  it('paths from the config file are a ConfigError naming the file and key; the environment variable is named too', async () => {
    const dir = project("export default { outputFiles: { junit: 'taken/junit.xml' } };");
    const settings = await resolveSettings({}, dir, {});
    await expect(checkOutputTargets(settings, {})).rejects.toMatchObject({
      name: 'ConfigError',
      problems: [{ key: 'outputFiles.junit', message: `${join(dir, 'taken/junit.xml')} cannot be created: ${join(dir, 'taken')} is a file, not a folder` }],
    });
    const env = { DEEPPERFORM_CACHE_DIR: join(dir, 'taken') };
    const plain = await resolveSettings({}, tempDir(), env);
    await expect(checkOutputTargets(plain, {}, { cache: true, env })).rejects.toThrow(`DEEPPERFORM_CACHE_DIR=${join(dir, 'taken')}: ${join(dir, 'taken')} is a file, not a folder`);
  });

  it('only the selected reporters count; two reports in one file, or over an input, are refused', async () => {
    const dir = project();
    const onlyConsole = { reporter: ['console'], outputDir: 'taken' };
    await expect(checkOutputTargets(await resolveSettings(onlyConsole, dir, {}), onlyConsole)).resolves.toBeUndefined();
    const same = { reporter: ['junit', 'json'], outputFile: { junit: 'r.out', json: 'r.out' } };
    await expect(checkOutputTargets(await resolveSettings(same, dir, {}), same)).rejects.toThrow(/--output-file json=r\.out: .*r\.out is also where the junit report goes/);
    const over = { reporter: ['json'], outputFile: { json: 'a.perf.yaml' } };
    await expect(checkOutputTargets(await resolveSettings(over, dir, {}), over, { inputs: [join(dir, 'a.perf.yaml')] })).rejects.toThrow(
      /a\.perf\.yaml is one of the files this command reads; the json report would overwrite it/,
    );
  });
});
