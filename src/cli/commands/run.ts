import { Chalk } from 'chalk';
import { summaryLines, terminalLines, terminalSafe, type ReportWriteError } from '../../reporters/index.js';
import { shippedGeneratorsDir } from '../../generator/index.js';
import type { RunResult } from '../../results/index.js';
import { runSelected, type BailInfo, type Shard } from '../../runner/index.js';
import { EXIT, UsageError } from '../../util/errors.js';
import { processIO, type CommandIO } from '../io.js';
import { buildReporters, exitCodeFor } from '../reporting.js';
import { checkOutputTargets } from '../output-targets.js';
import { count, selectForCommand } from '../selection.js';
import { resolveSettings, type RunFlags } from '../../settings/index.js';
import { toolVersion } from '../../util/version.js';

export interface RunCommandFlags extends RunFlags {
  testNamePattern?: RegExp;
  shard?: Shard;
  passWithNoTests?: boolean;
  updateBaseline?: boolean;
}

/**
 * `deepperform run`: exit 0 when every error-level assertion holds, 1 when
 * one fails, 2 on a usage or configuration error (also when no suite is
 * selected, unless --pass-with-no-tests), 3 when a suite crashed.
 */
export async function runCommand(paths: string[], flags: RunCommandFlags, io: CommandIO = processIO()): Promise<number> {
  const { cwd } = io;
  const settings = await resolveSettings(flags, cwd, io.env);
  const { suites, emptyReason } = await selectForCommand(paths, settings, flags, cwd);
  if (suites.length === 0) return noSuites(emptyReason ?? 'no suites selected', flags.passWithNoTests, io);
  // Before any suite runs: a report or cache path that cannot be written is exit 2 now, not after training.
  await checkOutputTargets(settings, flags, { cache: true, inputs: suites.map((s) => s.file), env: io.env });
  const reporters = buildReporters(settings, io.stdout, io.env);
  let bailed: BailInfo | undefined;
  let reportsFailed: ReportWriteError | undefined;
  const result = await runSelected(suites, {
    reporters,
    cwd,
    toolVersion: toolVersion(),
    backend: settings.backend,
    env: io.env,
    cacheDir: settings.cacheDir,
    // Generators shipped for the default suites: used when their key matches exactly.
    readOnlyCaches: [shippedGeneratorsDir()],
    retrain: settings.retrain,
    seed: settings.seed,
    shard: flags.shard,
    bail: settings.bail,
    onBail: (info) => (bailed = info),
    updateBaseline: flags.updateBaseline ?? false,
    onReportsFailed: (e) => (reportsFailed = e),
  });
  // Said after the reporters' summary, so it is the last line a reader sees.
  if (bailed) {
    const { failed, notRun } = bailed;
    io.stderr.write(`bail: stopped after ${failed} failed suite${failed === 1 ? '' : 's'} (bail ${settings.bail}); ${count(notRun.length)} not run\n`);
  }
  if (reportsFailed) return reportsNotWritten(reportsFailed, result, settings.reporters, io);
  return exitCodeFor(result);
}

/**
 * Reports that could not be written after the run: exit 2 (3 when a suite
 * crashed, which says more), with the message; the results are not lost: the
 * console or dot reporter printed them, and without either the summary is
 * printed here.
 */
export function reportsNotWritten(error: ReportWriteError, result: RunResult, reporters: readonly string[], io: CommandIO): number {
  if (!reporters.some((r) => r.trim() === 'console' || r.trim() === 'dot')) {
    for (const line of summaryLines(terminalSafe(result), new Chalk({ level: 0 }))) io.stdout.write(`${line}\n`);
  }
  io.stderr.write(`error: ${terminalLines(error.message)}\n`);
  return Math.max(exitCodeFor(result), EXIT.config);
}

/** Nothing to run: a usage error (exit 2), or exit 0 with --pass-with-no-tests, as vitest does. */
export function noSuites(reason: string, passWithNoTests: boolean | undefined, io: CommandIO): number {
  if (!passWithNoTests) throw new UsageError(`${reason} (--pass-with-no-tests exits 0 instead)`);
  io.stdout.write(`${reason}; exiting with code 0 (--pass-with-no-tests)\n`);
  return EXIT.pass;
}
