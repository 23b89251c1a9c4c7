/**
 * Errors of the programmatic API's metric lookup. Each message is written for
 * the developer reading a failed test, so it says what to write instead.
 */

import { UserError } from '../util/errors.js';

/** A metric name that the assertion grammar does not know. */
export class UnknownMetricError extends UserError {
  override readonly name = 'UnknownMetricError';

  constructor(
    readonly metric: string,
    readonly known: readonly string[],
  ) {
    super(`unknown metric "${metric}"; known metrics: ${known.join(', ')}`);
  }
}

/** A known metric asked for in a shape it does not have (a missing or extra aggregate, a method for a seed metric). */
export class MetricArgumentError extends UserError {
  override readonly name = 'MetricArgumentError';
}

/** A known metric this suite has no value for: not measured here, a method that did not run, a crashed suite. */
export class MetricUnavailableError extends UserError {
  override readonly name = 'MetricUnavailableError';

  constructor(
    readonly metric: string,
    readonly reason: string,
  ) {
    super(`${metric} is not available: ${reason}`);
  }
}
