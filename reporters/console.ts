/**
 * Human-readable progress and results on a stream (stdout by default).
 * On a TTY, training progress is one line redrawn in place; in CI or when
 * piped it is a plain line every ~10% of steps, so logs stay short.
 */
import chalk, { Chalk, type ChalkInstance, type ColorSupportLevel } from 'chalk';
import type { AssertionResult, RunResult, SuiteResult } from '../src/runner/result.js';
import { DASH, formatDuration, formatLoss, formatPercent } from './format.js';
import { extraLines, METRIC_COLUMNS, metricRows } from './metrics.js';
import { isWarning, runTotals } from './summary.js';
import type {
  PhaseInfo,
  Reporter,
  RunStartInfo,
  SuiteStartInfo,
  TrainingProgressInfo,
} from './types.js';

export interface ConsoleReporterOptions {
  stdout?: NodeJS.WritableStream;
  /** Whether the stream is a terminal; defaults to the stream's own isTTY. */
  isTTY?: boolean;
  /** Read for CI and NO_COLOR; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Overrides chalk's colour detection (tests). */
  colorLevel?: ColorSupportLevel;
  /** Clock for throttling the live progress line (tests). */
  now?: () => number;
}

/** Minimum time between two redraws of the live line; the last step always draws. */
const REDRAW_MS = 100;
const CLEAR_LINE = '\r\x1b[K';

export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * chalk reads FORCE_COLOR and the terminal itself but not NO_COLOR
 * (no-color.org: set and non-empty means no colour); FORCE_COLOR wins.
 */
export function colorLevelFor(env: NodeJS.ProcessEnv): ColorSupportLevel {
  if (env.NO_COLOR && env.FORCE_COLOR === undefined) return 0;
  return chalk.level;
}

export class ConsoleReporter implements Reporter {
  private readonly out: NodeJS.WritableStream;
  private readonly live: boolean;
  private readonly c: ChalkInstance;
  private readonly now: () => number;
  /** True while a progress line without newline is on screen. */
  private liveLineOpen = false;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private readonly lastDecile = new Map<string, number>();

  constructor(options: ConsoleReporterOptions = {}) {
    const env = options.env ?? process.env;
    this.out = options.stdout ?? process.stdout;
    const tty = options.isTTY ?? (this.out as { isTTY?: boolean }).isTTY === true;
    this.live = tty && !isCI(env);
    this.c = new Chalk({ level: options.colorLevel ?? colorLevelFor(env) });
    this.now = options.now ?? Date.now;
  }

  onRunStart(info: RunStartInfo): void {
    const e = info.environment;
    const parts = [
      this.c.bold(`deepperform ${e.toolVersion}`),
      `backend ${e.backend}`,
      `node ${e.node}`,
      e.platform,
      `${e.cpu} (${e.cpuCount} ${e.cpuCount === 1 ? 'core' : 'cores'})`,
    ];
    this.line(parts.join(this.c.dim(' · ')));
    const n = info.suiteFiles.length;
    this.line(this.c.dim(`${n} suite ${n === 1 ? 'file' : 'files'}`));
  }

  onSuiteStart(info: SuiteStartInfo): void {
    this.line('');
    this.line(`${this.c.cyan('›')} ${this.c.bold(info.name)}  ${this.c.dim(info.file)}`);
  }

  onPhase(info: PhaseInfo): void {
    const detail = info.detail ? `  ${info.detail}` : '';
    this.line(this.c.dim(`  · ${info.phase}${detail}`));
  }

  onTrainingProgress(info: TrainingProgressInfo): void {
    const text = progressText(info);
    if (this.live) this.drawLive(text, info.step >= info.totalSteps && info.totalSteps > 0);
    else if (this.shouldLogPlain(info)) this.line(this.c.dim(`  ${text}`));
  }

  onSuiteEnd(result: SuiteResult): void {
    this.line(this.suiteHeader(result));
    if (result.error) this.printError(result.error);
    this.printMetrics(result);
    for (const l of extraLines(result)) this.line(this.c.dim(`    ${l}`));
    for (const a of result.assertions) this.printAssertion(a);
  }

  async onRunEnd(result: RunResult): Promise<string[]> {
    const t = runTotals(result);
    const c = this.c;
    const suites = joinCounts([
      t.suites.passed && c.green(`${t.suites.passed} passed`),
      t.suites.failed && c.red(`${t.suites.failed} failed`),
      t.suites.errored && c.red(`${t.suites.errored} errored`),
    ]);
    const asserts = joinCounts([
      t.assertions.passed && c.green(`${t.assertions.passed} passed`),
      t.assertions.failed && c.red(`${t.assertions.failed} failed`),
      t.assertions.warned && c.yellow(`${t.assertions.warned} warned`),
      t.assertions.skipped && c.yellow(`${t.assertions.skipped} skipped`),
    ]);
    this.line('');
    this.line(`${c.dim(' Suites'.padEnd(12))}${suites} ${c.dim(`(${t.suites.total})`)}`);
    this.line(`${c.dim(' Assertions'.padEnd(12))}${asserts} ${c.dim(`(${t.assertions.total})`)}`);
    this.line(`${c.dim(' Time'.padEnd(12))}${formatDuration(result.durationMs)}`);
    const status = result.status === 'passed' ? c.bold.green('PASSED') : c.bold.red('FAILED');
    this.line(`${c.dim(' Result'.padEnd(12))}${status}`);
    return [];
  }

  /** Called by combineReporters once every reporter has written its files. */
  onReportsWritten(paths: string[]): void {
    if (paths.length === 0) return;
    this.line(`${this.c.dim(' Reports'.padEnd(12))}${paths.join(', ')}`);
  }

  private suiteHeader(s: SuiteResult): string {
    const c = this.c;
    const icon =
      s.status === 'passed' ? c.green('✓') : s.status === 'failed' ? c.red('✗') : c.red.bold('✗ ERROR');
    return `${icon} ${c.bold(s.name)}  ${c.dim(s.file)}  ${c.dim(`(${formatDuration(s.durationMs)})`)}`;
  }

  private printError(error: { message: string; stack?: string }): void {
    this.line(indent(this.c.red(error.message), 4));
    if (error.stack) this.line(indent(this.c.dim(stackWithoutMessage(error)), 6));
  }

  private printMetrics(s: SuiteResult): void {
    const rows = metricRows(s);
    if (rows.length === 0) return;
    const labelWidth = Math.max(3, ...rows.map((r) => r.label.length));
    const widths = METRIC_COLUMNS.map((col) =>
      Math.max(col.header.length, ...rows.map((r) => r.cells[col.key].length)),
    );
    const header = ['set'.padEnd(labelWidth), ...METRIC_COLUMNS.map((col, i) => col.header.padStart(widths[i]!))];
    this.line(this.c.dim(`    ${header.join('  ')}`));
    for (const row of rows) {
      const cells = METRIC_COLUMNS.map((col, i) => row.cells[col.key].padStart(widths[i]!));
      this.line(`    ${row.label.padEnd(labelWidth)}  ${cells.join('  ')}`);
    }
  }

  private printAssertion(a: AssertionResult): void {
    const c = this.c;
    const found = a.actual ?? DASH;
    if (a.status === 'skipped') {
      const why = a.message ? `: ${a.message}` : '';
      this.line(`    ${c.yellow('↓')} ${a.source}  ${c.yellow(`skipped${why}`)}`);
      return;
    }
    const compare = `expected ${a.expected}, found ${found}`;
    if (a.status === 'passed') {
      this.line(`    ${c.green('✓')} ${a.source}  ${c.dim(compare)}`);
      return;
    }
    const warn = isWarning(a);
    const paint = warn ? c.yellow : c.red;
    const icon = warn ? '!' : '✗';
    const tag = warn ? `  ${c.yellow('(warning)')}` : '';
    this.line(`    ${paint(icon)} ${paint(a.source)}  ${compare}${tag}`);
    if (a.message) this.line(indent(paint(a.message), 6));
  }

  private shouldLogPlain(info: TrainingProgressInfo): boolean {
    if (!(info.totalSteps > 0)) return info.step === 1 || info.step % 100 === 0;
    const decile = Math.floor((info.step * 10) / info.totalSteps);
    const last = this.lastDecile.get(info.file) ?? -1;
    if (decile <= last) return false;
    this.lastDecile.set(info.file, decile);
    return true;
  }

  private drawLive(text: string, final: boolean): void {
    const t = this.now();
    if (!final && t - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = t;
    // A line longer than the terminal wraps, and \r then only returns to the last row.
    const columns = (this.out as { columns?: number }).columns;
    const shown = columns && columns > 1 ? truncate(`  ${text}`, columns - 1) : `  ${text}`;
    this.out.write(`${CLEAR_LINE}${shown}${final ? '\n' : ''}`);
    this.liveLineOpen = !final;
    if (final) this.lastDraw = Number.NEGATIVE_INFINITY;
  }

  private line(text: string): void {
    if (this.liveLineOpen) {
      this.out.write(CLEAR_LINE);
      this.liveLineOpen = false;
    }
    this.out.write(`${text}\n`);
  }
}

export function progressText(info: TrainingProgressInfo): string {
  const total = info.totalSteps > 0 ? `/${info.totalSteps}` : '';
  const pct = info.totalSteps > 0 ? ` (${Math.floor((info.step * 100) / info.totalSteps)}%)` : '';
  const l = info.losses;
  const losses = `loss ${formatLoss(l.total)}  perf ${formatLoss(l.perf)}  gan ${formatLoss(l.gan)}  pert ${formatLoss(l.pert)}`;
  const val = info.validationIflops !== undefined ? `  val I-FLOPs ${formatPercent(info.validationIflops)}` : '';
  return `training step ${info.step}${total}${pct}  ${losses}${val}`;
}

function joinCounts(parts: (string | 0)[]): string {
  const shown = parts.filter((p): p is string => typeof p === 'string' && p.length > 0);
  return shown.length > 0 ? shown.join(' | ') : 'none';
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/** V8 stacks start with "Name: message"; the message is already printed above. */
function stackWithoutMessage(error: { message: string; stack?: string }): string {
  const stack = error.stack ?? '';
  const frames = stack.split('\n').filter((l) => /^\s*at /.test(l));
  return (frames.length > 0 ? frames.map((l) => l.trim()) : [stack]).join('\n');
}

function truncate(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}
