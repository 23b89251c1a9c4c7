import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { mergeReportsCommand } from '../../src/cli/commands/merge-reports.js';
import type { AssertionResult, RunResult, SuiteResult } from '../../src/results/index.js';
import { tempDir } from '../helpers/cli.js';
import { bufferIO } from './buffer-io.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';

const ENV = { toolVersion: '0.1.0', backend: 'wasm', node: 'v20.0.0', platform: 'linux', cpu: 'test cpu', cpuCount: 2 };

function assertion(source: string, status: AssertionResult['status'], value: number): AssertionResult {
  return { source, level: 'error', status, metric: 'seed accuracy', expected: '> 0.5', value, actual: String(value) };
}

/** A measured suite with only what reporters need; every number chosen by hand. */
function suite(file: string, durationMs: number, assertions: AssertionResult[], status: SuiteResult['status']): SuiteResult {
  return {
    file,
    name: file.replace(/^perf\/|\.perf\.yaml$/g, ''),
    status,
    durationMs,
    model: { name: 'sdn-tiny', arch: 'sdn-tiny', kind: 'early-exit', baseFlops: 1000, blocks: [{ name: 'b1', flops: 500 }] },
    config: { dataset: 'fashion-mnist-embedded', split: 'test', seeds: 4, norm: 'linf', epsilon: 0.1, threshold: 0.5, seed: 1 },
    methods: [],
    correlation: { r: Number.NaN, n: 1, reason: 'one seed' },
    assertions,
  };
}

function blob(shard: { index: number; total: number } | null, suites: SuiteResult[], durationMs: number, tool = '0.1.0', startedAt = '2025-01-01T10:00:00.000Z'): string {
  const result: RunResult = {
    startedAt,
    durationMs,
    environment: { ...ENV, toolVersion: tool },
    suites,
    status: suites.every((s) => s.status === 'passed') ? 'passed' : 'failed',
  };
  // NaN is written as null, as the json reporter does.
  return JSON.stringify({ format: 'deepperform-report', version: 1, tool, shard, result }, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? null : v,
  );
}

/** Shard 1 of 2 has c and a (a fails), shard 2 has b: merged order a, b, c. */
function twoShards(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'blobs'));
  const a = suite('perf/a.perf.yaml', 1500, [assertion('seed accuracy > 0.5', 'passed', 0.8), assertion('seed accuracy > 0.9', 'failed', 0.8)], 'failed');
  const c = suite('perf/c.perf.yaml', 250, [assertion('seed accuracy > 0.5', 'passed', 0.7)], 'passed');
  const b = suite('perf/b.perf.yaml', 2000, [assertion('seed accuracy > 0.5', 'passed', 0.6)], 'passed');
  writeFileSync(join(dir, 'blobs/shard-1.json'), blob({ index: 1, total: 2 }, [c, a], 1800, '0.1.0', '2025-01-01T10:00:05.000Z'));
  writeFileSync(join(dir, 'blobs/shard-2.json'), blob({ index: 2, total: 2 }, [b], 2100, '0.1.0', '2025-01-01T10:00:01.000Z'));
  return dir;
}

describe('deepperform merge-reports', () => {
  it('merges two shard blobs: suites by file, status recomputed, durations summed; junit and json written; exit 1', async () => {
    const dir = twoShards();
    const r = await runCliInProcess(['merge-reports', 'blobs', '--reporter', 'junit,json', '-o', 'merged'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);

    const merged = JSON.parse(readFileSync(join(dir, 'merged/report.json'), 'utf8'));
    expect(merged.format).toBe('deepperform-report');
    expect(merged.shard).toBeNull();
    expect(merged.result.suites.map((s: SuiteResult) => s.file)).toEqual(['perf/a.perf.yaml', 'perf/b.perf.yaml', 'perf/c.perf.yaml']);
    expect(merged.result.status).toBe('failed');
    expect(merged.result.durationMs).toBe(1800 + 2100);
    expect(merged.result.startedAt).toBe('2025-01-01T10:00:01.000Z');
    expect(merged.result.suites[0].correlation.r).toBeNull();

    const xml = readFileSync(join(dir, 'merged/junit.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(doc.testsuites['@_tests']).toBe('4');
    expect(doc.testsuites['@_failures']).toBe('1');
    const suites = doc.testsuites.testsuite as { '@_name': string; '@_time': string }[];
    expect(suites.map((s) => s['@_name'])).toEqual(['a', 'b', 'c']);
    expect(suites.map((s) => s['@_time'])).toEqual(['1.5', '2', '0.25']);
  });

  it('all passing: exit 0; a crashed suite: exit 3; per-reporter files honoured', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ok'));
    mkdirSync(join(dir, 'crash'));
    const pass = suite('x.perf.yaml', 10, [assertion('seed accuracy > 0.5', 'passed', 0.9)], 'passed');
    writeFileSync(join(dir, 'ok/1.json'), blob({ index: 1, total: 1 }, [pass], 10));
    const crashed = { ...suite('y.perf.yaml', 10, [], 'error'), error: { message: 'kaboom' } };
    writeFileSync(join(dir, 'crash/1.json'), blob(null, [crashed], 10));
    const ok = bufferIO(dir);
    expect(await mergeReportsCommand('ok', { reporter: ['junit'], outputFile: { junit: 'ci/perf.xml' } }, ok)).toBe(0);
    expect(readFileSync(join(dir, 'ci/perf.xml'), 'utf8')).toMatch(/<testsuites[^>]* tests="1" failures="0"/);
    expect(await mergeReportsCommand('crash', { reporter: ['junit'], outputDir: 'crash-out' }, bufferIO(dir))).toBe(3);
    expect(readFileSync(join(dir, 'crash-out/junit.xml'), 'utf8')).toMatch(/<error [^>]*message="kaboom"/);
  });

  it('warns about mixed tool versions and missing shards, and merges anyway', async () => {
    const dir = tempDir();
    const s = (f: string) => suite(f, 1, [assertion('seed accuracy > 0.5', 'passed', 0.9)], 'passed');
    writeFileSync(join(dir, 'a.json'), blob({ index: 1, total: 3 }, [s('a.perf.yaml')], 1, '0.1.0'));
    writeFileSync(join(dir, 'b.json'), blob({ index: 3, total: 3 }, [s('b.perf.yaml')], 1, '0.2.0'));
    const io = bufferIO(dir);
    expect(await mergeReportsCommand('.', { reporter: ['json'], outputDir: 'out' }, io)).toBe(0);
    expect(io.err()).toBe(
      'warning: the reports come from different deepperform versions (a.json 0.1.0, b.json 0.2.0); numbers may not be comparable\n' +
        'warning: missing shard 2/3: the merged report is partial\n',
    );
  });

  it('refuses a file that is not a blob, the same shard twice, the same suite twice, and an empty folder: exit 2 naming the files', async () => {
    const dir = tempDir();
    const s = suite('a.perf.yaml', 1, [], 'passed');
    const cases: Record<string, [string, string][]> = {
      foreign: [['x.json', JSON.stringify({ format: 'other', version: 1 })]],
      newer: [['x.json', JSON.stringify({ format: 'deepperform-report', version: 2 })]],
      twice: [
        ['1.json', blob({ index: 1, total: 2 }, [s], 1)],
        ['2.json', blob({ index: 1, total: 2 }, [suite('b.perf.yaml', 1, [], 'passed')], 1)],
      ],
      dupsuite: [
        ['1.json', blob({ index: 1, total: 2 }, [s], 1)],
        ['2.json', blob({ index: 2, total: 2 }, [s], 1)],
      ],
      empty: [['notes.txt', 'not a blob']],
    };
    for (const [name, files] of Object.entries(cases)) {
      mkdirSync(join(dir, name));
      for (const [f, text] of files) writeFileSync(join(dir, name, f), text);
    }
    const merge = (name: string) => mergeReportsCommand(name, { reporter: ['json'], outputDir: 'out' }, bufferIO(dir));
    await expect(merge('foreign')).rejects.toThrow(/foreign\/x\.json: not a usable deepperform report: "format" must be "deepperform-report"/);
    await expect(merge('newer')).rejects.toThrow(/newer\/x\.json: .*version 2 .*newer deepperform/);
    await expect(merge('twice')).rejects.toThrow(/shard 1\/2 appears twice: .*twice\/1\.json and .*twice\/2\.json/);
    await expect(merge('dupsuite')).rejects.toThrow(/suite a\.perf\.yaml appears in both .*dupsuite\/1\.json and .*dupsuite\/2\.json/);
    await expect(merge('empty')).rejects.toThrow(/no report blobs \(\*\.json\) in .*empty; write them with --reporter json/);
    const cli = await runCliInProcess(['merge-reports', 'foreign'], dir);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/x\.json: not a usable deepperform report/);
  });
});
