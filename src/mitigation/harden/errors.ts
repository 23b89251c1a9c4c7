import { UserError } from '../../util/errors.js';

/**
 * A retraining request that cannot be carried out as asked (a model the
 * command cannot harden, an output folder that would lose files, ...). The
 * message is meant for the user; the CLI maps it to exit code 2.
 */
export class HardenError extends UserError {
  override readonly name = 'HardenError';
}
