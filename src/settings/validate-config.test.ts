import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.js';
import { validateConfig } from './validate-config.js';

const FILE = '/project/deepperform.config.mjs';

function problems(value: unknown): { key: string; message: string }[] {
  try {
    validateConfig(value, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('accepts every documented key', () => {
    const config = {
      include: ['perf', 'more/**/*.perf.yaml'],
      reporters: ['console', 'json'],
      outputDir: 'out',
      outputFiles: { junit: 'j.xml', html: 'i.html', json: 'r.json' },
      cacheDir: '.cache',
      backend: 'wasm',
      seed: 0,
      bail: 2,
      retrain: true,
    };
    expect(validateConfig(config, FILE)).toBe(config);
    expect(validateConfig({}, FILE)).toEqual({});
  });

  it('names each bad key and what is wrong, all at once, in the words of a suite problem', () => {
    expect(problems({ seed: -1, bail: 0, retrain: 'yes', include: 'perf', reporters: ['junit', 3], outputDir: '', cacheDir: () => 1 })).toEqual([
      { key: 'include', message: 'must be a list, got "perf"' },
      { key: 'reporters[1]', message: 'must be a string, got 3' },
      { key: 'outputDir', message: 'must not be empty' },
      { key: 'cacheDir', message: 'must be a string, got a function' },
      { key: 'seed', message: 'must be >= 0, got -1' },
      { key: 'bail', message: 'must be >= 1, got 0' },
      { key: 'retrain', message: 'must be true or false, got "yes"' },
    ]);
  });

  it('a key set to undefined is a key not given', () => {
    const config = { seed: undefined, outputFiles: { junit: undefined } };
    expect(validateConfig(config, FILE)).toBe(config);
  });

  it('unknown keys get a suggestion; outputFiles keys are the file reporters', () => {
    expect(problems({ reporter: ['junit'], outputFiles: { xml: 'a' } })).toEqual([
      { key: 'reporter', message: 'unknown key "reporter" (did you mean "reporters"?)' },
      { key: 'outputFiles.xml', message: 'unknown key "xml"; allowed keys: junit, html, json' },
    ]);
  });

  it('the message carries the file and key', () => {
    expect(() => validateConfig({ seed: 1.5 }, FILE)).toThrow(`${FILE}: seed: must be a whole number, got 1.5`);
    expect(() => validateConfig([1], FILE)).toThrow(/must export a config object \(export default defineConfig/);
  });
});

describe('did-you-mean for config keys', () => {
  it('a swapped pair of letters is one typo; an unrelated word gets the list of keys instead of a guess', () => {
    const guess = (key: string) => problems({ [key]: 1 })[0].message;
    expect(guess('bial')).toMatch(/did you mean "bail"/);
    expect(guess('outputdir')).toMatch(/did you mean "outputDir"/);
    expect(guess('xyz')).toBe('unknown key "xyz"; allowed keys: include, reporters, outputDir, outputFiles, cacheDir, backend, seed, bail, retrain');
  });
});
