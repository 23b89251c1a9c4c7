import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  combineReporters,
  ConsoleReporter,
  createReporters,
  DotReporter,
  HtmlReporter,
  JsonReporter,
  JunitReporter,
  readReportBlob,
  REPORTER_NAMES,
  ReporterError,
} from './index.js';
import { failedSuite, run } from './test-fixtures.js';

describe('createReporters', () => {
  it('builds one reporter per distinct known name, in order, ignoring blanks', () => {
    const list = createReporters(['junit', 'console', ' html', 'dot', 'json', 'junit', ''], {
      outputDir: 'out',
      stdout: new PassThrough(),
    });
    expect(list.map((r) => r.constructor)).toEqual([JunitReporter, ConsoleReporter, HtmlReporter, DotReporter, JsonReporter]);
    expect((list[0] as JunitReporter).outputFile).toBe(join('out', 'junit.xml'));
    expect((list[2] as HtmlReporter).outputFile).toBe(join('out', 'index.html'));
    expect((list[4] as JsonReporter).outputFile).toBe(join('out', 'report.json'));
  });

  it('puts a file reporter where outputFiles says, the others in outputDir', () => {
    const list = createReporters(['junit', 'html', 'json'], {
      outputDir: '/out',
      outputFiles: { junit: '/ci/results.xml', json: '/blobs/shard-2.json' },
    });
    expect((list[0] as JunitReporter).outputFile).toBe('/ci/results.xml');
    expect((list[1] as HtmlReporter).outputFile).toBe(join('/out', 'index.html'));
    expect((list[2] as JsonReporter).outputFile).toBe('/blobs/shard-2.json');
    const html = createReporters(['html'], { outputDir: '/out', outputFiles: { html: '/site/perf.html' } });
    expect((html[0] as HtmlReporter).outputFile).toBe('/site/perf.html');
  });

  it('lists the five reporter names', () => {
    expect(REPORTER_NAMES).toEqual(['console', 'dot', 'junit', 'html', 'json']);
  });

  it('rejects an unknown name with a ReporterError naming the known ones, building none', () => {
    let caught: unknown;
    try {
      createReporters(['console', 'tap'], { outputDir: 'out' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ReporterError);
    const err = caught as ReporterError;
    expect(err.reporter).toBe('tap');
    expect(err.known).toEqual(['console', 'dot', 'junit', 'html', 'json']);
    expect(err.message).toBe('Unknown reporter "tap". Known reporters: console, dot, junit, html, json.');
  });
});

describe('combineReporters with the real reporters (its unit tests: src/results/combine.test.ts)', () => {
  it('end to end: console summary, and the report files written and listed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dp-reporters-'));
    try {
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      const combined = combineReporters(
        createReporters(['console', 'junit', 'json'], { outputDir: dir, stdout, isTTY: false, env: {} }),
      );
      combined.onSuiteEnd!(failedSuite);
      const paths = await combined.onRunEnd!(run);
      const expected = [join(dir, 'junit.xml'), join(dir, 'report.json')];
      expect(paths).toEqual(expected);
      expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'report.json']);
      expect((await readReportBlob(join(dir, 'report.json'))).result.suites.map((s) => s.name)).toEqual(run.suites.map((s) => s.name));
      expect(out).not.toContain('\x1b[');
      expect(out).toContain('    ✗ mean I-FLOPs > 50%  expected > 50%, found 37.2%\n');
      expect(out).toContain(` Reports    ${expected.join(', ')}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
