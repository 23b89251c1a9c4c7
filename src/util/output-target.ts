import { constants } from 'node:fs';
import { access, lstat, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Stats } from 'node:fs';

/**
 * Whether a path may be written: checked before a run starts, so a bad
 * report or cache path is an error up front (exit 2) rather than after the
 * suites ran, and checked again just before a report is written.
 *
 * A report file is only ever a regular file or a new path. Anything else is
 * refused: writing "over" a device node, a FIFO or a socket would replace it
 * (the atomic write renames a new file over the path: as root, /dev/null
 * would become a regular file), a symbolic link would be replaced by a file
 * rather than followed, and a folder cannot be written.
 */

/** Why `path` cannot be written as a file, or undefined when it can. */
export async function fileTargetProblem(path: string): Promise<string | undefined> {
  const info = await lstat(path).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) return info.code === 'ENOENT' || info.code === 'ENOTDIR' ? creatableProblem(path) : `cannot be read (${info.code})`;
  if (!info.isFile()) {
    const hint = info.isSymbolicLink() ? ' (name the file it points to instead)' : '';
    return `is ${kindOf(info)}, not a regular file; reports replace only regular files or create new ones${hint}`;
  }
  if (!(await canAccess(path, constants.W_OK))) return 'is not writable';
  // The write goes to a temporary file beside it, renamed over it: its folder must be writable too.
  if (!(await canAccess(dirname(path), constants.W_OK | constants.X_OK))) return `is in ${dirname(path)}, a folder that is not writable`;
  return undefined;
}

/** Why `path` cannot be used as a folder to write in (created when missing), or undefined when it can. */
export async function dirTargetProblem(path: string): Promise<string | undefined> {
  // A symbolic link to a folder is a folder here: the files go inside it.
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) return info.code === 'ENOENT' || info.code === 'ENOTDIR' ? creatableProblem(path) : `cannot be read (${info.code})`;
  if (!info.isDirectory()) return `is ${kindOf(info)}, not a folder`;
  if (!(await canAccess(path, constants.W_OK | constants.X_OK))) return 'is a folder that is not writable';
  return undefined;
}

/** A path that does not exist yet: its nearest existing ancestor must be a folder we may create things in. */
async function creatableProblem(path: string): Promise<string | undefined> {
  let at = dirname(path);
  for (;;) {
    const info = await stat(at).catch((e: NodeJS.ErrnoException) => e);
    if (!(info instanceof Error)) {
      if (!info.isDirectory()) return `cannot be created: ${at} is ${kindOf(info)}, not a folder`;
      if (!(await canAccess(at, constants.W_OK | constants.X_OK))) return `cannot be created: ${at} is not writable`;
      return undefined;
    }
    if (info.code !== 'ENOENT' && info.code !== 'ENOTDIR') return `cannot be created: ${at} cannot be read (${info.code})`;
    const up = dirname(at);
    if (up === at) return `cannot be created: no folder of it exists`;
    at = up;
  }
}

function kindOf(info: Stats): string {
  if (info.isFile()) return 'a file';
  if (info.isDirectory()) return 'a folder';
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

async function canAccess(path: string, mode: number): Promise<boolean> {
  return access(path, mode).then(
    () => true,
    () => false,
  );
}
