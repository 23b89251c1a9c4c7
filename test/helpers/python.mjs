/**
 * The Python the tests and bench scripts call (the PyTorch reference peer,
 * the ONNX exporter, scipy's MAT writer): $DEEPPERFORM_PYTHON, else Debian's
 * /usr/bin/python3.11, which has python3-torch. Plain JavaScript, so the
 * bench's .mjs scripts share it with the TypeScript tests.
 */
import { spawnSync } from 'node:child_process';
import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** This folder: torch_peer.py (random weights, a safetensors writer) and ranet_torch.py live here. */
const HELPERS = dirname(fileURLToPath(import.meta.url));

/**
 * Runs a PyTorch parity script (`python -c script ...args`) with this folder on PYTHONPATH, so it can
 * `from torch_peer import ...`.
 * @param {string} script
 * @param {...string} args
 */
export function runTorch(script, ...args) {
  const path = [HELPERS, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
  return spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: path } });
}
