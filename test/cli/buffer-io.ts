import { Writable } from 'node:stream';
import type { CommandIO } from '../../src/cli/io.js';

export interface BufferIO extends CommandIO {
  out(): string;
  err(): string;
}

/** A command's IO captured in memory, with CI-style plain output, for in-process tests. */
export function bufferIO(cwd: string, env: NodeJS.ProcessEnv = {}): BufferIO {
  const sink = () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer | string, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    return { stream, text: () => chunks.join('') };
  };
  const stdout = sink();
  const stderr = sink();
  return {
    cwd,
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { CI: '1', NO_COLOR: '1', ...env },
    out: stdout.text,
    err: stderr.text,
  };
}
