/**
 * The quiet reporter: one character per suite as it ends (· passed,
 * x failed, E crashed), coloured on a terminal, then the same final summary
 * as the console reporter. Nothing else is printed while suites run; user
 * strings in the summary are escaped (terminalSafe), as in the console.
 */
import type { Reporter, RunResult, RunStartInfo, SuiteResult } from '../results/index.js';
import { terminalSafe } from './escape.js';
import { environmentLine, reportsLines, summaryLines } from './summary.js';
import { openTerminal, type Terminal, type TerminalOptions } from './terminal.js';

export type DotReporterOptions = TerminalOptions;

/** Dots per line before a line break, so a long run stays readable in a log. */
const DOTS_PER_LINE = 80;

export const DOT_CHARS: Record<SuiteResult['status'], string> = { passed: '·', failed: 'x', error: 'E' };

export class DotReporter implements Reporter {
  private readonly term: Terminal;
  private dotsOnLine = 0;

  constructor(options: DotReporterOptions = {}) {
    this.term = openTerminal(options);
  }

  onRunStart(info: RunStartInfo): void {
    this.term.out.write(`${environmentLine(terminalSafe(info.environment), this.term.c)}\n\n`);
  }

  onSuiteEnd(result: SuiteResult): void {
    const c = this.term.c;
    const char = DOT_CHARS[result.status] ?? '?';
    const painted = result.status === 'passed' ? c.green(char) : c.red(char);
    if (this.dotsOnLine === DOTS_PER_LINE) this.endDots();
    this.term.out.write(painted);
    this.dotsOnLine++;
  }

  async onRunEnd(result: RunResult): Promise<string[]> {
    this.endDots();
    for (const l of summaryLines(terminalSafe(result), this.term.c)) this.term.out.write(`${l}\n`);
    return [];
  }

  onReportsWritten(paths: string[]): void {
    for (const l of reportsLines(terminalSafe(paths), this.term.c)) this.term.out.write(`${l}\n`);
  }

  private endDots(): void {
    if (this.dotsOnLine === 0) return;
    this.term.out.write('\n');
    this.dotsOnLine = 0;
  }
}
