/**
 * Bad input, class 6: hostile suite files. Each must end in a SuiteError (exit
 * 2) with a short message: no crash, no stack, no megabyte of code frames,
 * no silent acceptance, and validation time that grows linearly.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSuite, parseSuite, SuiteError } from '../../src/suite/index.js';

const BASE = `name: hostile
model: { arch: sdn-tiny, weights: ./w }
data: { dataset: fashion-mnist-embedded, seeds: 8 }
norm: linf
epsilon: 0.1
`;
const FILE = '/tmp/hostile.perf.yaml';

/** The SuiteError parseSuite throws for `text` (fails the test when it throws anything else or nothing). */
function suiteError(text: string): SuiteError {
  let thrown: unknown;
  try {
    parseSuite(text, FILE);
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'parseSuite should reject the suite').toBeInstanceOf(SuiteError);
  return thrown as SuiteError;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bad-suite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('YAML resource limits', () => {
  it('an alias bomb is a suite error naming the aliases, not a ReferenceError', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const k of ['b', 'c', 'd', 'e', 'f', 'g']) {
      const prev = levels[levels.length - 1][0];
      levels.push(`${k}: &${k} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const err = suiteError(`${levels.join('\n')}\n${BASE}`);
    expect(err.message).toMatch(/alias/i);
    expect(err.message.length).toBeLessThan(2_000);
  });

  it('deep flow nesting is reported as too deep, with a short code frame', () => {
    const err = suiteError(`${BASE}x: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(err.message).toMatch(/nest/i);
    expect(err.message).not.toMatch(/call stack/);
    expect(err.message.length).toBeLessThan(2_000);
  });

  it('nesting that the YAML parser survives is still limited, in maps and in block lists', () => {
    const flowMaps = `${BASE}y: ${'{a: '.repeat(300)}1${'}'.repeat(300)}\n`;
    const block = `${BASE}z:\n${Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i + 1)}- `).join('\n')}x\n`;
    // Reported where the first collection too many opens: on line 6 in flow style; in block style the
    // 33rd level (root map, z's list, then one list per line) opens on line 6 + 32.
    for (const [text, line] of [[flowMaps, 6], [block, 38]] as const) {
      const err = suiteError(text);
      expect(err.message).toMatch(/nested more than 32 levels deep/);
      expect(err.problems[0].line).toBe(line);
    }
  });

  it('a suite file larger than the limit is refused before parsing', () => {
    const err = suiteError(`${BASE}# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    expect(err.message).toMatch(/MB/);
    expect(err.message.length).toBeLessThan(1_000);
  });
});

describe('tags and encodings', () => {
  it.each([
    ['!!js/function', 'name: !!js/function "function () { return 1 }"'],
    ['a local tag', 'name: !evil hostile'],
    ['!!binary', 'name: !!binary aGVsbG8='],
    ['a verbatim tag', 'name: !<tag:example.com,2000:app/x> hostile'],
  ])('%s is refused at its line', (_what, line) => {
    const err = suiteError(BASE.replace('name: hostile', line));
    expect(err.problems[0]).toMatchObject({ line: 1 });
    expect(err.message).toMatch(/tag/);
  });

  it('a Latin-1 byte is refused with its line and column, not replaced by U+FFFD', async () => {
    const file = join(dir, 'latin1.perf.yaml');
    // "café" written in Latin-1: the é is the single byte 0xE9, column 10 of line 1.
    await writeFile(file, Buffer.concat([Buffer.from('name: caf'), Buffer.from([0xe9]), Buffer.from(BASE.slice('name: hostile'.length))]));
    const err = await loadSuite(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SuiteError);
    expect((err as SuiteError).problems[0]).toMatchObject({ line: 1, column: 10 });
    expect((err as SuiteError).message).toMatch(/UTF-8/);
  });

  it('UTF-16 (a byte-order mark and NUL bytes) is refused as not UTF-8', async () => {
    const file = join(dir, 'utf16.perf.yaml');
    await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE, 'utf16le')]));
    await expect(loadSuite(file)).rejects.toThrow(/UTF-8/);
  });
});

describe('numbers', () => {
  it.each([
    ['seed: 1e20', 'seed'],
    ['seed: 123456789012345678901', 'seed'],
    ['data: { dataset: fashion-mnist-embedded, seeds: 9007199254740993 }', 'data.seeds'],
    ['generator: { train: { steps: 1e16 } }', 'generator.train.steps'],
  ])('%s is beyond the exact integer range', (line, path) => {
    const text = line.startsWith('data:') ? BASE.replace(/^data: .*$/m, line) : `${BASE}${line}\n`;
    const err = suiteError(text);
    expect(err.problems.map((p) => p.path)).toContain(path);
    expect(err.message).toMatch(/2\^53/);
  });

  it('a number too large for a double (1e400 is Infinity) is refused, not taken as unbounded', () => {
    const err = suiteError(BASE.replace('epsilon: 0.1', 'epsilon: 1e400'));
    expect(err.problems[0].path).toBe('epsilon');
  });
});

describe('many problems', () => {
  it('16,000 unknown keys: every one counted, at most a screenful reported, "and N more"', () => {
    const text = `${BASE}${Array.from({ length: 16_000 }, (_, i) => `key${i}: 1`).join('\n')}\n`;
    const err = suiteError(text);
    expect(err.problems.length).toBe(16_000);
    expect(err.message).toMatch(/and 15,?9\d\d more problems?/);
    expect(err.message.length).toBeLessThan(20_000);
  });

  it('validation time grows linearly with the number of malformed assertions (CPU-time ratio, not wall time)', () => {
    const suite = (n: number) =>
      `${BASE}assertions:\n${Array.from({ length: n }, (_, i) => `  - { metric: "mean I-FLOPs", op: "<", value: 1, bogus${i}: 1 }`).join('\n')}\n`;
    const cpu = (n: number): number => {
      const text = suite(n);
      const start = process.cpuUsage();
      suiteError(text);
      const used = process.cpuUsage(start);
      return used.user + used.system;
    };
    cpu(200); // warm-up: JIT and the schema compiled
    const small = Math.min(cpu(400), cpu(400));
    const large = Math.min(cpu(1_600), cpu(1_600));
    // Four times the problems: linear work takes ~4x, the quadratic validation of d6f6aa3 took ~16x.
    expect(large / small).toBeLessThan(9);
  });

  it('a huge unknown key or value is shown shortened', () => {
    const long = 'k'.repeat(100_000);
    // An explicit key (`? key`) may be longer than the 1,024 characters of a plain one.
    const err = suiteError(`${BASE}? ${long}\n: 1\nthreshold: "${'v'.repeat(100_000)}"\n`);
    expect(err.problems.map((p) => p.path)).toEqual([`${'k'.repeat(57)}...`, 'threshold']);
    expect(err.message.length).toBeLessThan(3_000);
  });
});
