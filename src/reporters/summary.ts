/**
 * Counts of a run, and the final summary the console and dot reporters both
 * print: every suite with each assertion's verdict, then the totals.
 */
import type { ChalkInstance } from 'chalk';
import type { AssertionResult, EnvironmentInfo, RunResult, SuiteResult } from '../results/index.js';
import { DASH, formatDuration } from './format.js';

export interface RunTotals {
  suites: { total: number; passed: number; failed: number; errored: number };
  assertions: { total: number; passed: number; failed: number; warned: number; skipped: number };
}

/** A failed assertion of level warn does not fail its suite; it is counted apart. */
export function isWarning(a: AssertionResult): boolean {
  return a.status === 'failed' && a.level === 'warn';
}

export function isFailure(a: AssertionResult): boolean {
  return a.status === 'failed' && a.level !== 'warn';
}

export function runTotals(run: RunResult): RunTotals {
  const t: RunTotals = {
    suites: { total: 0, passed: 0, failed: 0, errored: 0 },
    assertions: { total: 0, passed: 0, failed: 0, warned: 0, skipped: 0 },
  };
  for (const suite of run.suites) {
    t.suites.total++;
    if (suite.status === 'passed') t.suites.passed++;
    else if (suite.status === 'failed') t.suites.failed++;
    else t.suites.errored++;
    for (const a of suite.assertions) {
      t.assertions.total++;
      if (a.status === 'passed') t.assertions.passed++;
      else if (a.status === 'skipped') t.assertions.skipped++;
      else if (isWarning(a)) t.assertions.warned++;
      else t.assertions.failed++;
    }
  }
  return t;
}

// ---- text shared by the console and dot reporters ----

/** "deepperform 0.1.0 · backend wasm · node v20 · linux-x64 · CPU (2 cores)". */
export function environmentLine(e: EnvironmentInfo, c: ChalkInstance): string {
  const parts = [
    c.bold(`deepperform ${e.toolVersion}`),
    `backend ${e.backend}`,
    `node ${e.node}`,
    e.platform,
    `${e.cpu} (${e.cpuCount} ${e.cpuCount === 1 ? 'core' : 'cores'})`,
  ];
  return parts.join(c.dim(' · '));
}

export function suiteHeader(s: SuiteResult, c: ChalkInstance): string {
  const icon = s.status === 'passed' ? c.green('✓') : s.status === 'failed' ? c.red('✗') : c.red.bold('✗ ERROR');
  return `${icon} ${c.bold(s.name)}  ${c.dim(s.file)}  ${c.dim(`(${formatDuration(s.durationMs)})`)}`;
}

/** ✓ passed, ✗ failed, ! failed at level warn, - skipped (with why); a failure's message on the next line. */
export function assertionLines(a: AssertionResult, c: ChalkInstance): string[] {
  if (a.status === 'skipped') {
    const why = a.message ? `: ${a.message}` : '';
    return [`${c.yellow('-')} ${a.source}  ${c.yellow(`skipped${why}`)}`];
  }
  const compare = `expected ${a.expected}, found ${a.actual ?? DASH}`;
  if (a.status === 'passed') return [`${c.green('✓')} ${a.source}  ${c.dim(compare)}`];
  const warn = isWarning(a);
  const paint = warn ? c.yellow : c.red;
  const head = `${paint(warn ? '!' : '✗')} ${paint(a.source)}  ${compare}${warn ? `  ${c.yellow('(warning)')}` : ''}`;
  return a.message ? [head, `  ${paint(a.message)}`] : [head];
}

/** The frames of a V8 stack; its first line repeats the message, which is printed apart. */
export function stackFrames(error: { message: string; stack?: string }): string[] {
  const stack = error.stack ?? '';
  const frames = stack.split('\n').filter((l) => /^\s*at /.test(l));
  return frames.length > 0 ? frames.map((l) => l.trim()) : stack ? stack.split('\n') : [];
}

/** One block per suite (header, then each assertion or the crash), then totals and time. */
export function summaryLines(run: RunResult, c: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const s of run.suites) {
    lines.push('', suiteHeader(s, c));
    if (s.error) {
      lines.push(...indent(s.error.message.split('\n').map((l) => c.red(l)), 4));
      lines.push(...indent(stackFrames(s.error).map((l) => c.dim(l)), 6));
    }
    for (const w of s.warnings ?? []) lines.push(...indent([`${c.yellow('!')} ${c.yellow(w.message)}`], 4));
    for (const a of s.assertions) lines.push(...indent(assertionLines(a, c), 4));
    if (!s.error && s.assertions.length === 0) lines.push(c.dim('    (no assertions)'));
  }
  return [...lines, '', ...totalsLines(run, c)];
}

export function totalsLines(run: RunResult, c: ChalkInstance): string[] {
  const t = runTotals(run);
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
  const status = run.status === 'passed' ? c.bold.green('PASSED') : c.bold.red('FAILED');
  return [
    `${label(' Suites', c)}${suites} ${c.dim(`(${t.suites.total})`)}`,
    `${label(' Assertions', c)}${asserts} ${c.dim(`(${t.assertions.total})`)}`,
    `${label(' Time', c)}${formatDuration(run.durationMs)}`,
    `${label(' Result', c)}${status}`,
  ];
}

/** The "Reports" line listing the files written, or nothing. */
export function reportsLines(paths: readonly string[], c: ChalkInstance): string[] {
  return paths.length === 0 ? [] : [`${label(' Reports', c)}${paths.join(', ')}`];
}

function label(text: string, c: ChalkInstance): string {
  return c.dim(text.padEnd(12));
}

function joinCounts(parts: (string | 0)[]): string {
  const shown = parts.filter((p): p is string => typeof p === 'string' && p.length > 0);
  return shown.length > 0 ? shown.join(' | ') : 'none';
}

export function indent(lines: string[], n: number): string[] {
  const pad = ' '.repeat(n);
  return lines.map((l) => pad + l);
}
