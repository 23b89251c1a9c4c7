/**
 * Every call into a user module goes through here: under a timeout, and
 * with process.exit() turned into an error, so a module can neither hang a
 * run nor end it as a success.
 *
 * Synchronous calls (soft, run, ...) run inside a vm script with `timeout`:
 * V8's watchdog terminates JavaScript that runs past it, whichever function
 * the script called, so even an endless loop in the module is stopped. An
 * async factory's promise is raced against a timer, which also keeps the
 * event loop alive: a promise that never settles would otherwise let Node
 * exit with code 13 and nothing said. A timed-out call may leave tfjs
 * mid-operation, so it stops the run (UserModelError, exit code 2) rather
 * than failing one suite.
 */
import vm from 'node:vm';
import { UserModelError } from './user-errors.js';

export interface CallSite {
  /** The module file. */
  file: string;
  /** The call as the user would name it: 'soft()', 'run()', 'export "default"'. */
  call: string;
  timeoutMs: number;
}

/** An error a user module's own code threw; the suite crashes with it (exit 3), the module and call named. */
export class UserModuleCallError extends Error {
  override readonly name = 'UserModuleCallError';
  /** The call and what it threw, without the file: "soft() threw: ...". */
  readonly detail: string;
  constructor(site: CallSite, cause: unknown) {
    const detail = `${site.call} threw: ${cause instanceof Error ? cause.message : String(cause)}`;
    super(`${site.file}: ${detail}`, { cause });
    this.detail = detail;
  }
}

const context = vm.createContext({ call: undefined as (() => unknown) | undefined });
const script = new vm.Script('call()', { filename: 'deepperform-user-call' });

/** Calls `fn` (which calls into the module) under the site's timeout, with process.exit intercepted. */
export function callSync<T>(site: CallSite, fn: () => T): T {
  const realExit = process.exit;
  let exitCode: string | number | null | undefined;
  let exited = false;
  process.exit = ((code?: string | number | null) => {
    exited = true;
    exitCode = code;
    throw exitError(site, code);
  }) as typeof process.exit;
  let result: T;
  try {
    context.call = fn;
    result = script.runInContext(context, { timeout: site.timeoutMs }) as T;
  } catch (e) {
    if (exited) throw exitError(site, exitCode);
    if ((e as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw timeoutError(site);
    if (e instanceof UserModelError) throw e;
    throw new UserModuleCallError(site, e);
  } finally {
    process.exit = realExit;
    context.call = undefined;
  }
  // The module may have caught the error process.exit threw: the call still ends the run.
  if (exited) throw exitError(site, exitCode);
  return result;
}

/** As callSync; when the call returns a promise, it must settle within what is left of the timeout. */
export async function callAsync<T>(site: CallSite, fn: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  const value = callSync(site, fn);
  if (!isThenable(value)) return value;
  const left = Math.max(0, site.timeoutMs - (performance.now() - started));
  return settleWithin(site, value, left);
}

/** A promise from the module, with a timer that fails it when it does not settle in time. */
export async function settleWithin<T>(site: CallSite, promise: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(site)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(promise), timeout]);
  } catch (e) {
    if (e instanceof UserModelError) throw e;
    throw new UserModuleCallError(site, e);
  } finally {
    clearTimeout(timer);
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function timeoutError(site: CallSite): UserModelError {
  const seconds = Number((site.timeoutMs / 1000).toPrecision(3));
  return new UserModelError(site.file, `${site.call} did not finish within ${seconds} s and was stopped (a longer limit: model.timeout in the suite)`);
}

function exitError(site: CallSite, code: unknown): UserModelError {
  return new UserModelError(site.file, `${site.call} called process.exit(${code === undefined ? '' : String(code)}); a model must return or throw, never end the process`);
}
