import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/cli.js';
import { readCheckedDir, STALE_AFTER_MS, sweepStaleTemps, writeCheckedDir } from './checked-dir.js';

const root = tempDir();
afterAll(() => rm(root, { recursive: true, force: true }));

const fill = (a: string, b: string) => async (tmp: string) => {
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'a'), a);
  await writeFile(join(tmp, 'b'), b);
};

describe('checked folders', () => {
  it('stores the sha-256 of the files in order and reads them back', async () => {
    const dir = join(root, 'one');
    await writeCheckedDir(dir, ['a', 'b'], fill('x', 'yz'));
    // sha256("xyz"), the two files concatenated.
    expect((await readFile(join(dir, 'checksum'), 'utf8')).trim()).toBe('3608bca1e44ea6c4d268eb6db02260269892c0b42b86bbf1e77a6fa16c3c9282');
    const read = await readCheckedDir(dir, ['a', 'b']);
    expect(read.status === 'hit' && read.contents.map(String)).toEqual(['x', 'yz']);
  });

  it('a missing folder is a miss; a changed or missing file is corrupt', async () => {
    expect(await readCheckedDir(join(root, 'none'), ['a'])).toEqual({ status: 'miss' });
    const dir = join(root, 'two');
    await writeCheckedDir(dir, ['a', 'b'], fill('x', 'yz'));
    await writeFile(join(dir, 'b'), 'yZ');
    expect(await readCheckedDir(dir, ['a', 'b'])).toEqual({ status: 'corrupt', reason: 'checksum mismatch' });
    await rm(join(dir, 'a'));
    expect((await readCheckedDir(dir, ['a', 'b'])).status).toBe('corrupt');
  });

  it('a second writer keeps the first folder; replace swaps it; a failing fill leaves nothing', async () => {
    const dir = join(root, 'three');
    await writeCheckedDir(dir, ['a', 'b'], fill('1', '2'));
    await writeCheckedDir(dir, ['a', 'b'], fill('3', '4'));
    const kept = await readCheckedDir(dir, ['a', 'b']);
    expect(kept.status === 'hit' && kept.contents.map(String)).toEqual(['1', '2']);
    await writeCheckedDir(dir, ['a', 'b'], fill('3', '4'), { replace: true });
    const replaced = await readCheckedDir(dir, ['a', 'b']);
    expect(replaced.status === 'hit' && replaced.contents.map(String)).toEqual(['3', '4']);
    await expect(writeCheckedDir(join(root, 'four'), ['a'], async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect((await readdir(root)).filter((n) => n.startsWith('four'))).toEqual([]);
  });

  it('a folder whose checksum file was deleted is corrupt, not a miss (a miss would never be healed)', async () => {
    const dir = join(root, 'five');
    await writeCheckedDir(dir, ['a', 'b'], fill('x', 'yz'));
    await rm(join(dir, 'checksum'));
    expect(await readCheckedDir(dir, ['a', 'b'])).toEqual({ status: 'corrupt', reason: 'its checksum file is missing' });
  });
});

describe('sweeping temporary folders of killed runs', () => {
  const HOUR = 60 * 60 * 1000;
  const key = 'ab'.repeat(16);
  /** A folder named as writeCheckedDir / evictDir name theirs, last modified `ageMs` before `now`. */
  async function temp(parent: string, name: string, now: number, ageMs: number, isDir = true): Promise<void> {
    const path = join(parent, name);
    if (isDir) await mkdir(path, { recursive: true });
    else await writeFile(path, 'x');
    const t = (now - ageMs) / 1000;
    await utimes(path, t, t);
  }

  it('removes only our old folders of dead processes; keeps young ones, live ones, other names and files', async () => {
    const parent = join(root, 'sweep');
    await mkdir(parent, { recursive: true });
    const now = Date.now();
    const old = now - 2 * HOUR;
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max: no such process
    await temp(parent, `${key}.tmp-${deadPid}-${old}`, now, 2 * HOUR); // ours, old, dead: removed
    await temp(parent, `baseline-${key}.evicted-${deadPid}-${old}`, now, 2 * HOUR); // removed too
    await temp(parent, `${key}.tmp-${deadPid}-${now - 60_000}`, now, 60_000); // a minute old: kept
    await temp(parent, `${key}.tmp-${deadPid}-${old}x`, now, 2 * HOUR); // not our pattern: kept
    await temp(parent, `other.tmp-${deadPid}-${old}`, now, 2 * HOUR); // not an entry name: kept
    await temp(parent, `${key}.tmp-${process.pid}-${old}`, now, 2 * HOUR); // a live process: kept
    await temp(parent, `${key}.tmp-${deadPid + 1}-${old}`, now, 2 * HOUR, false); // a file, not a folder: kept
    // The name says old but the folder was written to just now: kept.
    await temp(parent, `${key}.evicted-${deadPid}-${old - 1}`, now, 1000);
    const removed = await sweepStaleTemps(parent, { isEntryName: (n) => /^(baseline-)?[0-9a-f]{32}$/.test(n), now });
    expect(removed.sort()).toEqual([`${key}.tmp-${deadPid}-${old}`, `baseline-${key}.evicted-${deadPid}-${old}`].sort());
    expect((await readdir(parent)).length).toBe(6);
    // A day later even the live process's folder is stale (its pid may have been reused).
    const later = await sweepStaleTemps(parent, { isEntryName: (n) => /^(baseline-)?[0-9a-f]{32}$/.test(n), now: now + 25 * HOUR });
    expect(later).toContain(`${key}.tmp-${process.pid}-${old}`);
    expect(STALE_AFTER_MS).toBe(HOUR);
  });

  it('a cache folder that does not exist yet has nothing to sweep', async () => {
    expect(await sweepStaleTemps(join(root, 'absent'), { isEntryName: () => true })).toEqual([]);
  });
});
