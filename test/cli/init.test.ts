import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initCommand } from '../../src/cli/commands/init.js';
import { loadConfig } from '../../src/settings/index.js';
import { loadSuite } from '../../src/suite/index.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { bufferIO } from './buffer-io.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { spawnAsync } from '../helpers/spawn.js';

describe('deepperform init', () => {
  it('writes a starter suite that loads against the schema and a config that loads', async () => {
    const dir = tempDir();
    const io = bufferIO(dir);
    expect(await initCommand('.', {}, io)).toBe(0);
    expect(io.out()).toBe('created perf/example.perf.yaml\ncreated deepperform.config.mjs\n\nnext: deepperform run\n');
    const suite = await loadSuite(join(dir, 'perf/example.perf.yaml'));
    expect(suite.name).toBe('example, sdn-tiny Linf');
    expect(suite.model).toEqual({ source: 'zoo', arch: 'sdn-tiny', weights: join(ROOT, 'fixtures/models/sdn-tiny') });
    expect([suite.norm, suite.epsilon, suite.threshold, suite.generator.preset]).toEqual(['linf', 0.1, 0.5, 'tiny']);
    expect(suite.assertions).toHaveLength(5);
    expect(suite.assertions.map((a) => a.method)).toEqual(['worst-case', 'worst-case', 'deepperform', 'worst-case', 'worst-case']);
    expect(suite.assertions.map((a) => a.level)).toEqual(['error', 'error', 'error', 'warn', 'warn']);
    expect(suite.baselines).toEqual([
      { name: 'random', options: {} },
      { name: 'ilfo', options: { seeds: 50 } },
      { name: 'deepsloth', options: { seeds: 50 } },
    ]);
    expect(existsSync(join(ROOT, 'fixtures/models/sdn-tiny/model.json'))).toBe(true);
    const text = readFileSync(join(dir, 'perf/example.perf.yaml'), 'utf8');
    expect(text.split('\n').filter((l) => l.trim().startsWith('#')).length).toBeGreaterThan(10);
    const config = await loadConfig({ cwd: dir });
    expect(config?.config).toEqual({
      include: ['perf'],
      reporters: ['console', 'junit', 'html'],
      outputDir: join(dir, 'reports'),
      cacheDir: join(dir, '.deepperform-cache/generators'),
    });
  });

  it('refuses to overwrite (nothing written) unless --force; another config file also blocks it', async () => {
    const dir = tempDir();
    await initCommand('proj', {}, bufferIO(dir));
    const suiteFile = join(dir, 'proj/perf/example.perf.yaml');
    writeFileSync(suiteFile, 'name: mine\n');
    await expect(initCommand('proj', {}, bufferIO(dir))).rejects.toThrow(
      'init: proj/perf/example.perf.yaml, proj/deepperform.config.mjs already exist; nothing written',
    );
    expect(readFileSync(suiteFile, 'utf8')).toBe('name: mine\n');
    expect(await initCommand('proj', { force: true }, bufferIO(dir))).toBe(0);
    expect(readFileSync(suiteFile, 'utf8')).toMatch(/^# A deepperform performance-test suite/);

    const other = tempDir();
    writeFileSync(join(other, 'deepperform.config.ts'), 'export default {};\n');
    await expect(initCommand('.', {}, bufferIO(other))).rejects.toThrow(/deepperform\.config\.ts already exists/);
    expect(existsSync(join(other, 'perf'))).toBe(false);
  });

  it('through the CLI: init then list finds the starter through the config; a second init exits 2', async () => {
    const dir = tempDir();
    const first = await runCliInProcess(['init'], dir);
    expect(first.code).toBe(0);
    const [list, again] = await Promise.all([runCliInProcess(['list'], dir), runCliInProcess(['init'], dir)]);
    expect(list.stderr).toBe('');
    expect(list.stdout).toMatch(/^perf\/example\.perf\.yaml\s+example, sdn-tiny Linf\s+sdn-tiny\s+linf\s+0\.1\s+5$/m);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist/);
  });

  it("package exports: 'deepperform/config' resolves for plain node, and the starter config imports it", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules/deepperform'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    const init = await spawnAsync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'init'], { cwd: dir, env: { ...process.env, CI: '1' } });
    expect(init.status, init.stderr).toBe(0);
    const script =
      "import { defineConfig } from 'deepperform/config';" +
      "const c = (await import('./deepperform.config.mjs')).default;" +
      'console.log(typeof defineConfig, JSON.stringify(defineConfig({ seed: 1 })), c.include.join());';
    const out = await spawnAsync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe('function {"seed":1} perf');
  });
});
