/**
 * Bad input, class 1: output paths. Every place a run writes is checked before
 * any suite runs: only regular files or new paths are written; a device node,
 * a FIFO, a symbolic link, a folder, a file in the way of a folder, an
 * unwritable place, two reports in one file, or a report over the suite
 * itself is exit 2 naming the option and the path. A report that still
 * cannot be written after the run is exit 2 with a message, the results
 * printed all the same.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportWriteError } from '../../src/reporters/index.js';
import { run, xssSuite } from '../../src/reporters/test-fixtures.js';
import { reportsNotWritten } from '../../src/cli/commands/run.js';
import { bufferIO } from '../cli/buffer-io.js';
import { UserError } from '../../src/util/errors.js';
import { ROOT, type CliResult } from '../helpers/cli.js';
import { runInProcess, tinyProject } from './a-helpers.js';

/** Refused before any work: a usage or config error, nothing printed for a suite, no cache made. */
function refusedUpFront(r: Awaited<ReturnType<typeof runInProcess>>, dir: string): Error {
  expect(r.code).toBeUndefined();
  expect(r.error).toBeInstanceOf(UserError);
  expect(r.exit).toBe(2);
  expect(r.error?.name).toMatch(/^(UsageError|ConfigError)$/);
  expect(r.stdout).toBe('');
  expect(existsSync(join(dir, 'cache'))).toBe(false);
  return r.error!;
}

describe('bad input, class 1: report and cache paths, checked before any suite runs', () => {
  it('a device node, a FIFO and a symbolic link are never replaced', async () => {
    const { dir } = tinyProject();
    execFileSync('mknod', [join(dir, 'null'), 'c', '1', '3']); // a private /dev/null: root may make one
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'real.json'), 'keep');
    symlinkSync(join(dir, 'real.json'), join(dir, 'link.json'));
    const device = await runInProcess(dir, ['.'], { reporter: ['junit'], outputFile: { junit: join(dir, 'null') } });
    expect(refusedUpFront(device, dir).message).toBe(`--output-file junit=${join(dir, 'null')}: ${join(dir, 'null')} is a character device, not a regular file; reports replace only regular files or create new ones`);
    expect(statSync(join(dir, 'null')).isCharacterDevice()).toBe(true);
    const fifo = await runInProcess(dir, ['.'], { reporter: ['html'], outputFile: { html: 'fifo' } });
    expect(refusedUpFront(fifo, dir).message).toMatch(/^--output-file html=fifo: .*fifo is a named pipe \(FIFO\), not a regular file/);
    const link = await runInProcess(dir, ['.'], { reporter: ['json'], outputFile: { json: 'link.json' } });
    expect(refusedUpFront(link, dir).message).toMatch(/^--output-file json=link\.json: .*link\.json is a symbolic link, not a regular file/);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.json'))).toBe(join(dir, 'real.json'));
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('keep');
  });

  it('-o an existing file, --cache-dir a file, a report into a folder: all said at once, naming each option', async () => {
    const { dir } = tinyProject();
    writeFileSync(join(dir, 'taken'), '');
    mkdirSync(join(dir, 'a-folder'));
    const r = await runInProcess(dir, ['.'], { reporter: ['console', 'junit', 'html', 'json'], outputDir: 'taken', cacheDir: 'taken', outputFile: { json: 'a-folder' } });
    expect(refusedUpFront(r, dir).message.split('\n')).toEqual([
      `--output-dir taken: ${join(dir, 'taken')} is a file, not a folder`,
      `--output-file json=a-folder: ${join(dir, 'a-folder')} is a folder, not a regular file; reports replace only regular files or create new ones`,
      `--cache-dir taken: ${join(dir, 'taken')} is a file, not a folder`,
    ]);
  });

  it('a report over the suite file, or two reports in one file, are refused; the suite is untouched', async () => {
    const { dir, suite } = tinyProject();
    const before = readFileSync(suite, 'utf8');
    const over = await runInProcess(dir, ['.'], { reporter: ['json'], outputFile: { json: 'a.perf.yaml' } });
    expect(refusedUpFront(over, dir).message).toMatch(/a\.perf\.yaml is one of the files this command reads; the json report would overwrite it/);
    expect(readFileSync(suite, 'utf8')).toBe(before);
    const twice = await runInProcess(dir, ['.'], { reporter: ['junit', 'json'], outputFile: { junit: 'r.out', json: 'r.out' } });
    expect(refusedUpFront(twice, dir).message).toMatch(/--output-file json=r\.out: .*r\.out is also where the junit report goes/);
  });

  it('a report that cannot be written after the run: exit 2, the reason, and the results still printed', async () => {
    const { dir } = tinyProject('assertions:\n  - "seed accuracy > 0.1"\n');
    // The report folder is free when the run starts; a file takes its place while the model loads.
    const r = await runInProcess(dir, ['.'], { reporter: ['console', 'junit'], outputDir: 'out' }, (chunk) => {
      if (chunk.includes('loading model') && !existsSync(join(dir, 'out'))) writeFileSync(join(dir, 'out'), 'in the way');
    });
    expect(r.error).toBeUndefined();
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: cannot write the junit report to ${join(dir, 'out/junit.xml')}: it cannot be created: ${join(dir, 'out')} is a file, not a folder\n`);
    expect(r.stdout).toMatch(/✓ seed accuracy > 0\.1/);
    expect(r.stdout).toMatch(/^ Result {5}PASSED$/m);
  });

  it('with no console or dot reporter, the command prints the results itself; a crashed suite keeps exit 3', () => {
    const error = new ReportWriteError([{ reporter: 'junit', file: '/x/junit.xml', reason: 'ENOSPC (no space left on device)' }]);
    const passed = bufferIO('/');
    expect(reportsNotWritten(error, { ...run, suites: [xssSuite], status: 'passed' }, ['junit'], passed)).toBe(2);
    expect(passed.out()).toMatch(/^ Result {5}PASSED$/m);
    expect(passed.err()).toBe('error: cannot write the junit report to /x/junit.xml: ENOSPC (no space left on device)\n');
    const crashed = bufferIO('/');
    expect(reportsNotWritten(error, run, ['console', 'junit'], crashed)).toBe(3);
    expect(crashed.out()).toBe(''); // the console reporter printed them
  });

  // -o / needs a user who may not write /: as root the CLI runs as nobody (the process boundary is the point).
  it('-o / as an unprivileged user: exit 2 before any suite runs', async () => {
    const { dir } = tinyProject();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'cache'), { mode: 0o777 });
    chmodSync(join(dir, 'cache'), 0o777);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = await new Promise<CliResult>((done, fail) => {
      const child = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'run', '.', '-o', '/', '--cache-dir', 'cache'], {
        cwd: dir,
        env: { ...process.env, CI: '1', NO_COLOR: '1', HOME: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...asNobody,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    expect(r.stderr).toBe('error: --output-dir /: / is a folder that is not writable\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
