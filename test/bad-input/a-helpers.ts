/**
 * Shared by part A's bad-input tests: `deepperform run` in-process (the
 * command with its output captured, no node spawned), and a tiny suite.
 */
import { Writable } from 'node:stream';
import { runCommand, type RunCommandFlags } from '../../src/cli/commands/run.js';
import { reportError } from '../../src/cli/report-error.js';
import { tempDir, writeTinySuite } from '../helpers/cli.js';

export interface InProcessRun {
  /** The exit code runCommand returned, or undefined when it threw. */
  code?: number;
  /** What it threw: a usage or configuration error the CLI prints and exits 2 with. */
  error?: Error;
  /** The exit code the CLI gives for what it threw (main's reportError): 2 for a user error, 3 for a crash. */
  exit?: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `deepperform run <paths>` in this process with CI-style plain output.
 * `onStdout` sees each chunk as it is written (to act in the middle of a run).
 */
export async function runInProcess(dir: string, paths: string[], flags: RunCommandFlags, onStdout?: (chunk: string) => void): Promise<InProcessRun> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[], tap?: (chunk: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        into.push(chunk.toString());
        tap?.(chunk.toString());
        done();
      },
    });
  const io = { cwd: dir, stdout: sink(out, onStdout), stderr: sink(err), env: { CI: '1', NO_COLOR: '1' } };
  try {
    const code = await runCommand(paths, { reporter: ['console'], cacheDir: 'cache', ...flags }, io);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } catch (e) {
    return { error: e as Error, exit: reportError(e, () => {}), stdout: out.join(''), stderr: err.join('') };
  }
}

/** A folder with the tiny sdn-tiny suite `a.perf.yaml` (4 generator steps, 16 seeds); `extra` is appended YAML. */
export function tinyProject(extra = ''): { dir: string; suite: string } {
  const dir = tempDir();
  return { dir, suite: writeTinySuite(dir, 'a.perf.yaml', extra) };
}
