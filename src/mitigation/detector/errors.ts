/**
 * The detector's user-facing errors. The CLI maps them to exit code 2 by
 * instanceof UserError (src/util/errors.ts), so every message says what and where.
 */

import { UserError } from '../../util/errors.js';

/** The model cannot give the detector its features: it has no firstConv. */
export class DetectorFeatureError extends UserError {
  override readonly name = 'DetectorFeatureError';
}

/** A detector file that cannot be read, is not one, or is damaged. */
export class DetectorFileError extends UserError {
  override readonly name = 'DetectorFileError';

  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** A detector used in front of a model it was not trained for. */
export class DetectorMismatchError extends UserError {
  override readonly name = 'DetectorMismatchError';
}

/** Detector settings or data that cannot train or evaluate a detector (too few seeds, one class only ...). */
export class DetectorOptionsError extends UserError {
  override readonly name = 'DetectorOptionsError';
}
