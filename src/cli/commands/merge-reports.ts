/**
 * `deepperform merge-reports <dir>`: combines the json blobs of a sharded run
 * (Playwright's and vitest's way) and feeds any reporter with the whole run,
 * as if it had run in one process.
 */
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { combineReporters, readReportBlob, type ReportBlob } from '../../reporters/index.js';
import type { RunResult } from '../../results/index.js';
import { UsageError } from '../../util/errors.js';
import { processIO, type CommandIO } from '../io.js';
import { checkOutputTargets } from '../output-targets.js';
import { buildReporters, exitCodeFor } from '../reporting.js';
import { resolveSettings, type CommonFlags } from '../../settings/index.js';

interface NamedBlob {
  file: string;
  blob: ReportBlob;
}

export async function mergeReportsCommand(dir: string, flags: CommonFlags, io: CommandIO = processIO()): Promise<number> {
  const { cwd } = io;
  const settings = await resolveSettings(flags, cwd, io.env);
  const blobs = await readBlobs(resolve(cwd, dir));
  // Before anything is written: report paths that cannot be written, or that would overwrite a blob, are exit 2.
  await checkOutputTargets(settings, flags, { inputs: blobs.map((b) => b.file), env: io.env });
  for (const warning of blobWarnings(blobs)) io.stderr.write(`warning: ${warning}\n`);
  const merged = mergeBlobs(blobs);
  const reporter = combineReporters(buildReporters(settings, io.stdout, io.env));
  reporter.onRunStart?.({ environment: merged.environment, suiteFiles: merged.suites.map((s) => s.file) });
  for (const suite of merged.suites) reporter.onSuiteEnd?.(suite);
  await reporter.onRunEnd?.(merged);
  return exitCodeFor(merged);
}

/** Every *.json file directly in dir, in name order; each must be a report blob. */
async function readBlobs(dir: string): Promise<NamedBlob[]> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`merge-reports: cannot read folder ${dir} (${e.code ?? e.message})`);
  });
  const files = names.filter((n) => n.endsWith('.json')).sort();
  if (files.length === 0) throw new UsageError(`merge-reports: no report blobs (*.json) in ${dir}; write them with --reporter json`);
  return Promise.all(files.map(async (f) => ({ file: join(dir, f), blob: await readReportBlob(join(dir, f)) })));
}

/** Things worth knowing that do not stop the merge: mixed tool versions, missing or mismatched shards. */
export function blobWarnings(blobs: readonly NamedBlob[]): string[] {
  const warnings: string[] = [];
  const tools = [...new Set(blobs.map((b) => b.blob.tool))];
  if (tools.length > 1) {
    const which = blobs.map((b) => `${basename(b.file)} ${b.blob.tool}`).join(', ');
    warnings.push(`the reports come from different deepperform versions (${which}); numbers may not be comparable`);
  }
  const sharded = blobs.filter((b) => b.blob.shard !== null);
  const totals = [...new Set(sharded.map((b) => b.blob.shard!.total))];
  if (totals.length > 1) warnings.push(`the shards come from runs split differently (totals ${totals.join(', ')})`);
  if (totals.length === 1) {
    const seen = new Set(sharded.map((b) => b.blob.shard!.index));
    const missing = Array.from({ length: totals[0] }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (missing.length > 0) warnings.push(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${totals[0]}`).join(', ')}: the merged report is partial`);
  }
  return warnings;
}

/**
 * One RunResult from several: suites ordered by file, status recomputed,
 * durations summed (the machine time the shards took together), the
 * earliest start, and the environment of the first shard.
 */
export function mergeBlobs(blobs: readonly NamedBlob[]): RunResult {
  checkDistinct(blobs);
  const ordered = [...blobs].sort((a, b) => (a.blob.shard?.index ?? 0) - (b.blob.shard?.index ?? 0));
  const suites = ordered.flatMap((b) => b.blob.result.suites).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    startedAt: ordered.map((b) => b.blob.result.startedAt).sort()[0],
    durationMs: ordered.reduce((sum, b) => sum + b.blob.result.durationMs, 0),
    environment: ordered[0].blob.result.environment,
    suites,
    status: suites.every((s) => s.status === 'passed') ? 'passed' : 'failed',
  };
}

/** The same shard twice, or the same suite in two blobs, would count results twice: refuse. */
function checkDistinct(blobs: readonly NamedBlob[]): void {
  const shardOwner = new Map<string, string>();
  const suiteOwner = new Map<string, string>();
  for (const { file, blob } of blobs) {
    if (blob.shard !== null) {
      const key = `${blob.shard.index}/${blob.shard.total}`;
      const other = shardOwner.get(key);
      if (other !== undefined) throw new UsageError(`merge-reports: shard ${key} appears twice: ${other} and ${file}`);
      shardOwner.set(key, file);
    }
    for (const suite of blob.result.suites) {
      const other = suiteOwner.get(suite.file);
      if (other !== undefined) throw new UsageError(`merge-reports: suite ${suite.file} appears in both ${other} and ${file}`);
      suiteOwner.set(suite.file, file);
    }
  }
}
