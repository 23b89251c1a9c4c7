import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineConfig } from '../config/index.js';
import { findConfigFile, loadConfig } from './index.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deepperform-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('loadConfig', () => {
  it('no config file: undefined', async () => {
    expect(await loadConfig({ cwd: project({}) })).toBeUndefined();
  });

  it('a TypeScript config importing deepperform/config; paths resolved against its folder', async () => {
    const dir = project({
      'deepperform.config.ts': [
        "import { defineConfig } from 'deepperform/config';",
        'const seed: number = 7;',
        "export default defineConfig({ seed, outputDir: 'out', cacheDir: '../cache', outputFiles: { junit: 'ci/j.xml' }, include: ['perf'] });",
      ].join('\n'),
    });
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded?.file).toBe(join(dir, 'deepperform.config.ts'));
    expect(loaded?.config).toEqual({
      seed: 7,
      outputDir: join(dir, 'out'),
      cacheDir: join(dir, '../cache'),
      outputFiles: { junit: join(dir, 'ci/j.xml') },
      include: ['perf'],
    });
  });

  it('.ts is found before .mjs; --config picks another file relative to cwd', async () => {
    const dir = project({
      'deepperform.config.mjs': 'export default { seed: 2 };',
      'deepperform.config.ts': 'export default { seed: 1 };',
    });
    mkdirSync(join(dir, 'ci'));
    writeFileSync(join(dir, 'ci/perf.config.js'), 'export default { seed: 3 };');
    expect(findConfigFile(dir)).toBe(join(dir, 'deepperform.config.ts'));
    expect((await loadConfig({ cwd: dir }))?.config.seed).toBe(1);
    expect((await loadConfig({ cwd: dir, file: 'ci/perf.config.js' }))?.config.seed).toBe(3);
  });

  it('errors name the file: missing --config, wrong extension, no default export, syntax error, bad value', async () => {
    const dir = project({
      'none.mjs': 'export const x = 1;',
      'broken.mjs': 'export default {',
      'bad.mjs': "export default { bail: 'all' };",
      'c.json': '{}',
    });
    await expect(loadConfig({ cwd: dir, file: 'nope.ts' })).rejects.toThrow(`${join(dir, 'nope.ts')}: config file not found`);
    await expect(loadConfig({ cwd: dir, file: 'c.json' })).rejects.toThrow(/c\.json: a config file must be \.ts, \.mts, \.js or \.mjs/);
    await expect(loadConfig({ cwd: dir, file: 'none.mjs' })).rejects.toThrow(/none\.mjs: has no default export/);
    await expect(loadConfig({ cwd: dir, file: 'broken.mjs' })).rejects.toThrow(/broken\.mjs: could not be loaded: /);
    await expect(loadConfig({ cwd: dir, file: 'bad.mjs' })).rejects.toThrow(/bad\.mjs: bail: must be a whole number, got "all"/);
  });

  it('defineConfig returns its argument', () => {
    const c = { seed: 1 };
    expect(defineConfig(c)).toBe(c);
  });
});
