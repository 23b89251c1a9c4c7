/**
 * The names of the methods a result holds (MethodResult.method): the ways of
 * producing test inputs that a run measures and an assertion can name.
 */

/** DeepPerform's generator: the method an assertion reads when it names none. */
export const DEFAULT_METHOD = 'deepperform';

/** The generator's inputs refined per input by gradient steps (`generator.refine`). */
export const REFINE_METHOD = 'deepperform-refine';

/**
 * The baselines a suite may list. The suite schema's `baselines` enum and the
 * baselines' own registry hold the same names; methods.test.ts checks that
 * the three agree.
 */
export const BASELINE_METHODS: readonly string[] = ['random', 'ilfo', 'ilfo-paper-code', 'deepsloth'];

/**
 * The method every run has besides the ones it lists: per seed, the most
 * expensive input any method of the run produced (src/measure/worst-case.ts).
 */
export const WORST_CASE = 'worst-case';
