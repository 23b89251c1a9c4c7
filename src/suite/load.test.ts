import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuiteError, UsageError, loadSuite, type SuiteProblem } from './index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'suite-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function write(text: string): Promise<string> {
  const file = join(dir, `s${counter++}.perf.yaml`);
  await writeFile(file, text);
  return file;
}

const MINIMAL = `name: tiny
model:
  arch: sdn-tiny
  weights: ../w
data:
  dataset: fashion-mnist-embedded
norm: linf
epsilon: 0.1
`;

async function problemsOf(text: string): Promise<SuiteProblem[]> {
  const file = await write(text);
  const err = await loadSuite(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SuiteError);
  const se = err as SuiteError;
  expect(se.file).toBe(file);
  return se.problems;
}

describe('loadSuite: a valid suite', () => {
  it('fills in every default', async () => {
    const file = await write(MINIMAL);
    const s = await loadSuite(file);
    expect(s.file).toBe(file);
    expect(s.name).toBe('tiny');
    expect(s.model).toEqual({ source: 'zoo', arch: 'sdn-tiny', weights: join(dir, '..', 'w') });
    expect(s.data).toEqual({ dataset: 'fashion-mnist-embedded', split: 'test', seeds: 100, trainSplit: 'train' });
    expect(s.norm).toBe('linf');
    expect(s.epsilon).toBe(0.1);
    expect(s.threshold).toBe(0.5);
    expect(s.seed).toBe(0);
    // Epochs and width from the full preset; the schedule's patience is half
    // of training's 5, rounded down; steps, minutes, validateEvery and minDelta stay unset.
    expect(s.generator.train).toEqual({
      epochs: 100,
      batchSize: 32,
      learningRate: 0.001,
      lrSchedule: { type: 'plateau', factor: 0.1, patience: 2, minLearningRate: 0.00001 },
      alpha: 1,
      beta: 0.001,
      gan: false,
      width: 64,
      validationInputs: 1000,
      patience: 5,
      requireConverged: false,
      perfLoss: 'log-expected-cost',
      perturbationBound: 'auto',
    });
    expect(s.baselines).toEqual([{ name: 'random', options: {} }]);
    expect(s.assertions).toEqual([]);
  });

  it('keeps given values, fills the rest of a partial generator block, resolves paths', async () => {
    const s = await loadSuite(
      await write(`name: full
model: { arch: sdn-tiny, weights: /abs/w }
data:
  dataset: fashion-mnist
  path: data/fm
  split: train
  seeds: 200
  trainSplit: test
norm: l2
epsilon: 0.5
threshold: 0.4
seed: 333
generator:
  train:
    steps: 400
    gan: false
baselines: []
assertions:
  - "max I-FLOPs < 500%"
  - { assert: "mean I-FLOPs < 300%", level: warn }
  - { metric: block coverage, op: ">", value: 0.9, level: error }
`),
    );
    expect(s.model.weights).toBe('/abs/w');
    expect(s.data).toEqual({ dataset: 'fashion-mnist', path: join(dir, 'data', 'fm'), split: 'train', seeds: 200, trainSplit: 'test' });
    expect([s.norm, s.epsilon, s.threshold, s.seed]).toEqual(['l2', 0.5, 0.4, 333]);
    expect(s.generator.train.steps).toBe(400);
    expect(s.generator.train.gan).toBe(false);
    expect(s.generator.train.batchSize).toBe(32);
    expect(s.generator.train.width).toBe(64);
    expect(s.generator.train.epochs).toBe(100);
    expect(s.baselines).toEqual([]);
    expect(s.assertions.map((a) => [a.source, a.level, a.aggregate, a.metric, a.op, a.value])).toEqual([
      ['max I-FLOPs < 500%', 'error', 'max', 'I-FLOPs', '<', 5],
      ['mean I-FLOPs < 300%', 'warn', 'mean', 'I-FLOPs', '<', 3],
      ['block coverage > 0.9', 'error', undefined, 'block coverage', '>', 0.9],
    ]);
  });

  it('reads epsilon fractions', async () => {
    const s = await loadSuite(await write(MINIMAL.replace('epsilon: 0.1', 'epsilon: 8/255')));
    expect(s.epsilon).toBeCloseTo(0.0313725490196, 12);
    const quoted = await loadSuite(await write(MINIMAL.replace('epsilon: 0.1', 'epsilon: " 1 / 4 "')));
    expect(quoted.epsilon).toBe(0.25);
  });

  it.each([
    ['inf', 'linf'],
    ['linf', 'linf'],
    ['2', 'l2'],
    ['"2"', 'l2'],
    ['l2', 'l2'],
  ])('norm %s -> %s', async (written, norm) => {
    const s = await loadSuite(await write(MINIMAL.replace('norm: linf', `norm: ${written}`)));
    expect(s.norm).toBe(norm);
  });
});

describe('loadSuite: training budget and schedule', () => {
  const withTrain = (preset: string, train: string) => `${MINIMAL}generator:\n  preset: ${preset}\n  train:\n${train}`;

  it('takes the epoch budget from the preset unless given', async () => {
    const epochs = async (preset: string, train = '    gan: true\n') => (await loadSuite(await write(withTrain(preset, train)))).generator.train.epochs;
    expect([await epochs('full'), await epochs('light'), await epochs('tiny')]).toEqual([100, 50, 30]);
    expect(await epochs('tiny', '    epochs: 2.5\n')).toBe(2.5);
  });

  it('derives the schedule patience from training patience, and keeps a given one', async () => {
    const schedule = async (train: string) => (await loadSuite(await write(withTrain('tiny', train)))).generator.train.lrSchedule;
    expect(await schedule('    patience: 1\n')).toEqual({ type: 'plateau', factor: 0.1, patience: 1, minLearningRate: 0.00001 });
    expect(await schedule('    patience: 7\n')).toMatchObject({ patience: 3 });
    expect(await schedule('    lrSchedule: { patience: 4, factor: 0.5, minLearningRate: 0.0001 }\n')).toEqual({
      type: 'plateau',
      factor: 0.5,
      patience: 4,
      minLearningRate: 0.0001,
    });
    expect(await schedule('    lrSchedule: { type: constant }\n')).toEqual({ type: 'constant' });
  });

  it('keeps the caps, validateEvery, minDelta and requireConverged as given', async () => {
    const s = await loadSuite(await write(withTrain('tiny', '    steps: 40\n    minutes: 2\n    validateEvery: 10\n    minDelta: 0.01\n    requireConverged: true\n')));
    expect(s.generator.train).toMatchObject({ steps: 40, minutes: 2, validateEvery: 10, minDelta: 0.01, requireConverged: true });
  });

  it('refuses a factor outside (0, 1) and a negative minDelta', async () => {
    const problems = await problemsOf(withTrain('tiny', '    lrSchedule: { factor: 1 }\n    minDelta: -0.1\n'));
    expect(problems.map((p) => p.path).sort()).toEqual(['generator.train.lrSchedule.factor', 'generator.train.minDelta']);
  });
});

describe('loadSuite: problems', () => {
  it('points at an unknown key and suggests the right one', async () => {
    const text = `${MINIMAL}generator:\n  train:\n    stepz: 400\n`;
    // Lines 1-8 are MINIMAL; "generator:" is line 9, "train:" 10, "    stepz" line 11 column 5.
    const problems = await problemsOf(text);
    expect(problems).toEqual([
      { line: 11, column: 5, path: 'generator.train.stepz', message: 'unknown key "stepz" (did you mean "steps"?)' },
    ]);
  });

  it('lists the allowed keys when nothing is close', async () => {
    const [p] = await problemsOf(`${MINIMAL}colour: blue\n`);
    expect(p).toMatchObject({ line: 9, column: 1, path: 'colour' });
    expect(p.message).toContain('allowed keys: name, model, data, norm, epsilon');
  });

  it('reports a wrong type at the value, with what was found', async () => {
    const problems = await problemsOf(MINIMAL.replace('  dataset: fashion-mnist-embedded', '  dataset: x\n  seeds: many'));
    // "  seeds: many" is line 7; the value starts at column 10.
    expect(problems).toEqual([{ line: 7, column: 10, path: 'data.seeds', message: 'must be a whole number, got "many"' }]);
  });

  it('reports range violations', async () => {
    const problems = await problemsOf(MINIMAL.replace('epsilon: 0.1', 'epsilon: 0\nthreshold: 1\nseed: 1.5'));
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['epsilon', 8, 'must be > 0, got 0'],
      ['threshold', 9, 'must be < 1, got 1'],
      ['seed', 10, 'must be a whole number, got 1.5'],
    ]);
  });

  it('rejects infinite numbers and an empty block', async () => {
    const problems = await problemsOf(MINIMAL.replace('epsilon: 0.1', 'epsilon: .inf\ngenerator:'));
    expect(problems.map((p) => [p.line, p.column, p.path, p.message])).toEqual([
      [8, 10, 'epsilon', 'must be a number or a string, got .inf'],
      [9, 1, 'generator', 'must be a map, got an empty value'],
    ]);
  });

  it('rejects a bad epsilon string and a fraction that divides by zero', async () => {
    const [bad] = await problemsOf(MINIMAL.replace('epsilon: 0.1', 'epsilon: eight'));
    expect(bad).toMatchObject({ line: 8, column: 10, path: 'epsilon' });
    expect(bad.message).toBe('has the wrong form: "eight"; write it like 0.1 or "8/255"');
    const [zero] = await problemsOf(MINIMAL.replace('epsilon: 0.1', 'epsilon: 8/0'));
    expect(zero).toEqual({ line: 8, column: 10, path: 'epsilon', message: '"8/0" divides by zero' });
  });

  it('suggests the closest enum value', async () => {
    const problems = await problemsOf(MINIMAL.replace('norm: linf', 'norm: lnf').replace('  dataset: fashion-mnist-embedded', '  dataset: d\n  split: tset'));
    expect(problems.map((p) => p.message)).toEqual([
      'must be one of train, test, got "tset" (did you mean "test"?)',
      'must be one of linf, inf, l2, 2, got "lnf" (did you mean "linf"?)',
    ]);
  });

  it('reports missing required keys at the map that lacks them, every one', async () => {
    const problems = await problemsOf('name: x\nmodel:\n  arch: a\ndata: {}\n');
    expect(problems.map((p) => [p.line, p.column, p.path, p.message])).toEqual([
      [2, 1, 'model.weights', 'missing required key "weights"'],
      [4, 1, 'data.dataset', 'missing required key "dataset"'],
      [1, 1, 'norm', 'missing required key "norm"'],
      [1, 1, 'epsilon', 'missing required key "epsilon"'],
    ]);
  });

  it('counts a misspelt required key once', async () => {
    const problems = await problemsOf(MINIMAL.replace('  arch: sdn-tiny', '  arhc: sdn-tiny'));
    expect(problems).toEqual([{ line: 3, column: 3, path: 'model.arhc', message: 'unknown key "arhc" (did you mean "arch"?)' }]);
  });

  it('gives file:line:column for YAML syntax errors', async () => {
    const file = await write('name: x\nmodel: [a, b\nnorm: linf\n');
    const err = (await loadSuite(file).catch((e: unknown) => e)) as SuiteError;
    expect(err).toBeInstanceOf(SuiteError);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ line: 3, column: 1, path: '' });
    expect(err.problems[0].message).toMatch(/^YAML syntax: /);
    const shown = file.replace(`${process.cwd()}/`, '');
    expect(err.message.split('\n')).toEqual([
      `${shown}:3:1  ${err.problems[0].message}`,
      '  2 | model: [a, b',
      '> 3 | norm: linf',
      '    | ^^^^',
    ]);
  });

  it('names a duplicated key', async () => {
    const [p] = await problemsOf(`${MINIMAL}seed: 1\nseed: 2\n`);
    expect(p).toEqual({ line: 10, column: 1, path: '', message: 'YAML syntax: key "seed" appears twice in the same map' });
  });

  it.each([
    ['', 'the file is empty'],
    ['# nothing here\n', 'the file is empty'],
    ['- name: x\n', 'a suite must be a map of keys (name:, model:, ...), found a list'],
    ['just words\n', 'a suite must be a map of keys (name:, model:, ...), found a single value'],
  ])('rejects %j', async (text, message) => {
    const problems = await problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 1, column: 1, path: '' });
    expect(problems[0].message).toContain(message);
  });

  it('puts a malformed assertion at the offending word inside the string', async () => {
    const text = `${MINIMAL}assertions:\n  - "max I-FLOPs < 5%"\n  - "max I-FLOPz < 5%"\n`;
    // Line 11 is `  - "max I-FLOPz < 5%"`: the string opens at column 5, its text at 6, "I-FLOPz" at 10.
    const problems = await problemsOf(text);
    expect(problems).toEqual([
      { line: 11, column: 10, path: 'assertions[1]', message: 'unknown metric "I-FLOPz" (did you mean "I-FLOPs"?)' },
    ]);
  });

  it('reports every bad assertion form, with its field', async () => {
    const text = `${MINIMAL}assertions:
  - 42
  - { assert: "block coverage => 0.9", level: warn }
  - { metric: max block coverage, op: ">", value: 0.9 }
  - { metric: block coverage, op: "=", value: 0.9 }
  - { metric: generation time, op: "<", value: 20 }
  - { assrt: "block coverage > 0.9" }
`;
    const problems = await problemsOf(text);
    expect(problems.map((p) => [p.line, p.column, p.path, p.message])).toEqual([
      // "  - { assert: " is 14 characters, the quote is column 15, "=>" at 15 + 1 + 15 = 31.
      [11, 31, 'assertions[1].assert', 'unknown operator "=>": use one of <, <=, >, >='],
      // "  - { metric: " is 14 characters; "max" at 15. On the next lines `op: "="`
      // opens at 14 + 14 ("block coverage") + 7 = 35, and `20` at 14 + 15 + 19 = 48.
      [12, 15, 'assertions[2].metric', '"block coverage" is a single number, so it takes no aggregate: drop "max"'],
      [13, 35, 'assertions[3].op', 'must be one of <, <=, >, >=, got "="'],
      [14, 48, 'assertions[4].value', '"generation time" needs a unit: use "ms", "s"'],
      [15, 7, 'assertions[5].assrt', 'unknown key "assrt" (did you mean "assert"?)'],
      [10, 5, 'assertions[0]', 'must be a string or a map, got 42'],
    ]);
  });

  it('rejects an assertion reading a method the suite does not run', async () => {
    const text = `${MINIMAL}baselines: []\nassertions: ["mean I-FLOPs of random < 5%"]\n`;
    const [p] = await problemsOf(text);
    expect(p.path).toBe('assertions[0]');
    expect(p.message).toBe('method "random" is not run by this suite: add it to baselines');
  });

  it('reads baselines as names or as a name with options', async () => {
    const text = `${MINIMAL}baselines:\n  - random\n  - ilfo: { iterations: 50, optimizer: sgd }\n  - deepsloth:\n      linfSteps: 10\nassertions: ["mean I-FLOPs of ilfo > 0%"]\n`;
    const s = await loadSuite(await write(text));
    expect(s.baselines).toEqual([
      { name: 'random', options: {} },
      { name: 'ilfo', options: { iterations: 50, optimizer: 'sgd' } },
      { name: 'deepsloth', options: { linfSteps: 10 } },
    ]);
    expect(s.assertions[0].method).toBe('ilfo');
  });

  it('runs a per-input baseline on a subset of the seeds, and reads worst-case without a baseline for it', async () => {
    const text = `${MINIMAL}baselines:\n  - ilfo: { seeds: 50 }\n  - deepsloth: { seeds: 20, linfSteps: 10 }\nassertions:\n  - "full-depth rate of worst-case < 10%"\n  - { metric: p50 I-FLOPs, op: "<", against: worst-case }\n`;
    const s = await loadSuite(await write(text));
    expect(s.baselines).toEqual([
      { name: 'ilfo', options: { seeds: 50 } },
      { name: 'deepsloth', options: { seeds: 20, linfSteps: 10 } },
    ]);
    expect(s.assertions.map((a) => [a.metric, a.method, a.against?.to])).toEqual([
      ['full-depth rate', 'worst-case', undefined],
      ['I-FLOPs', 'deepperform', 'worst-case'],
    ]);
  });

  it('refuses a subset of no seeds, and a subset for random noise', async () => {
    const text = `${MINIMAL}baselines:\n  - ilfo: { seeds: 0 }\n  - random: { seeds: 5 }\n`;
    const problems = await problemsOf(text);
    expect(problems.map((p) => [p.line, p.path, p.message])).toEqual([
      [10, 'baselines[0].ilfo.seeds', 'must be >= 1, got 0'],
      [11, 'baselines[1].random.seeds', 'unknown key "seeds"; this map takes no keys'],
    ]);
  });

  it('explains a baseline map with two names or none, and a map assertion with no bound', async () => {
    const text = `${MINIMAL}baselines: [{ ilfo: { iterations: 50 }, random: {} }, {}]\nassertions:\n  - { metric: mean I-FLOPs, op: ">=" }\n`;
    const problems = await problemsOf(text);
    expect(problems.map((p) => [p.line, p.column, p.path, p.message])).toEqual([
      [11, 5, 'assertions[0].value', 'missing required key "value": give value (a fixed bound) or against (a method, or saved, to compare with)'],
      // "baselines: [" is 12 characters; the second item starts after "{ ilfo: { iterations: 50 }, random: {} }, ".
      [9, 13, 'baselines[0]', 'must hold at most 1 key, found 2 (ilfo, random): give each its own list item'],
      [9, 55, 'baselines[1]', 'must not be an empty map'],
    ]);
  });

  it('places a bad baseline option and an unknown baseline on their lines', async () => {
    const text = `${MINIMAL}baselines:\n  - ilfoo\n  - ilfo: { iterations: 0, lamda: 3 }\n`;
    const problems = await problemsOf(text);
    expect(problems.map((p) => [p.line, p.column, p.path, p.message])).toEqual([
      [11, 25, 'baselines[1].ilfo.iterations', 'must be >= 1, got 0'],
      [11, 28, 'baselines[1].ilfo.lamda', 'unknown key "lamda" (did you mean "lambda"?)'],
      [10, 5, 'baselines[0]', 'must be one of random, ilfo, ilfo-paper-code, deepsloth, got "ilfoo" (did you mean "ilfo"?)'],
    ]);
  });

  it('reads generator.refine as k or as settings, and lets assertions read deepperform-refine', async () => {
    const k = await loadSuite(await write(`${MINIMAL}generator: { refine: 12 }\nassertions: ["mean I-FLOPs of deepperform-refine >= 1x ilfo", "mean I-FLOPs >= 0.5x deepperform-refine"]\nbaselines: [ilfo]\n`));
    expect(k.generator.refine).toEqual({ steps: 12 });
    expect(k.assertions.map((a) => [a.method, a.against?.to])).toEqual([
      ['deepperform-refine', 'ilfo'],
      ['deepperform', 'deepperform-refine'],
    ]);
    const map = await loadSuite(await write(`${MINIMAL}generator: { refine: { steps: 5, rule: pgd } }\n`));
    expect(map.generator.refine).toEqual({ steps: 5, rule: 'pgd' });
    const off = await loadSuite(await write(MINIMAL));
    expect(off.generator.refine).toBeUndefined();
  });

  it('refuses deepperform-refine in an assertion unless generator.refine is set, and bad refine settings', async () => {
    const [p] = await problemsOf(`${MINIMAL}assertions: ["mean I-FLOPs of deepperform-refine > 1"]\n`);
    expect([p.path, p.message]).toEqual(['assertions[0]', 'method "deepperform-refine" is not run by this suite: set generator.refine (e.g. refine: 15)']);
    const bad = await problemsOf(`${MINIMAL}generator:\n  refine: { steps: 0, rule: sgd }\n`);
    expect(bad.map((q) => [q.path, q.message])).toEqual([
      ['generator.refine.steps', 'must be >= 1, got 0'],
      ['generator.refine.rule', 'must be one of auto, adam, pgd, got "sgd" (did you mean "pgd"?)'],
    ]);
    const zero = await problemsOf(`${MINIMAL}generator: { refine: 0 }\n`);
    expect(zero.map((q) => [q.path, q.message])).toEqual([['generator.refine', 'must be >= 1, got 0']]);
  });

  it('message: each problem, deepest first, with a code frame under it', async () => {
    const file = await write('name: 3\nmodel: { arch: a, weights: w }\ndata: { dataset: d, seeds: 0 }\nnorm: l3\nepsilon: 1\n');
    const err = (await loadSuite(file).catch((e: unknown) => e)) as SuiteError;
    const shown = file.replace(`${process.cwd()}/`, '');
    expect(err.message).toBe(
      [
        `${shown}:3:28  data.seeds: must be >= 1, got 0`,
        '  2 | model: { arch: a, weights: w }',
        '> 3 | data: { dataset: d, seeds: 0 }',
        '    |                            ^',
        '  4 | norm: l3',
        '',
        `${shown}:1:7  name: must be a string, got 3`,
        '> 1 | name: 3',
        '    |       ^',
        '  2 | model: { arch: a, weights: w }',
        '',
        `${shown}:4:7  norm: must be one of linf, inf, l2, 2, got "l3" (did you mean "l2"?)`,
        '  3 | data: { dataset: d, seeds: 0 }',
        '> 4 | norm: l3',
        '    |       ^^',
        '  5 | epsilon: 1',
      ].join('\n'),
    );
    // Plain text: the CLI decides about colour.
    expect(err.message).not.toMatch(/\x1b\[/);
  });

  it('a missing file is a usage error', async () => {
    await expect(loadSuite(join(dir, 'nope.perf.yaml'))).rejects.toBeInstanceOf(UsageError);
  });
});

describe('loadSuite: comparison assertions', () => {
  it('reads comparisons with a baseline and with the saved result, and where the saved result lives', async () => {
    const text = `${MINIMAL}baselines: [random, ilfo]
assertions:
  - "mean I-FLOPs >= 1.5x ilfo"
  - { metric: mean I-FLOPs of random, op: "<", against: deepperform, factor: 0.5, level: warn }
  - "max I-FLOPs <= saved + 5%"
`;
    const file = await write(text);
    const s = await loadSuite(file);
    expect(s.assertions.map((a) => [a.source, a.level, a.method, a.against?.to, a.against?.factor])).toEqual([
      ['mean I-FLOPs >= 1.5x ilfo', 'error', 'deepperform', 'ilfo', 1.5],
      ['mean I-FLOPs of random < 0.5x deepperform', 'warn', 'random', 'deepperform', 0.5],
      ['max I-FLOPs <= saved + 5%', 'error', 'deepperform', 'saved', 1],
    ]);
    expect(s.saved).toBe(file.replace(/\.perf\.yaml$/, '.perf.baseline.json'));
  });

  it('has no saved file unless an assertion reads it or the suite names one', async () => {
    expect((await loadSuite(await write(MINIMAL))).saved).toBeUndefined();
    const named = await loadSuite(await write(`${MINIMAL}saved: baselines/tiny.json\n`));
    expect(named.saved).toBe(join(dir, 'baselines', 'tiny.json'));
  });

  it('puts a comparison with a method the suite does not run at the method, with a code frame', async () => {
    const file = await write(`${MINIMAL}baselines: [random]\nassertions:\n  - "mean I-FLOPs >= 1.5x ilfo"\n`);
    const err = (await loadSuite(file).catch((e: unknown) => e)) as SuiteError;
    // Line 11 is `  - "mean I-FLOPs >= 1.5x ilfo"`: the text starts at column 6, "ilfo" 21 characters later.
    expect(err.problems).toEqual([
      { line: 11, column: 27, path: 'assertions[0]', message: 'method "ilfo" is not run by this suite: add it to baselines' },
    ]);
    const shown = file.replace(`${process.cwd()}/`, '');
    expect(err.message).toBe(
      [
        `${shown}:11:27  assertions[0]: method "ilfo" is not run by this suite: add it to baselines`,
        '  10 | assertions:',
        '> 11 |   - "mean I-FLOPs >= 1.5x ilfo"',
        '     |                           ^^^^',
      ].join('\n'),
    );
  });

  it('reports every bad comparison in the map form, at its field', async () => {
    const text = `${MINIMAL}baselines: [random]
assertions:
  - { metric: mean I-FLOPs, op: ">=", against: ilfo }
  - { metric: mean I-FLOPs, op: ">=", against: ilfoo }
  - { metric: mean I-FLOPs, op: ">=", against: random, value: 2 }
  - { metric: mean I-FLOPs, op: ">=", value: 2, factor: 1.5 }
  - { metric: mean latency, op: "<", against: saved, offset: "+5%" }
  - "seed accuracy >= random - 1%"
`;
    const problems = await problemsOf(text);
    expect(problems.map((p) => [p.line, p.column, p.path, p.message])).toEqual([
      // "  - { metric: mean I-FLOPs, op: \">=\", against: " is 47 characters.
      [11, 48, 'assertions[0].against', 'method "ilfo" is not run by this suite: add it to baselines'],
      [12, 48, 'assertions[1].against', 'must be one of deepperform, deepperform-refine, random, ilfo, ilfo-paper-code, deepsloth, worst-case, saved, got "ilfoo" (did you mean "ilfo"?)'],
      // "  - { metric: mean latency, op: \"<\", against: saved, offset: " is 61 characters; the quote is
      // column 62, so "%" of "+5%" (index 2) is column 62 + 1 + 2 = 65.
      [15, 65, 'assertions[4].offset', 'unit "%" is not allowed for "latency": use "ms", "s" (for a relative margin use a factor, e.g. "1.05x saved")'],
      [13, 5, 'assertions[2]', 'value is a fixed bound and does not go with against: give factor and/or offset instead'],
      [14, 5, 'assertions[3]', 'factor and offset need against (the method, or saved, they compare with)'],
      // "  - \"seed accuracy >= " is 22 characters: "random" at 23.
      [16, 23, 'assertions[5]', '"seed accuracy" is measured on the seed inputs, the same for every method: compare it with saved, not "random"'],
    ]);
  });
});

describe('loadSuite: the model is a zoo model or a user module', () => {
  it('module: path resolved against the suite, export defaults to "default", options kept', async () => {
    const file = await write(MINIMAL.replace('  arch: sdn-tiny\n  weights: ../w', '  module: ./m.mjs\n  options: { a: 1 }'));
    const s = await loadSuite(file);
    expect(s.model).toEqual({ source: 'module', module: join(dirname(file), 'm.mjs'), exportName: 'default', options: { a: 1 }, timeoutSeconds: 120 });
  });

  it('module with arch is one problem at the model key', async () => {
    const problems = await problemsOf(MINIMAL.replace('  weights: ../w', '  weights: ../w\n  module: ./m.mjs'));
    expect(problems).toEqual([
      {
        line: 2,
        column: 1,
        path: 'model',
        message: 'give one of module (your own AdNN), arch + weights (a zoo model) or onnx (an exported model); kind, exits, blocks, logits and input belong to onnx:',
      },
    ]);
  });

  it('options on a zoo model are refused, not ignored', async () => {
    const problems = await problemsOf(MINIMAL.replace('  weights: ../w', '  weights: ../w\n  options: { a: 1 }'));
    expect(problems.map((p) => p.message)).toEqual(['export, options and timeout belong to module:, kind, exits, blocks, logits and input to onnx:, not to a zoo model']);
  });
});

describe('loadSuite: an ONNX model', () => {
  const onnx = (lines: string) => MINIMAL.replace('  arch: sdn-tiny\n  weights: ../w', lines);

  it('early-exit: path resolved, exits kept, layout NCHW by default, normalize split into mean and std', async () => {
    const file = await write(onnx('  onnx: ./m.onnx\n  kind: early-exit\n  exits: [e0, final]\n  input: { normalize: { mean: [0.5], std: [0.25] } }'));
    const s = await loadSuite(file);
    expect(s.model).toEqual({ source: 'onnx', onnx: join(dirname(file), 'm.onnx'), kind: 'early-exit', exits: ['e0', 'final'], input: { layout: 'NCHW', mean: [0.5], std: [0.25] } });
  });

  it('skipping: the manifest of blocks and the logits name', async () => {
    const file = await write(onnx('  onnx: m.onnx\n  kind: skipping\n  logits: out\n  blocks:\n    - { input: a, output: b, gate: g }\n  input: { layout: NHWC }'));
    const s = await loadSuite(file);
    expect(s.model).toMatchObject({ source: 'onnx', kind: 'skipping', logits: 'out', blocks: [{ input: 'a', output: 'b', gate: 'g' }], input: { layout: 'NHWC' } });
  });

  it('needs kind, and exits for early-exit models', async () => {
    expect((await problemsOf(onnx('  onnx: m.onnx\n  exits: [a, b]'))).map((p) => p.message)).toEqual(['missing required key "kind"']);
    expect((await problemsOf(onnx('  onnx: m.onnx\n  kind: early-exit'))).map((p) => p.message)).toEqual(['missing required key "exits"']);
  });

  it('refuses exits on a skipping model, blocks on an early-exit one, and zoo keys', async () => {
    const skipping = await problemsOf(onnx('  onnx: m.onnx\n  kind: skipping\n  exits: [a, b]\n  blocks: [{ input: a, output: b, gate: g }]'));
    expect(skipping.map((p) => p.message)).toEqual(['exits describe early-exit models; a skipping model names its gated blocks (blocks:)']);
    const early = await problemsOf(onnx('  onnx: m.onnx\n  kind: early-exit\n  exits: [a, b]\n  logits: x'));
    expect(early.map((p) => p.message)).toEqual(['blocks and logits describe skipping models; an early-exit model names its exits']);
    const zoo = await problemsOf(onnx('  onnx: m.onnx\n  kind: early-exit\n  exits: [a, b]\n  weights: ../w'));
    expect(zoo.map((p) => p.path)).toEqual(['model']);
  });

  it('refuses a layout other than NCHW or NHWC and a zero std', async () => {
    const problems = await problemsOf(onnx('  onnx: m.onnx\n  kind: early-exit\n  exits: [a, b]\n  input: { layout: CHW, normalize: { mean: [0], std: [0] } }'));
    expect(problems.map((p) => p.path)).toEqual(['model.input.normalize.std[0]', 'model.input.layout']);
  });
});
