#!/usr/bin/env node
import { writeSync } from 'node:fs';
import { EXIT } from '../util/errors.js';
import { execute } from './execute.js';
import { processIO } from './io.js';

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
  process.exitCode = await execute(process.argv.slice(2), processIO());
  guard.finished();
}

await main();
