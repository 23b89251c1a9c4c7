/** Reporters built from the settings, and the exit code a result gives. */
import { createReporters, type CreateReportersOptions, type Reporter } from '../reporters/index.js';
import type { RunResult } from '../results/index.js';
import { EXIT } from '../util/errors.js';
import type { OutputStream } from './io.js';
import type { OutputFiles } from '../config/index.js';
import type { Settings } from '../settings/index.js';

/** CI set to anything but '', '0' or 'false' means a CI job, as most CI tools read it. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Live progress only for a person at a terminal: plain lines in CI and when piped. */
export function isInteractive(stdout: OutputStream, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stdout.isTTY) && !isCI(env);
}

export function buildReporters(settings: Settings, stdout: OutputStream, env: NodeJS.ProcessEnv): Reporter[] {
  // outputFiles is part of CreateReportersOptions per the reporters' interface;
  // the intersection keeps this compiling whichever side lands first.
  const options: CreateReportersOptions & { outputFiles?: OutputFiles } = {
    outputDir: settings.outputDir,
    outputFiles: settings.outputFiles,
    stdout,
    isTTY: isInteractive(stdout, env),
    env,
  };
  return createReporters(settings.reporters, options);
}

/** 3 when a suite crashed, else 0 when every error-level assertion held, else 1. */
export function exitCodeFor(result: RunResult): number {
  if (result.suites.some((s) => s.status === 'error')) return EXIT.crash;
  return result.status === 'passed' ? EXIT.pass : EXIT.fail;
}
