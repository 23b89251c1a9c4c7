import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/** Reads `files` of `dir` (in order) and checks them against its checksum. */
export async function readCheckedDir(dir: string, files: readonly string[]): Promise<CheckedDirRead> {
  if (!(await exists(join(dir, CHECKSUM)))) return { status: 'miss' };
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
  const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
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
  const trash = `${dir}.evicted-${process.pid}-${Date.now()}`;
  await rename(dir, trash).catch(() => undefined);
  await rm(trash, { recursive: true, force: true });
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
