import { describe, expect, it } from 'vitest';
import { combineReporters } from './combine.js';
import { ReportWriteError, type Reporter } from './reporter.js';
import type { RunResult } from './result.js';

const run: RunResult = {
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  environment: { toolVersion: '0', backend: 'cpu', node: 'v20', platform: 'linux', cpu: 'x', cpuCount: 1 },
  suites: [],
  status: 'passed',
};

function recorder(log: string[], tag: string, paths: string[] = []): Reporter {
  return {
    onSuiteStart: (i) => log.push(`${tag}:start:${i.name}`),
    onPhase: (i) => log.push(`${tag}:phase:${i.phase}`),
    onRunEnd: async () => paths,
    onReportsWritten: (p) => log.push(`${tag}:written:${p.join(',')}`),
  };
}

const unwritable = (reporter: string, file: string): Reporter => ({
  onRunEnd: () => Promise.reject(new ReportWriteError([{ reporter, file, reason: 'EACCES' }])),
});

describe('combineReporters', () => {
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

  it('gathers the reports not written into one ReportWriteError naming each, after listing those written', async () => {
    const log: string[] = [];
    const combined = combineReporters([unwritable('junit', 'a.xml'), recorder(log, 'ok', ['r.json']), unwritable('html', 'b.html')]);
    const error = await combined.onRunEnd!(run).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReportWriteError);
    expect((error as ReportWriteError).failures).toEqual([
      { reporter: 'junit', file: 'a.xml', reason: 'EACCES' },
      { reporter: 'html', file: 'b.html', reason: 'EACCES' },
    ]);
    expect((error as Error).message).toBe('cannot write the junit report to a.xml: EACCES\ncannot write the html report to b.html: EACCES');
    expect(log).toEqual(['ok:written:r.json']);
  });

  it('a reporter that fails otherwise is a crash: rethrown as it is, not folded into the write errors', async () => {
    const bug = new TypeError('bug');
    const combined = combineReporters([unwritable('junit', 'a.xml'), { onRunEnd: () => Promise.reject(bug) }]);
    await expect(combined.onRunEnd!(run)).rejects.toBe(bug);
  });
});
