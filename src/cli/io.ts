/**
 * Where a command reads its working directory and environment and writes
 * its output. The CLI passes the process's own; tests pass buffers, so a
 * command can be checked in-process without spawning node.
 */
export interface OutputStream extends NodeJS.WritableStream {
  isTTY?: boolean;
}

export interface CommandIO {
  cwd: string;
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
}

export function processIO(): CommandIO {
  return { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env };
}
