import { EXIT } from '../util/errors.js';
import type { CommandIO } from './io.js';
import { program } from './program.js';
import { reportError } from './report-error.js';

/**
 * Runs one command line (`args`: the user's arguments, without node and the
 * script) with its output on `io`, and returns its exit code. main() runs
 * it on the process's own IO; tests run it in-process on buffers.
 */
export async function execute(args: readonly string[], io: CommandIO): Promise<number> {
  let code: number = EXIT.pass;
  const cli = program((c) => {
    code = c;
  }, io, args);
  try {
    await cli.parseAsync([...args], { from: 'user' });
  } catch (e) {
    code = reportError(e, (text) => io.stderr.write(`${text}\n`), io.cwd);
  }
  return code;
}
