import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * A folder written beside its final place and renamed in, with a checksum of
 * its files: a half-written or corrupted folder is detected and reported,
 * never used. The generator cache and the baseline-output cache share it.
 */
export type CheckedDirRead =
  | { status: 'hit'; contents: Buffer[] }
  | { status: 'miss' }
  | { status: 'corrupt'; reason: string };

const CHECKSUM = 'checksum';

/**
 * Reads `files` of `dir` (in order) and checks them against its checksum.
 * A folder is only ever renamed into place with its checksum written, so one
 * that exists without it (the file was deleted) is corrupt, not a miss: a
 * miss would leave it in place for ever, and every later run would retrain.
 */
export async function readCheckedDir(dir: string, files: readonly string[]): Promise<CheckedDirRead> {
  if (!(await exists(dir))) return { status: 'miss' };
  if (!(await exists(join(dir, CHECKSUM)))) return { status: 'corrupt', reason: 'its checksum file is missing' };
  try {
    const [want, ...contents] = await Promise.all([readFile(join(dir, CHECKSUM), 'utf8'), ...files.map((f) => readFile(join(dir, f)))]);
    if (checksum(contents) !== want.trim()) return { status: 'corrupt', reason: 'checksum mismatch' };
    return { status: 'hit', contents };
  } catch (e) {
    return { status: 'corrupt', reason: (e as Error).message };
  }
}

/**
 * Writes a folder with `fill`, adds the checksum of `files` and renames it to
 * `final`. Two writers of the same folder both succeed: the second finds it in
 * place and keeps it. `replace` removes an existing folder first.
 */
export async function writeCheckedDir(
  final: string,
  files: readonly string[],
  fill: (tmp: string) => Promise<void>,
  opts: { replace?: boolean } = {},
): Promise<string> {
  const tmp = tempName(final, 'tmp');
  await mkdir(dirname(final), { recursive: true });
  try {
    await fill(tmp);
    const contents = await Promise.all(files.map((f) => readFile(join(tmp, f))));
    await writeFile(join(tmp, CHECKSUM), `${checksum(contents)}\n`);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (opts.replace) await evictDir(final);
  try {
    await rename(tmp, final);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    await rm(tmp, { recursive: true, force: true }); // another run got there first
  }
  return final;
}

/** Removes a folder so that no reader sees it half-deleted. */
export async function evictDir(dir: string): Promise<void> {
  const trash = tempName(dir, 'evicted');
  await rename(dir, trash).catch(() => undefined);
  await rm(trash, { recursive: true, force: true });
}

/** `<final>.tmp-<pid>-<ms>` (being written) or `<final>.evicted-<pid>-<ms>` (being removed). */
function tempName(final: string, kind: 'tmp' | 'evicted'): string {
  return `${final}.${kind}-${process.pid}-${Date.now()}`;
}

const TEMP_NAME = /^(.+)\.(tmp|evicted)-(\d+)-(\d+)$/;

/** A temporary folder is stale after an hour unless the process that made it is alive (then after a day: its pid may be reused). */
export const STALE_AFTER_MS = 60 * 60 * 1000;
const STALE_EVEN_IF_ALIVE_MS = 24 * STALE_AFTER_MS;

export interface SweepOptions {
  /** Only folders whose entry name (the part before `.tmp-` / `.evicted-`) passes are touched. */
  isEntryName: (name: string) => boolean;
  now?: number;
}

/**
 * Removes the temporary folders that runs killed while writing or evicting
 * an entry left in `root`; returns their names. Only our own names
 * (`<entry>.tmp-<pid>-<ms>`, `<entry>.evicted-<pid>-<ms>` around an entry
 * name the caller recognises), only folders, and only old ones: a folder is
 * written in the seconds it takes to save an entry, so one younger than
 * STALE_AFTER_MS, or made by a process still alive on this machine, may be a
 * concurrent run's and is left alone. Age is the later of the time in its
 * name and its last modification.
 */
export async function sweepStaleTemps(root: string, opts: SweepOptions): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const now = opts.now ?? Date.now();
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || !opts.isEntryName(m[1]!)) continue;
    const path = join(root, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    const age = now - Math.max(Number(m[4]), info.mtimeMs);
    const pid = Number(m[3]);
    const stale = age > STALE_EVEN_IF_ALIVE_MS || (age > STALE_AFTER_MS && pid !== process.pid && !isAlive(pid));
    if (!stale) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Whether a process with this id runs on this machine (EPERM: it does, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function checksum(contents: readonly Buffer[]): string {
  return sha256(Buffer.concat(contents));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
