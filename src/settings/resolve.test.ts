import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from './resolve.js';

function project(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'deepperform-settings-'));
  mkdirSync(join(dir, 'sub'));
  if (config !== undefined) writeFileSync(join(dir, 'deepperform.config.mjs'), config);
  return dir;
}

describe('resolveSettings: defaults < config file < flags', () => {
  it('defaults, with DEEPPERFORM_CACHE_DIR read when nothing else names the cache', async () => {
    const dir = project();
    expect(await resolveSettings({}, dir, { DEEPPERFORM_CACHE_DIR: '/cache' })).toEqual({
      config: undefined,
      reporters: ['console', 'junit', 'html'],
      outputDir: join(dir, 'reports'),
      outputFiles: {},
      cacheDir: '/cache',
      backend: undefined,
      seed: undefined,
      bail: undefined,
      retrain: false,
    });
  });

  it('config values apply, relative to the config file; flags win, relative to cwd', async () => {
    const dir = project(
      "export default { reporters: ['json'], outputDir: 'cfg', outputFiles: { junit: 'j.xml', html: 'h.html' }, cacheDir: 'c', backend: 'cpu', seed: 3, bail: 2, retrain: true };",
    );
    const fromConfig = await resolveSettings({ config: '../deepperform.config.mjs' }, join(dir, 'sub'), {});
    expect(fromConfig).toMatchObject({
      reporters: ['json'],
      outputDir: join(dir, 'cfg'),
      outputFiles: { junit: join(dir, 'j.xml'), html: join(dir, 'h.html') },
      cacheDir: join(dir, 'c'),
      backend: 'cpu',
      seed: 3,
      bail: 2,
      retrain: true,
    });
    const flags = { reporter: ['dot'], outputDir: 'o', outputFile: { junit: 'ci.xml' }, cacheDir: 'k', backend: 'wasm', seed: 0, bail: 1, retrain: false };
    expect(await resolveSettings(flags, dir, {})).toMatchObject({
      reporters: ['dot'],
      outputDir: join(dir, 'o'),
      outputFiles: { junit: join(dir, 'ci.xml'), html: join(dir, 'h.html') },
      cacheDir: join(dir, 'k'),
      backend: 'wasm',
      seed: 0,
      bail: 1,
      retrain: false,
    });
  });

  it('an unknown reporter or backend in the config names the file and key', async () => {
    const dir = project("export default { reporters: ['console', 'tap'], backend: 'webgpu' };");
    await expect(resolveSettings({}, dir, {})).rejects.toThrow(/deepperform\.config\.mjs: reporters\[1\]: unknown reporter "tap" \(known: console, dot, junit, html, json\)/);
    await expect(resolveSettings({ reporter: ['console'] }, dir, {})).rejects.toThrow(/Unknown backend 'webgpu' \(from backend in .*deepperform\.config\.mjs\)/);
  });
});
