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
    super(problems.map((p) => `${shown(file)}: ${p.key === '' ? '' : `${p.key}: `}${p.message}`).join('\n'));
  }
}

function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
