import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectList, collectOutputFile, integer, parsePattern, parseShard } from './options.js';

describe('command-line value parsers', () => {
  it('--shard i/n with 1 <= i <= n', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, total: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3', '-1/2', '1.5/2']) {
      expect(() => parseShard(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it('--reporter: repeatable and comma lists, blanks dropped', () => {
    const first = collectList('console,junit', undefined);
    expect(collectList('html', first)).toEqual(['console', 'junit', 'html']);
    expect(collectList(' dot , ,json', undefined)).toEqual(['dot', 'json']);
    expect(() => collectList(',', undefined)).toThrow(InvalidArgumentError);
  });

  it('--output-file reporter=path; a later one for the same reporter wins', () => {
    const a = collectOutputFile('junit=out/a.xml', undefined);
    const b = collectOutputFile('html=x=y.html', a);
    expect(collectOutputFile('junit=b.xml', b)).toEqual({ junit: 'b.xml', html: 'x=y.html' });
    for (const bad of ['junit', 'junit=', 'console=x', '=x']) expect(() => collectOutputFile(bad, undefined), bad).toThrow(InvalidArgumentError);
  });

  it('integers with a lower bound', () => {
    expect(integer('--bail', 1)('3')).toBe(3);
    expect(integer('--seed', 0)('0')).toBe(0);
    for (const bad of ['0', '1.5', 'x', '', '1e3']) expect(() => integer('--bail', 1)(bad), bad).toThrow(/--bail must be an integer >= 1/);
  });

  it('-t must be a valid regular expression', () => {
    expect(parsePattern('^sdn').test('sdn-tiny')).toBe(true);
    expect(() => parsePattern('(')).toThrow(/not a valid regular expression/);
  });
});
