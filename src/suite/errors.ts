import { isAbsolute, relative } from 'node:path';

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
 * assertions. Carries every problem found, not just the first, so a user fixes
 * them in one go. The CLI maps it to exit code 2.
 */
export class SuiteError extends Error {
  /** Absolute path of the suite file. */
  readonly file: string;
  readonly problems: SuiteProblem[];

  constructor(file: string, problems: SuiteProblem[]) {
    super(formatProblems(file, problems));
    this.name = 'SuiteError';
    this.file = file;
    this.problems = problems;
  }
}

/** Bad command-line input, e.g. a suite path that does not exist. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One line per problem: `file:line:col  path: message`, the path shown relative to the working directory when inside it. */
export function formatProblems(file: string, problems: readonly SuiteProblem[]): string {
  const shown = displayPath(file);
  return problems
    .map((p) => `${shown}:${p.line}:${p.column}  ${p.path === '' ? '' : `${p.path}: `}${p.message}`)
    .join('\n');
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
