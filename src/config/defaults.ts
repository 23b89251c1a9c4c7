/**
 * The settings a run uses when neither a flag, an API option nor the config
 * file names them: written once here for the CLI, the programmatic API,
 * deepperform/vitest, the help text and the starter config.
 */

/** The config files looked for in the working directory, in this order (when no --config names one). */
export const CONFIG_FILES: readonly string[] = ['deepperform.config.ts', 'deepperform.config.mts', 'deepperform.config.js', 'deepperform.config.mjs'];

/** Suite files, folders or globs when none are given: the `suites` folder. */
export const DEFAULT_INCLUDE: readonly string[] = ['suites'];
/** The CLI's reporters (the API prints nothing unless given reporters). */
export const DEFAULT_REPORTERS: readonly string[] = ['console', 'junit', 'html'];
/** Folder for report files, relative to the working directory. */
export const DEFAULT_OUTPUT_DIR = 'reports';
/** Where trained generators and baseline outputs are cached, relative to the working directory. */
export const DEFAULT_CACHE_DIR = '.deepperform-cache/generators';
/** The environment variable that names the cache when no flag, option or config key does. */
export const CACHE_DIR_ENV = 'DEEPPERFORM_CACHE_DIR';
