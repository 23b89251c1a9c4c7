/**
 * How a command that threw ends: a user error prints its message alone and
 * exits with its code (2); anything else is a crash, printed with its stack
 * (exit 3). commander has already printed its own errors (and help, version).
 */
import chalk from 'chalk';
import { terminalLines } from '../reporters/index.js';
import { EXIT, isUserError } from '../util/errors.js';

/**
 * Prints what `e` says, as the user should see it, and returns the exit code;
 * file paths in user errors are shown relative to the command's `cwd`.
 */
export function reportError(e: unknown, print: (text: string) => void = (text) => console.error(text), cwd = process.cwd()): number {
  const err = e as { code?: unknown };
  if (typeof err?.code === 'string' && err.code.startsWith('commander.')) {
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.pass : EXIT.config;
  }
  if (isUserError(e)) {
    // Messages quote user input (names, paths, YAML lines): escaped, so none can drive the terminal.
    print(chalk.red(`error: ${terminalLines(e.messageFrom(cwd))}`));
    return e.exitCode;
  }
  print(`${chalk.red('deepperform crashed:')} ${terminalLines(e instanceof Error ? (e.stack ?? e.message) : String(e))}`);
  return EXIT.crash;
}
