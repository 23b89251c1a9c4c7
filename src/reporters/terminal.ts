/**
 * What the console and dot reporters decide about their output stream:
 * live (a terminal, not CI: redrawn lines and colour) or plain (CI or a
 * pipe: whole lines only, no ANSI codes, no carriage returns).
 */
import chalk, { Chalk, type ChalkInstance, type ColorSupportLevel } from 'chalk';

export interface TerminalOptions {
  stdout?: NodeJS.WritableStream;
  /** Whether the stream is a terminal; defaults to the stream's own isTTY. */
  isTTY?: boolean;
  /** Read for CI, NO_COLOR and FORCE_COLOR; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Overrides the colour decision (tests). */
  colorLevel?: ColorSupportLevel;
}

export interface Terminal {
  out: NodeJS.WritableStream;
  /** A terminal outside CI: progress may redraw a line in place. */
  live: boolean;
  c: ChalkInstance;
}

export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * FORCE_COLOR wins, read as chalk reads it ("", "true" or "1": 16 colours,
 * "2": 256, "3": truecolor, "0" or "false": none). Otherwise NO_COLOR
 * (no-color.org: set and non-empty) and plain output mean no colour: chalk
 * alone would colour CI logs (it detects GitHub Actions, for one), and plain
 * output promises no escape codes. A live terminal gets what chalk detects.
 */
export function colorLevelFor(env: NodeJS.ProcessEnv, live: boolean): ColorSupportLevel {
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === 'true') return 1;
    if (force === 'false') return 0;
    const n = Number.parseInt(force, 10);
    return Number.isNaN(n) ? 1 : (Math.min(Math.max(n, 0), 3) as ColorSupportLevel);
  }
  if (env.NO_COLOR || !live) return 0;
  return chalk.level;
}

export function openTerminal(options: TerminalOptions = {}): Terminal {
  const env = options.env ?? process.env;
  const out = options.stdout ?? process.stdout;
  const tty = options.isTTY ?? (out as { isTTY?: boolean }).isTTY === true;
  const live = tty && !isCI(env);
  return { out, live, c: new Chalk({ level: options.colorLevel ?? colorLevelFor(env, live) }) };
}
