import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { validateConfig } from './validate.js';

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

  it('names each bad key and what is wrong, all at once', () => {
    expect(problems({ seed: -1, bail: 0, retrain: 'yes', include: 'perf', reporters: ['junit', 3] })).toEqual([
      { key: 'seed', message: 'must be an integer >= 0, got -1' },
      { key: 'bail', message: 'must be an integer >= 1, got 0' },
      { key: 'retrain', message: 'must be true or false, got "yes"' },
      { key: 'include', message: 'must be a list of strings, got "perf"' },
      { key: 'reporters[1]', message: 'must be a non-empty string, got 3' },
    ]);
  });

  it('unknown keys get a suggestion; outputFiles keys are the file reporters', () => {
    const [typo, files] = problems({ reporter: ['junit'], outputFiles: { xml: 'a' } });
    expect(typo.key).toBe('reporter');
    expect(typo.message).toMatch(/^unknown key; did you mean "reporters"\? \(known: include, reporters, /);
    expect(files).toEqual({ key: 'outputFiles.xml', message: 'unknown key (known: junit, html, json)' });
  });

  it('the message carries the file and key', () => {
    expect(() => validateConfig({ seed: 1.5 }, FILE)).toThrow(`${FILE}: seed: must be an integer >= 0, got 1.5`);
    expect(() => validateConfig([1], FILE)).toThrow(/must export a config object \(export default defineConfig/);
  });
});

describe('did-you-mean for config keys', () => {
  it('a swapped pair of letters is one typo; a short unrelated word gets no guess', () => {
    const guess = (key: string) => problems({ [key]: 1 })[0].message;
    expect(guess('bial')).toMatch(/did you mean "bail"/);
    expect(guess('outputdir')).toMatch(/did you mean "outputDir"/);
    expect(guess('cache')).toMatch(/did you mean "cacheDir"/);
    expect(guess('xyz')).not.toMatch(/did you mean/);
  });
});
