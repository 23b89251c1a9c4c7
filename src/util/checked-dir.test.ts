import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/cli.js';
import { readCheckedDir, writeCheckedDir } from './checked-dir.js';

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
});
