/** The error every part of the assertion grammar throws. */

import { UserError } from '../util/errors.js';

/** Which field of a map-form assertion is at fault ('expression' for the string form and `assert:`). */
export type AssertionPart = 'expression' | 'metric' | 'value' | 'against' | 'offset';

/** A malformed assertion; `index` is the offending character in the text that was parsed. */
export class AssertionSyntaxError extends UserError {
  readonly index: number;
  readonly part: AssertionPart;

  constructor(message: string, index: number, part: AssertionPart = 'expression') {
    super(message);
    this.name = 'AssertionSyntaxError';
    this.index = index;
    this.part = part;
  }
}

export function firstNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}
