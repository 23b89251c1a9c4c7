import { readdirSync, readFileSync } from 'node:fs';

/** Reads a whole sysfs attribute; a parameter so tests can simulate root-only files. */
export type ReadText = (path: string) => string;

export const readTextFile: ReadText = (path) => readFileSync(path, 'utf8');

/** Entries of a directory, or undefined when it does not exist or cannot be listed. */
export function listDir(path: string): string[] | undefined {
  try {
    return readdirSync(path).sort();
  } catch {
    return undefined;
  }
}

/** A sysfs attribute as a number; throws with the reason in plain words. */
export function readNumber(read: ReadText, path: string): number {
  const text = read(path).trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new Error(`${path}: not a number: "${text}"`);
  return value;
}

/** The attribute's text, or undefined when it is missing or unreadable. */
export function tryReadText(read: ReadText, path: string): string | undefined {
  try {
    return read(path).trim();
  } catch {
    return undefined;
  }
}

/** "permission denied (EACCES)" and the like, for reasons shown to users. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  if (code === 'ENOENT') return 'missing (ENOENT)';
  if (code) return `${code}`;
  return error instanceof Error ? error.message : String(error);
}

export function isPermissionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM';
}
