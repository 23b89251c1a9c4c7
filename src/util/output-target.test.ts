import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/cli.js';
import { dirTargetProblem, fileTargetProblem } from './output-target.js';

const root = tempDir();
const file = join(root, 'existing.xml');
writeFileSync(file, 'old');
mkdirSync(join(root, 'folder'));
symlinkSync(file, join(root, 'link.xml'));
symlinkSync(join(root, 'folder'), join(root, 'link-to-folder'));
execFileSync('mkfifo', [join(root, 'fifo')]);

describe('fileTargetProblem: only regular files or new paths', () => {
  it('accepts an existing regular file, a new file and a new file in new folders', async () => {
    expect(await fileTargetProblem(file)).toBeUndefined();
    expect(await fileTargetProblem(join(root, 'new.xml'))).toBeUndefined();
    expect(await fileTargetProblem(join(root, 'a/b/c/new.xml'))).toBeUndefined();
    // Through a link to a folder: the file itself is new and regular.
    expect(await fileTargetProblem(join(root, 'link-to-folder/new.xml'))).toBeUndefined();
  });

  it('refuses a symbolic link, a folder, a FIFO and a character device, saying which', async () => {
    expect(await fileTargetProblem(join(root, 'link.xml'))).toMatch(/^is a symbolic link, not a regular file; .*name the file it points to/);
    expect(await fileTargetProblem(join(root, 'folder'))).toMatch(/^is a folder, not a regular file/);
    expect(await fileTargetProblem(join(root, 'fifo'))).toMatch(/^is a named pipe \(FIFO\), not a regular file/);
    expect(await fileTargetProblem('/dev/null')).toMatch(/^is a character device, not a regular file/);
  });

  it('refuses a path under a file: it cannot be created', async () => {
    expect(await fileTargetProblem(join(file, 'junit.xml'))).toBe(`cannot be created: ${file} is a file, not a folder`);
    expect(await fileTargetProblem(join(file, 'deeper/junit.xml'))).toBe(`cannot be created: ${file} is a file, not a folder`);
  });

  // Permission bits do not bind root (who may write anywhere), so this case is checked only for other users.
  it.skipIf(process.getuid?.() === 0)('refuses a new file in a folder that is not writable', async () => {
    const locked = join(root, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    expect(await fileTargetProblem(join(locked, 'x/junit.xml'))).toBe(`cannot be created: ${locked} is not writable`);
    chmodSync(locked, 0o755);
  });
});

describe('dirTargetProblem: a folder, or a path where one can be made', () => {
  it('accepts a folder, a link to one and a new path', async () => {
    expect(await dirTargetProblem(join(root, 'folder'))).toBeUndefined();
    expect(await dirTargetProblem(join(root, 'link-to-folder'))).toBeUndefined();
    expect(await dirTargetProblem(join(root, 'cache/generators'))).toBeUndefined();
  });

  it('refuses a file, a device and a path under a file', async () => {
    expect(await dirTargetProblem(file)).toBe('is a file, not a folder');
    expect(await dirTargetProblem('/dev/null')).toBe('is a character device, not a folder');
    expect(await dirTargetProblem(join(file, 'cache'))).toBe(`cannot be created: ${file} is a file, not a folder`);
  });
});
