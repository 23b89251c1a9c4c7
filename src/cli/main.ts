#!/usr/bin/env node
import { writeSync } from 'node:fs';
import chalk from 'chalk';
import { terminalLines } from '../reporters/index.js';
import { EXIT } from './errors.js';
import { isConfigError } from '../util/user-errors.js';
import { program } from './program.js';

/**
 * A command ends by returning its exit code to main(). When the process ends
 * before that (process.exit() called by a user module outside any call
 * deepperform made into it, an uncaught error, a promise that never settles
 * with nothing else left to run), the run did not finish and must not
 * look like one that did: the exit code becomes 3 (crash), with a message.
 */
function guardUnfinished(): { finished(): void } {
  let finished = false;
  process.on('exit', (code) => {
    if (finished) return;
    // Only synchronous writes happen in an 'exit' listener.
    writeSync(2, `deepperform: the process was ended (exit code ${code}) before the command finished, e.g. by process.exit() in a user module; no result was reported, exit code ${EXIT.crash}\n`);
    process.exitCode = EXIT.crash;
  });
  return { finished: () => (finished = true) };
}

async function main(): Promise<void> {
  const guard = guardUnfinished();
  let code: number = EXIT.pass;
  const cli = program((c) => {
    code = c;
  });
  try {
    await cli.parseAsync(process.argv);
  } catch (e) {
    code = reportError(e);
  }
  process.exitCode = code;
  guard.finished();
}

function reportError(e: unknown): number {
  const err = e as { code?: string; exitCode?: number };
  if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
    // commander printed its own message (or help / version).
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.pass : EXIT.config;
  }
  if (isConfigError(e)) {
    // Messages quote user input (names, paths, YAML lines): escaped, so none can drive the terminal.
    console.error(chalk.red(`error: ${terminalLines(e.message)}`));
    return EXIT.config;
  }
  console.error(chalk.red('deepperform crashed:'), terminalLines(e instanceof Error ? (e.stack ?? e.message) : String(e)));
  return EXIT.crash;
}

await main();
