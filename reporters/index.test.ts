import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  combineReporters,
  ConsoleReporter,
  createReporters,
  HtmlReporter,
  JunitReporter,
  ReporterError,
  type Reporter,
} from './index.js';
import { failedSuite, run } from './test-fixtures.js';

describe('createReporters', () => {
  it('builds one reporter per distinct known name, in order', () => {
    const list = createReporters(['junit', 'console', 'html', 'junit'], { outputDir: 'out', stdout: new PassThrough() });
    expect(list.map((r) => r.constructor)).toEqual([JunitReporter, ConsoleReporter, HtmlReporter]);
    expect((list[0] as JunitReporter).outputFile).toBe(join('out', 'junit.xml'));
    expect((list[2] as HtmlReporter).outputFile).toBe(join('out', 'index.html'));
  });

  it('rejects an unknown name with a ReporterError naming the known ones', () => {
    let caught: unknown;
    try {
      createReporters(['console', 'tap'], { outputDir: 'out' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ReporterError);
    const err = caught as ReporterError;
    expect(err.reporter).toBe('tap');
    expect(err.known).toEqual(['console', 'junit', 'html']);
    expect(err.message).toBe('Unknown reporter "tap". Known reporters: console, junit, html.');
  });
});

describe('combineReporters', () => {
  function recorder(log: string[], tag: string, paths: string[] = []): Reporter {
    return {
      onSuiteStart: (i) => log.push(`${tag}:start:${i.name}`),
      onPhase: (i) => log.push(`${tag}:phase:${i.phase}`),
      onRunEnd: async () => paths,
      onReportsWritten: (p) => log.push(`${tag}:written:${p.join(',')}`),
    };
  }

  it('forwards every event to every reporter in order', async () => {
    const log: string[] = [];
    const combined = combineReporters([recorder(log, 'a', ['x.xml']), {}, recorder(log, 'b', ['y.html'])]);
    combined.onSuiteStart!({ file: 'f', name: 'S' });
    combined.onPhase!({ file: 'f', phase: 'measuring' });
    expect(await combined.onRunEnd!(run)).toEqual(['x.xml', 'y.html']);
    expect(log).toEqual([
      'a:start:S',
      'b:start:S',
      'a:phase:measuring',
      'b:phase:measuring',
      'a:written:x.xml,y.html',
      'b:written:x.xml,y.html',
    ]);
  });

  it('still calls the others when one throws, then rethrows', async () => {
    const log: string[] = [];
    const boom = new Error('boom');
    const bad: Reporter = {
      onPhase: () => {
        throw boom;
      },
      onRunEnd: () => Promise.reject(boom),
    };
    const combined = combineReporters([bad, recorder(log, 'b', ['y.html'])]);
    expect(() => combined.onPhase!({ file: 'f', phase: 'p' })).toThrow(boom);
    await expect(combined.onRunEnd!(run)).rejects.toBe(boom);
    expect(log).toEqual(['b:phase:p', 'b:written:y.html']);
  });

  it('end to end: console totals and the written report paths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dp-reporters-'));
    try {
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      const combined = combineReporters(createReporters(['console', 'junit', 'html'], { outputDir: dir, stdout, isTTY: false }));
      combined.onSuiteEnd!(failedSuite);
      const paths = await combined.onRunEnd!(run);
      expect(paths).toEqual([join(dir, 'junit.xml'), join(dir, 'index.html')]);
      expect((await readdir(dir)).sort()).toEqual(['index.html', 'junit.xml']);
      const text = stripVTControlCharacters(out);
      expect(text).toContain('✗ mean I-FLOPs > 50%  expected > 50%, found 37.2%');
      expect(text).toContain(` Reports    ${join(dir, 'junit.xml')}, ${join(dir, 'index.html')}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
