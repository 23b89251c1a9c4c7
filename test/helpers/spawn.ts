import { spawn, type SpawnOptions } from 'node:child_process';

export interface SpawnResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * spawnSync's result without blocking the test worker: a worker held for
 * seconds by a child process misses vitest's RPC ("Timeout calling
 * onTaskUpdate") on a loaded machine. A child still running after
 * `timeoutMs` is killed (status null), as spawnSync's `timeout` does.
 */
export function spawnAsync(command: string, args: string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<SpawnResult> {
  const { timeoutMs, ...rest } = options;
  return new Promise((done, fail) => {
    const child = spawn(command, args, { ...rest, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}
