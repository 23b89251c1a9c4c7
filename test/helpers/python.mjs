/**
 * The Python the tests and bench scripts call (the PyTorch reference peer,
 * the ONNX exporter, scipy's MAT writer): $DEEPPERFORM_PYTHON, else Debian's
 * /usr/bin/python3.11, which has python3-torch. Plain JavaScript, so the
 * bench's .mjs scripts share it with the TypeScript tests.
 */
import { spawnSync } from 'node:child_process';

/** @type {string} */
export const PYTHON = process.env.DEEPPERFORM_PYTHON || '/usr/bin/python3.11';

/** @type {Map<string, boolean>} */
const found = new Map();

/**
 * Whether PYTHON can import every one of `modules` (asked once per set).
 * @param {...string} modules
 * @returns {boolean}
 */
export function pythonHas(...modules) {
  const key = modules.join(',');
  let ok = found.get(key);
  if (ok === undefined) {
    ok = spawnSync(PYTHON, ['-c', `import ${key}`], { stdio: 'ignore' }).status === 0;
    found.set(key, ok);
  }
  return ok;
}

/** Whether PYTHON has PyTorch: the parity tests are skipped, saying so, without it. */
export function hasTorch() {
  return pythonHas('torch');
}
