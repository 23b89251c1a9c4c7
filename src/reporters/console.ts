/**
 * Human-readable progress and results on a stream (stdout by default).
 *
 * Live (a terminal outside CI): the current phase of the running suite is one
 * line redrawn in place (training shows a progress bar, ETA and the latest
 * validation I-FLOPs); when a phase ends it stays on screen with its time.
 * Plain (CI or a pipe): a line when a phase starts, training every ~10% of
 * steps, no colour, no carriage returns, so logs stay short and greppable.
 * Either way each suite ends with its metrics, and the run with the summary
 * of every assertion (summary.ts, shared with the dot reporter).
 * Every event is passed through terminalSafe first: user strings (suite
 * names, files, assertion text, messages) reach the terminal escaped.
 */
import { stripVTControlCharacters } from 'node:util';
import cliProgress from 'cli-progress';
import type { PhaseInfo, PhaseProgressInfo, Reporter, RunResult, RunStartInfo, SuiteResult, SuiteStartInfo, SuiteWarningInfo, TrainingProgressInfo } from '../results/index.js';
import { terminalSafe } from './escape.js';
import { formatDuration, formatEta, formatLoss } from './format.js';
import { extraLines, METRIC_COLUMNS, metricRows } from './metrics.js';
import { environmentLine, reportsLines, suiteHeader, summaryLines } from './summary.js';
import { openTerminal, type Terminal, type TerminalOptions } from './terminal.js';
import { formatRate, trainingLine, validationText, type Validation } from './training.js';

export { colorLevelFor, isCI } from './terminal.js';

export interface ConsoleReporterOptions extends TerminalOptions {
  /** Clock for durations, ETA and redraw throttling (tests). */
  now?: () => number;
}

/** Minimum time between two redraws of the live line. */
const REDRAW_MS = 100;
const CLEAR_LINE = '\r\x1b[K';
const TRAINING_PHASE = 'training generator';

/** cli-progress's bar drawing, with its "shades" glyphs, at a fixed width. */
const BAR_WIDTH = 20;
const BAR_OPTIONS = {
  barsize: BAR_WIDTH,
  barGlue: '',
  barCompleteString: cliProgress.Presets.shades_classic.barCompleteChar!.repeat(BAR_WIDTH + 1),
  barIncompleteString: cliProgress.Presets.shades_classic.barIncompleteChar!.repeat(BAR_WIDTH + 1),
};

export function progressBar(fraction: number): string {
  return cliProgress.Format.BarFormat(Math.min(1, Math.max(0, fraction)), BAR_OPTIONS);
}

/** A training run as the reporter follows it, for ETA and the latest validation score. */
interface TrainingState {
  startedAt: number;
  startStep: number;
  last?: TrainingProgressInfo;
  lastValidation?: Validation;
  /** Plain mode: the last decile logged, and whether the last event was logged. */
  loggedDecile: number;
  lastLogged: boolean;
}

interface OpenPhase {
  file: string;
  name: string;
  detail?: string;
  startedAt: number;
  training?: TrainingState;
  /** A baseline's steps: the latest count and, in plain mode, the last quarter logged. */
  steps?: { last: PhaseProgressInfo; loggedQuarter: number };
}

export class ConsoleReporter implements Reporter {
  private readonly term: Terminal;
  private readonly now: () => number;
  private readonly liveLine: LiveLine;
  private phase: OpenPhase | undefined;
  /** Warnings already printed as they came (onSuiteWarning), by file: the suite's end does not repeat them. */
  private readonly warned = new Map<string, Set<string>>();

  constructor(options: ConsoleReporterOptions = {}) {
    this.term = openTerminal(options);
    this.now = options.now ?? Date.now;
    this.liveLine = new LiveLine(this.term.out, this.now);
  }

  onRunStart(raw: RunStartInfo): void {
    const info = terminalSafe(raw);
    const n = info.suiteFiles.length;
    this.line(environmentLine(info.environment, this.term.c));
    for (const note of info.environment.notes ?? []) this.line(this.term.c.yellow(`note: ${note}`));
    this.line(this.term.c.dim(`${n} suite ${n === 1 ? 'file' : 'files'}`));
  }

  onSuiteStart(raw: SuiteStartInfo): void {
    const info = terminalSafe(raw);
    const c = this.term.c;
    this.closePhase();
    this.line('');
    this.line(`${c.cyan('›')} ${c.bold(info.name)}  ${c.dim(info.file)}`);
  }

  onPhase(raw: PhaseInfo): void {
    const info = terminalSafe(raw);
    this.closePhase();
    this.phase = { file: info.file, name: info.phase, detail: info.detail, startedAt: this.now() };
    if (this.term.live) this.liveLine.draw(`  ${this.term.c.cyan('◦')} ${phaseLabel(this.phase)}`, true);
    else this.line(`  · ${phaseLabel(this.phase)}`);
  }

  onTrainingProgress(raw: TrainingProgressInfo): void {
    const info = terminalSafe(raw);
    const state = this.trainingState(info);
    state.last = info;
    if (info.validationIflops !== undefined) state.lastValidation = { iflops: info.validationIflops, standardError: info.validationStandardError };
    const eta = etaMs(state, this.now());
    if (this.term.live) {
      this.liveLine.draw(`  ${this.term.c.cyan('◦')} ${liveProgressText(info, eta, state.lastValidation)}`, false);
      return;
    }
    state.lastLogged = shouldLogPlain(state, info);
    if (state.lastLogged) this.line(`  ${plainProgressText(info, eta, state.lastValidation)}`);
  }

  /**
   * Steps of the open phase (ILFO, DeepSloth). They run synchronously, so no
   * timer could redraw meanwhile: the live line is redrawn here (at most every
   * REDRAW_MS); plain mode logs each new quarter.
   */
  onPhaseProgress(raw: PhaseProgressInfo): void {
    const info = terminalSafe(raw);
    const phase = this.phase;
    if (!phase || phase.file !== info.file || !(info.total > 0)) return;
    phase.steps ??= { last: info, loggedQuarter: 0 };
    phase.steps.last = info;
    if (this.term.live) {
      const eta = info.done < info.total ? linearEta(this.now() - phase.startedAt, info.done, info.total - info.done) : undefined;
      this.liveLine.draw(`  ${this.term.c.cyan('◦')} ${phaseLabel(phase)}  ${stepsText(info, true)}${etaText(eta)}`, false);
      return;
    }
    const quarter = Math.floor((info.done * 4) / info.total);
    if (quarter <= phase.steps.loggedQuarter) return;
    phase.steps.loggedQuarter = quarter;
    this.line(`    ${phase.name}${phase.detail ? ` ${methodOf(phase.detail)}` : ''} ${stepsText(info, false)}`);
  }

  /** A warning known before the suite ends (an early-stopping budget that cannot fire): printed at once. */
  onSuiteWarning(raw: SuiteWarningInfo): void {
    const info = terminalSafe(raw);
    const seen = this.warned.get(raw.file) ?? new Set<string>();
    this.warned.set(raw.file, seen.add(raw.warning.message));
    this.line(`  ${this.term.c.yellow(`! ${info.warning.message}`)}`);
  }

  onSuiteEnd(raw: SuiteResult): void {
    const result = terminalSafe(raw);
    const c = this.term.c;
    this.closePhase(result.status === 'error');
    this.line(suiteHeader(result, c));
    if (result.error) this.line(`    ${c.red(result.error.message.split('\n')[0] ?? '')}`);
    this.printMetrics(result);
    for (const l of extraLines(result)) this.line(c.dim(`    ${l}`));
    const training = trainingLine(result);
    if (training) this.line(c.dim(`    ${training}`));
    const seen = this.warned.get(raw.file);
    for (const [i, w] of (result.warnings ?? []).entries()) {
      if (!seen?.has(raw.warnings?.[i]?.message ?? '')) this.line(`    ${c.yellow(`! ${w.message}`)}`);
    }
  }

  async onRunEnd(result: RunResult): Promise<string[]> {
    this.closePhase();
    for (const l of summaryLines(terminalSafe(result), this.term.c)) this.line(l);
    return [];
  }

  /** Called by combineReporters once every reporter has written its files. */
  onReportsWritten(paths: string[]): void {
    for (const l of reportsLines(terminalSafe(paths), this.term.c)) this.line(l);
  }

  private trainingState(info: TrainingProgressInfo): TrainingState {
    const phase = this.phase;
    if (phase && phase.file === info.file && phase.name === TRAINING_PHASE) {
      phase.training ??= newTraining(info, this.now());
      return phase.training;
    }
    // Progress without its phase event (another runner): follow it as an unnamed phase.
    this.closePhase();
    this.phase = { file: info.file, name: TRAINING_PHASE, startedAt: this.now(), training: newTraining(info, this.now()) };
    return this.phase.training!;
  }

  /**
   * Ends the open phase. Live: its line is replaced by a permanent one with
   * the time it took. Plain: the last training step is logged if it was not.
   */
  private closePhase(crashed = false): void {
    const phase = this.phase;
    if (!phase) return;
    this.phase = undefined;
    const t = phase.training;
    if (this.term.live) {
      const c = this.term.c;
      const steps = phase.steps ? `  ${phase.steps.last.done}/${phase.steps.last.total} ${phase.steps.last.unit}` : '';
      const outcome = t?.last ? `  ${t.last.step}${t.last.totalSteps > 0 ? `/${t.last.totalSteps}` : ''} steps${validationText(t.lastValidation)}` : steps;
      const took = formatDuration(this.now() - phase.startedAt);
      this.line(`  ${crashed ? c.red('✗') : c.green('✓')} ${phaseLabel(phase)}${outcome}  ${c.dim(`(${took})`)}`);
    } else if (t?.last && !t.lastLogged) {
      this.line(`  ${plainProgressText(t.last, undefined, t.lastValidation)}`);
    }
  }

  private printMetrics(s: SuiteResult): void {
    const rows = metricRows(s);
    if (rows.length === 0) return;
    const labelWidth = Math.max(3, ...rows.map((r) => r.label.length));
    const widths = METRIC_COLUMNS.map((col, i) => Math.max(col.header.length, ...rows.map((r) => r.cells[i]!.text.length)));
    const header = ['set'.padEnd(labelWidth), ...METRIC_COLUMNS.map((col, i) => col.header.padStart(widths[i]!))];
    this.line(this.term.c.dim(`    ${header.join('  ')}`));
    for (const row of rows) {
      const cells = row.cells.map((cell, i) => cell.text.padStart(widths[i]!));
      this.line(`    ${row.label.padEnd(labelWidth)}  ${cells.join('  ')}`);
    }
  }

  private line(text: string): void {
    this.liveLine.clear();
    this.term.out.write(`${text}\n`);
  }
}

/**
 * The one line a terminal redraws in place. `\r` plus erase-line rewrites
 * it; a line wider than the terminal would wrap, and `\r` then returns only
 * to the last row, so it is cut to the width.
 */
class LiveLine {
  private open = false;
  private lastDraw = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly now: () => number,
  ) {}

  /** Draws unless the last draw was under REDRAW_MS ago; `force` draws regardless. */
  draw(text: string, force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = t;
    const columns = (this.out as { columns?: number }).columns;
    // biome-ignore lint/suspicious/noFocusedTests: fit() shortens a line to the terminal width; not a test
    this.out.write(`${CLEAR_LINE}${columns && columns > 1 ? fit(text, columns - 1) : text}`);
    this.open = true;
  }

  clear(): void {
    if (!this.open) return;
    this.out.write(CLEAR_LINE);
    this.open = false;
  }
}

function newTraining(info: TrainingProgressInfo, now: number): TrainingState {
  return { startedAt: now, startStep: info.step, loggedDecile: -1, lastLogged: false };
}

/**
 * The method a phase's detail names: baselines and refining label their
 * phase "<method>", "<method> (first 50 of 100 seeds)" or "<method>, 15
 * steps", so a progress line can say whose steps it counts.
 */
function methodOf(detail: string): string {
  return detail.split(/ \(|,/)[0] ?? detail;
}

function phaseLabel(p: { name: string; detail?: string }): string {
  return p.detail ? `${p.name}  ${p.detail}` : p.name;
}

/** Linear from the steps seen so far; unknown until two progress events came in. */
function etaMs(state: TrainingState, now: number): number | undefined {
  const last = state.last;
  if (!last || !(last.totalSteps > 0) || last.step <= state.startStep) return undefined;
  return linearEta(now - state.startedAt, last.step - state.startStep, last.totalSteps - last.step);
}

/** Time left at the pace so far: `elapsed` ms for `done` steps, `left` to go; unknown before a step. */
function linearEta(elapsed: number, done: number, left: number): number | undefined {
  return done > 0 ? Math.max(0, (elapsed / done) * left) : undefined;
}


function etaText(eta: number | undefined): string {
  return eta === undefined ? '' : `  ETA ${formatEta(eta)}`;
}

/** "training ███░░░ 45% 450/1000  ETA 12s  val I-FLOPs 35.2%  loss 0.3750". */
export function liveProgressText(info: TrainingProgressInfo, eta: number | undefined, validation: Validation | undefined): string {
  const known = info.totalSteps > 0;
  const bar = known ? `${progressBar(info.step / info.totalSteps)} ${Math.floor((info.step * 100) / info.totalSteps)}% ` : '';
  const steps = known ? `${info.step}/${info.totalSteps}` : `step ${info.step}`;
  return `training ${bar}${steps}${etaText(eta)}${validationText(validation)}  loss ${formatLoss(info.losses.total)}`;
}

/** "training step 450/1000 (45%)  ETA 12s  loss 0.3750  perf ...  lr 1e-3  val I-FLOPs 35.2% ± 1.1%". */
export function plainProgressText(info: TrainingProgressInfo, eta: number | undefined, validation: Validation | undefined): string {
  const known = info.totalSteps > 0;
  const total = known ? `/${info.totalSteps} (${Math.floor((info.step * 100) / info.totalSteps)}%)` : '';
  const l = info.losses;
  const losses = `loss ${formatLoss(l.total)}  perf ${formatLoss(l.perf)}  gan ${formatLoss(l.gan)}  pert ${formatLoss(l.pert)}`;
  const shownEta = known && info.step < info.totalSteps ? etaText(eta) : '';
  const rate = info.learningRate === undefined ? '' : `  lr ${formatRate(info.learningRate)}`;
  return `training step ${info.step}${total}${shownEta}  ${losses}${rate}${validationText(validation)}`;
}

/** Live: "███░░░ 40% 120/300 steps"; plain: "120/300 steps (40%)". */
function stepsText(info: PhaseProgressInfo, live: boolean): string {
  const pct = Math.floor((info.done * 100) / info.total);
  return live ? `${progressBar(info.done / info.total)} ${pct}% ${info.done}/${info.total} ${info.unit}` : `${info.done}/${info.total} ${info.unit} (${pct}%)`;
}

/** The first step, then each new tenth of the steps (every 100 steps when the total is unknown). */
function shouldLogPlain(state: TrainingState, info: TrainingProgressInfo): boolean {
  if (!(info.totalSteps > 0)) return info.step === 1 || info.step % 100 === 0;
  const decile = Math.floor((info.step * 10) / info.totalSteps);
  if (decile <= state.loggedDecile) return false;
  state.loggedDecile = decile;
  return true;
}

/** The text as is when it fits; else cut, without its colours (a cut could split an escape code). */
function fit(text: string, width: number): string {
  const chars = Array.from(stripVTControlCharacters(text));
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}
