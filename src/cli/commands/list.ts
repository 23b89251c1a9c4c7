import { relative } from 'node:path';
import { terminalText } from '../../reporters/index.js';
import type { Shard } from '../../runner/index.js';
import { modelLabel, type Suite } from '../../suite/index.js';
import { EXIT } from '../../util/errors.js';
import { processIO, type CommandIO } from '../io.js';
import { count, selectForCommand } from '../selection.js';
import { resolveSettings } from '../../settings/index.js';
import { noSuites } from './run.js';

export interface ListFlags {
  config?: string;
  testNamePattern?: RegExp;
  shard?: Shard;
  json?: boolean;
  passWithNoTests?: boolean;
}

/** One line of `list --json`. */
export interface ListedSuite {
  /** Relative to the working directory, forward slashes. */
  file: string;
  name: string;
  /** Zoo architecture, or the file name of the user's module. */
  model: string;
  norm: 'linf' | 'l2';
  epsilon: number;
  threshold: number;
  seed: number;
  assertions: number;
}

/** `deepperform list`: the suites `run` would run with the same paths, -t and --shard; nothing is trained. */
export async function listCommand(paths: string[], flags: ListFlags, io: CommandIO = processIO()): Promise<number> {
  const { cwd } = io;
  const settings = await resolveSettings({ config: flags.config }, cwd, io.env);
  const { suites, emptyReason } = await selectForCommand(paths, settings, flags, cwd);
  const listed = suites.map((s) => describe(s, cwd));
  if (flags.json) {
    // stdout carries only the JSON array, even when it is empty.
    if (suites.length === 0 && !flags.passWithNoTests) noSuites(emptyReason ?? 'no suites selected', false, io);
    io.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
    return EXIT.pass;
  }
  if (suites.length === 0) return noSuites(emptyReason ?? 'no suites selected', flags.passWithNoTests, io);
  io.stdout.write(table(listed));
  const shard = flags.shard ? ` (shard ${flags.shard.index}/${flags.shard.total})` : '';
  io.stdout.write(`\n${count(listed.length)}${shard}\n`);
  return EXIT.pass;
}

function describe(suite: Suite, cwd: string): ListedSuite {
  const m = suite.model;
  return {
    file: relative(cwd, suite.file).split('\\').join('/'),
    name: suite.name,
    model: modelLabel(m),
    norm: suite.norm,
    epsilon: suite.epsilon,
    threshold: suite.threshold,
    seed: suite.seed,
    assertions: suite.assertions.length,
  };
}

function table(rows: readonly ListedSuite[]): string {
  const head = ['FILE', 'NAME', 'MODEL', 'NORM', 'EPSILON', 'ASSERTIONS'];
  // Names and paths are the user's: escaped, so a name cannot colour the table or start a row of its own.
  const body = rows.map((r) => [terminalText(r.file), terminalText(r.name), terminalText(r.model), r.norm, formatEpsilon(r.epsilon), String(r.assertions)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[line(head), ...body.map(line)].join('\n')}\n`;
}

/** 0.03137254901960784 reads better as 8/255: show a fraction of 255 when it is one. */
function formatEpsilon(e: number): string {
  const k = e * 255;
  const near = (x: number) => Math.abs(x - Math.round(x)) < 1e-9;
  if (near(k) && Math.round(k) !== 255 && !near(e * 100)) return `${Math.round(k)}/255`;
  return String(Number(e.toPrecision(6)));
}
