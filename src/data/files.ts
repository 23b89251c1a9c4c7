import { readFile, stat } from 'node:fs/promises';
import { DataError } from './errors.js';

/** Reads a whole file, turning file-system errors into a DataError that names it. */
export async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(e)})`;
    throw new DataError(file, why);
  }
}

/** Size in bytes of a regular file, or undefined when there is none at `path`. */
export async function fileSize(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? info.size : undefined;
}

export async function isFile(path: string): Promise<boolean> {
  return (await fileSize(path)) !== undefined;
}

export async function isDirectory(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ?? false;
}

// A table keeps the division out of the per-pixel loop (47M pixels for Fashion-MNIST train, 154M for CIFAR-10).
export const UNIT: Float32Array = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/** Bytes 0..255 to float32 in [0, 1], same order. */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = UNIT[bytes[i]];
  return out;
}
