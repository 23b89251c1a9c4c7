import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { tempDir, writeTinySuite } from '../../test/helpers/cli.js';
import { runSuite, runSuites, SuiteError, UsageError } from './index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runSuite / runSuites', () => {
  test('a malformed suite rejects with a SuiteError before anything runs', async () => {
    const dir = tempDir();
    const file = writeTinySuite(dir, 'bad.perf.yaml', 'assertions: ["mean I-FLOPZ < 5%"]');
    const error = await runSuite(file, { cwd: dir, cacheDir: join(dir, 'cache') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SuiteError);
    expect((error as SuiteError).file).toBe(file);
    // Named relative to options.cwd (the suite's own folder), not to the process's directory.
    expect((error as SuiteError).message).toMatch(/^bad\.perf\.yaml:\d+:\d+/);
  });

  test('runSuite takes one suite file, not a folder of several', async () => {
    const dir = tempDir();
    writeTinySuite(dir, 'a.perf.yaml');
    writeTinySuite(dir, 'b.perf.yaml');
    await expect(runSuite('.', { cwd: dir })).rejects.toThrowError(
      new UsageError('runSuite(".") needs one suite file, found 2; use runSuites() for folders'),
    );
    await expect(runSuites('missing', { cwd: dir })).rejects.toThrowError('no such file or folder: missing');
  });

  test('runs silently, honours seed, cacheDir and reporters; the second run loads the cached generator', async () => {
    const dir = tempDir();
    writeTinySuite(dir, 'tiny.perf.yaml', 'assertions: ["block coverage >= 0"]');
    writeFileSync(join(dir, 'notes.txt'), 'not a suite');
    const printed: unknown[] = [];
    const record = (...args: unknown[]) => void printed.push(args);
    for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      record(chunk);
      return true;
    });
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, level).mockImplementation(record);

    const options = { cwd: dir, cacheDir: 'cache', seed: 7 };
    const first = await runSuites('.', options);
    const phases: string[] = [];
    const second = await runSuite('tiny.perf.yaml', { ...options, reporters: [{ onPhase: (p) => void phases.push(p.phase) }] });
    vi.restoreAllMocks();

    expect(printed).toEqual([]);
    expect(first.suites.map((s) => s.file)).toEqual(['tiny.perf.yaml']);
    expect(first.passed).toBe(true);
    expect(first.suites[0]!.raw.config.seed).toBe(7);
    expect(first.suites[0]!.raw.training?.source).toBe('trained');
    expect(second.raw.training?.source).toBe('cache');
    expect(phases).toContain('loading generator');
    // FLOPs are deterministic: same seed, same generator, same numbers.
    expect(second.metric('FLOPs', 'mean')).toBe(first.suites[0]!.metric('FLOPs', 'mean'));
  });
});
