import { execute } from '../../src/cli/execute.js';
import { bufferIO } from '../cli/buffer-io.js';
import type { CliResult } from './cli.js';

/**
 * Runs `deepperform <args>` in this process, as runCliAsync
 * (test/cli/run-cli-async.ts) does in a child process: the
 * same argument parsing, commands and error reporting (src/cli/execute.ts),
 * with the output captured and the same environment (CI-style plain
 * output). It skips node's and tfjs's start-up, so most CLI tests use it;
 * what only a real process shows (exit codes reaching the shell, the
 * unfinished-process guard, process.exit in a user module, runs racing from
 * two processes) stays with runCliAsync.
 */
export async function runCliInProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const io = bufferIO(cwd, { ...process.env, CI: '1', NO_COLOR: '1', ...env });
  const code = await execute(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
