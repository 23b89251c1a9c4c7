/**
 * The machine-readable report: the whole RunResult in an envelope that says
 * what it is, so `merge-reports` can combine the blobs of several shards and
 * refuse files that are not ours (docs/reporters.md describes every field).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter, RunResult } from '../results/index.js';
import { writeReport } from './write-report.js';
import { UserError } from '../util/errors.js';

export const REPORT_FORMAT = 'deepperform-report';
export const REPORT_VERSION = 1;

export interface ReportBlob {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  /** Version of deepperform that wrote the blob. */
  tool: string;
  /** Which shard of the run this is (1-based), or null for an unsharded run. */
  shard: { index: number; total: number } | null;
  result: RunResult;
}

export interface JsonReporterOptions {
  outputDir: string;
  /** Defaults to `<outputDir>/report.json`. */
  outputFile?: string;
}

export class JsonReporter implements Reporter {
  readonly outputFile: string;

  constructor(options: JsonReporterOptions) {
    this.outputFile = options.outputFile ?? join(options.outputDir, 'report.json');
  }

  async onRunEnd(result: RunResult): Promise<string[]> {
    await writeReport('json', this.outputFile, renderJson(result));
    return [this.outputFile];
  }
}

export function reportBlob(run: RunResult): ReportBlob {
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    tool: run.environment.toolVersion,
    shard: run.shard ? { index: run.shard.index, total: run.shard.total } : null,
    result: run,
  };
}

/**
 * One line of JSON and a newline. Compact because a result carries sample
 * images as number arrays. JSON.stringify already writes NaN and ±Infinity
 * as null; the replacer makes that a stated rule rather than an accident.
 */
export function renderJson(run: RunResult): string {
  return `${JSON.stringify(reportBlob(run), (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? null : value,
  )}\n`;
}

// ---- reading a blob back (merge-reports) ----

/** A file that is not a report blob this version can read; says which file and what is wrong. */
export class ReportBlobError extends UserError {
  override readonly name = 'ReportBlobError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: not a usable deepperform report: ${problem}`);
  }
}

/**
 * Keys whose null is a real value in the result model; every other null
 * stood for a non-finite number when written and is read back as NaN, so
 * the numbers reporters get are numbers (Infinity also comes back as NaN).
 */
const NULLABLE_KEYS = new Set(['value', 'actual', 'shard']);

function revive(key: string, value: unknown): unknown {
  return value === null && !NULLABLE_KEYS.has(key) ? Number.NaN : value;
}

/** Reads and checks a blob written by the json reporter; throws ReportBlobError when it cannot be used. */
export async function readReportBlob(file: string): Promise<ReportBlob> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ReportBlobError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text, revive);
  } catch (e) {
    throw new ReportBlobError(file, `not valid JSON (${(e as Error).message})`);
  }
  const problem = blobProblem(data);
  if (problem) throw new ReportBlobError(file, problem);
  return data as ReportBlob;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shown(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'number' && Number.isNaN(v)) return 'found null';
  const text = JSON.stringify(v);
  return `found ${text.length > 40 ? `${text.slice(0, 39)}…` : text}`;
}

/** The first thing wrong with the blob, in the order a reader would check, or undefined. */
export function blobProblem(data: unknown): string | undefined {
  if (!isObject(data)) return `the top level must be an object (${shown(data)})`;
  if (data.format !== REPORT_FORMAT) return `"format" must be "${REPORT_FORMAT}" (${shown(data.format)})`;
  if (data.version !== REPORT_VERSION) return versionProblem(data.version);
  if (typeof data.tool !== 'string') return `"tool" must be a string (${shown(data.tool)})`;
  const shard = shardProblem(data.shard);
  if (shard) return shard;
  return resultProblem(data.result);
}

function versionProblem(version: unknown): string {
  if (typeof version === 'number' && version > REPORT_VERSION) {
    return `it is version ${version} of the format, written by a newer deepperform; this one reads version ${REPORT_VERSION}`;
  }
  return `"version" must be ${REPORT_VERSION} (${shown(version)})`;
}

function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

function shardProblem(shard: unknown): string | undefined {
  if (shard === null) return undefined;
  if (!isObject(shard)) return `"shard" must be null or {"index", "total"} (${shown(shard)})`;
  if (!isPositiveInteger(shard.total)) return `"shard.total" must be a whole number >= 1 (${shown(shard.total)})`;
  if (!isPositiveInteger(shard.index) || shard.index > shard.total) {
    return `"shard.index" must be a whole number from 1 to ${shard.total} (${shown(shard.index)})`;
  }
  return undefined;
}

const SUITE_STATUSES = ['passed', 'failed', 'error'];
const ASSERTION_STATUSES = ['passed', 'failed', 'skipped'];

/** Checks what merging and every reporter rely on; measurement details are taken as written. */
function resultProblem(result: unknown): string | undefined {
  if (!isObject(result)) return `"result" must be an object (${shown(result)})`;
  if (typeof result.startedAt !== 'string') return `"result.startedAt" must be a string (${shown(result.startedAt)})`;
  if (typeof result.durationMs !== 'number') return `"result.durationMs" must be a number (${shown(result.durationMs)})`;
  if (result.status !== 'passed' && result.status !== 'failed') {
    return `"result.status" must be "passed" or "failed" (${shown(result.status)})`;
  }
  if (!isObject(result.environment) || typeof result.environment.toolVersion !== 'string') {
    return `"result.environment" must be an object with "toolVersion" (${shown(result.environment)})`;
  }
  if (!Array.isArray(result.suites)) return `"result.suites" must be an array (${shown(result.suites)})`;
  for (const [i, suite] of result.suites.entries()) {
    const problem = suiteProblem(suite, `result.suites[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

function suiteProblem(suite: unknown, at: string): string | undefined {
  if (!isObject(suite)) return `"${at}" must be an object (${shown(suite)})`;
  for (const key of ['file', 'name'] as const) {
    if (typeof suite[key] !== 'string') return `"${at}.${key}" must be a string (${shown(suite[key])})`;
  }
  if (!SUITE_STATUSES.includes(suite.status as string)) {
    return `"${at}.status" must be one of ${SUITE_STATUSES.join(', ')} (${shown(suite.status)})`;
  }
  if (typeof suite.durationMs !== 'number') return `"${at}.durationMs" must be a number (${shown(suite.durationMs)})`;
  if (!isObject(suite.model) || !isObject(suite.config)) return `"${at}" must have "model" and "config" objects`;
  if (!Array.isArray(suite.methods)) return `"${at}.methods" must be an array (${shown(suite.methods)})`;
  if (!Array.isArray(suite.assertions)) return `"${at}.assertions" must be an array (${shown(suite.assertions)})`;
  for (const [j, a] of suite.assertions.entries()) {
    const where = `${at}.assertions[${j}]`;
    if (!isObject(a) || typeof a.source !== 'string') return `"${where}.source" must be a string`;
    if (!ASSERTION_STATUSES.includes(a.status as string)) {
      return `"${where}.status" must be one of ${ASSERTION_STATUSES.join(', ')} (${shown(a.status)})`;
    }
  }
  return undefined;
}
