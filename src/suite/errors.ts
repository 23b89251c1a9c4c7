import { isAbsolute, relative } from 'node:path';
import { codeFrame, sourceLines } from './code-frame.js';
import { UserError } from '../util/errors.js';

/** One thing wrong with a suite file, at a 1-based line and column. */
export interface SuiteProblem {
  line: number;
  column: number;
  /** Key path of the offending entry, e.g. "generator.train.stepz" or "assertions[2]"; '' for the whole file. */
  path: string;
  /** What is wrong, in plain words. */
  message: string;
}

/**
 * A suite file that cannot be used: YAML syntax, schema violations, malformed
 * assertions (and a suite's saved result file that is corrupt or stale).
 * Carries every problem found, not just the first, so a user fixes them in
 * one go. The CLI maps it to exit code 2.
 */
export class SuiteError extends UserError {
  /** Absolute path of the file at fault. */
  readonly file: string;
  readonly problems: SuiteProblem[];
  /** The file's text, when known: the message then shows a code frame under each problem. */
  readonly source?: string;

  constructor(file: string, problems: SuiteProblem[], source?: string) {
    // The message is relative to the process's directory; commands show messageFrom(io.cwd), the API rethrows with it (api/run.ts).
    super(formatProblems(file, problems, source));
    this.name = 'SuiteError';
    this.file = file;
    this.problems = problems;
    if (source !== undefined) this.source = source;
  }

  override messageFrom(cwd: string): string {
    return formatProblems(this.file, this.problems, this.source, cwd);
  }
}


/** Problems spelled out in a message; the rest are counted (all stay in SuiteError.problems). */
export const MAX_SHOWN_PROBLEMS = 20;

/**
 * One line per problem, `file:line:col  path: message`, the file shown
 * relative to the working directory `cwd` (default the process's) when
 * inside it. Given the file's text, each problem is followed by its code
 * frame and a blank line separates them.
 * At most MAX_SHOWN_PROBLEMS are shown, then "and N more problems".
 */
export function formatProblems(file: string, problems: readonly SuiteProblem[], source?: string, cwd = process.cwd()): string {
  const shown = displayPath(file, cwd);
  const head = (p: SuiteProblem): string => `${shown}:${p.line}:${p.column}  ${p.path === '' ? '' : `${p.path}: `}${p.message}`;
  const listed = problems.slice(0, MAX_SHOWN_PROBLEMS);
  const rest = problems.length - listed.length;
  const more = rest > 0 ? [`${shown}: and ${rest.toLocaleString('en-US')} more problem${rest === 1 ? '' : 's'}`] : [];
  if (source === undefined) return [...listed.map(head), ...more].join('\n');
  const lines = sourceLines(source);
  const blocks = listed.map((p) => {
    const frame = codeFrame(lines, p.line, p.column);
    return frame === '' ? head(p) : `${head(p)}\n${frame}`;
  });
  return [...blocks, ...more].join('\n\n');
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
