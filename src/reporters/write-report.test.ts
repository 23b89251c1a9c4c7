import { lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/cli.js';
import { combineReporters, ConsoleReporter, JsonReporter, JunitReporter, ReportWriteError } from './index.js';
import { run } from './test-fixtures.js';
import { writeReport } from './write-report.js';

describe('writeReport', () => {
  it('writes a new file and replaces a regular one', async () => {
    const dir = tempDir();
    const file = join(dir, 'sub/r.json');
    await writeReport('json', file, 'one');
    await writeReport('json', file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
  });

  it('leaves a symbolic link and what it points to alone, and says why', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'target'), 'keep');
    symlinkSync(join(dir, 'target'), join(dir, 'link.xml'));
    const write = writeReport('junit', join(dir, 'link.xml'), '<x/>');
    await expect(write).rejects.toBeInstanceOf(ReportWriteError);
    await expect(write).rejects.toThrow(`cannot write the junit report to ${join(dir, 'link.xml')}: it is a symbolic link, not a regular file`);
    expect(lstatSync(join(dir, 'link.xml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.xml'))).toBe(join(dir, 'target'));
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('keep');
  });
});

describe('combineReporters: reports that cannot be written', () => {
  it('the console still prints the summary; one ReportWriteError names every file', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a-folder'));
    writeFileSync(join(dir, 'a-file'), '');
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const reporter = combineReporters([
      new ConsoleReporter({ stdout: out, isTTY: false, env: {}, colorLevel: 0 }),
      new JunitReporter({ outputDir: dir, outputFile: join(dir, 'a-folder') }),
      new JsonReporter({ outputDir: dir, outputFile: join(dir, 'a-file/report.json') }),
    ]);
    const error = await reporter.onRunEnd!(run).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReportWriteError);
    expect((error as ReportWriteError).failures.map((f) => f.reporter)).toEqual(['junit', 'json']);
    expect((error as Error).message).toMatch(/junit report to .*a-folder: it is a folder, not a regular file[^\n]*\n.*json report to .*report\.json: it cannot be created: .*a-file is a file, not a folder$/);
    expect(text).toMatch(/ Result {5}FAILED/);
  });

  it('a reporter failing otherwise (a bug) is rethrown as it is: a crash, not a user error', async () => {
    const bug = new TypeError('boom');
    const reporter = combineReporters([{ onRunEnd: () => Promise.reject(bug) }, new JsonReporter({ outputDir: '/dev/null/x' })]);
    await expect(reporter.onRunEnd!(run)).rejects.toBe(bug);
  });
});
