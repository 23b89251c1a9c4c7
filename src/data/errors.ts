import { UserError } from '../util/errors.js';

/**
 * A problem with a user's data: a missing, truncated or malformed file, or a
 * dataset request that cannot be met. The CLI maps it to exit code 2
 * (configuration or usage error), so the message must tell the user what to fix.
 */
export class DataError extends UserError {
  /** The file or folder at fault, when there is one (absent for e.g. an unknown dataset name). */
  readonly file: string | undefined;

  constructor(file: string | undefined, detail: string) {
    super(file === undefined ? detail : `${file}: ${detail}`);
    this.name = 'DataError';
    this.file = file;
  }
}
