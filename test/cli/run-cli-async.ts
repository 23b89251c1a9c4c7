import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, type CliResult } from '../helpers/cli.js';

/**
 * runCli without blocking the test worker: a long spawnSync starves vitest's
 * worker RPC ("Timeout calling onTaskUpdate"), and independent runs can
 * overlap. Same environment as runCli: CI-style plain output, no colour.
 */
export function runCliAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), ...args], {
      cwd,
      env: { ...process.env, CI: '1', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
