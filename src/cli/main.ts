#!/usr/bin/env node
import chalk from 'chalk';
import { terminalLines } from '../../reporters/index.js';
import { EXIT } from './errors.js';
import { isConfigError } from '../util/user-errors.js';
import { program } from './program.js';

async function main(): Promise<void> {
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
