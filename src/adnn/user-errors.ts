import { UserError } from '../util/errors.js';

/** A user module that cannot be loaded, does not implement the AdNN contract, hangs or ends the process (exit code 2). */
export class UserModelError extends UserError {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'UserModelError';
  }
}
