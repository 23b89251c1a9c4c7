#!/usr/bin/env node
import chalk from 'chalk';
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
    console.error(chalk.red(`error: ${e.message}`));
    return EXIT.config;
  }
  console.error(chalk.red('deepperform crashed:'), e instanceof Error ? (e.stack ?? e.message) : String(e));
  return EXIT.crash;
}

await main();
