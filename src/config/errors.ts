import { isAbsolute, relative } from 'node:path';
import { UserError } from '../util/errors.js';

/** One thing wrong with a config file: the key path (e.g. "reporters[1]") and what is wrong. */
export interface ConfigProblem {
  key: string;
  message: string;
}

/**
 * A config file that cannot be used: missing, failing to load, or holding
 * keys and values deepperform does not accept. Every problem is reported
 * at once. The CLI maps it to exit code 2.
 */
export class ConfigError extends UserError {
  override readonly name = 'ConfigError';

  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    // The message is relative to the process's directory; commands show messageFrom(io.cwd), the API rethrows with it (api/run.ts).
    super(formatConfigProblems(file, problems, process.cwd()));
  }

  override messageFrom(cwd: string): string {
    return formatConfigProblems(this.file, this.problems, cwd);
  }
}

function formatConfigProblems(file: string, problems: readonly ConfigProblem[], cwd: string): string {
  return problems.map((p) => `${shown(file, cwd)}: ${p.key === '' ? '' : `${p.key}: `}${p.message}`).join('\n');
}

/** Relative to `cwd` when inside it, else as given. */
function shown(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
