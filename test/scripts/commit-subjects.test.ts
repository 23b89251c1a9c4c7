import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { longSubjects } from '../../scripts/check-commit-subjects.mjs';

const hash = (c: string) => c.repeat(40);

describe('commit subject check', () => {
  it('passes 72 characters and names a 73-character subject with its length', () => {
    const ok = 'a'.repeat(72);
    const long = 'b'.repeat(73);
    const log = `${hash('1')} ${ok}\n${hash('2')} ${long}\n`;
    expect(longSubjects(log)).toEqual([`2222222222 (73): ${long}`]);
  });

  it('counts characters, not bytes', () => {
    expect(longSubjects(`${hash('3')} ${'é'.repeat(72)}\n`)).toEqual([]);
  });
});
