import { UserError } from '../util/errors.js';

/** A reporter name or option the user gave that cannot be honoured. */
export class ReporterError extends UserError {
  constructor(
    message: string,
    readonly reporter: string,
    readonly known: readonly string[],
  ) {
    super(message);
    this.name = 'ReporterError';
  }
}
