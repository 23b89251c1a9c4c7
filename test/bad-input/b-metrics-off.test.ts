/**
 * Bad input, class 4: an assertion on a metric the suite itself turns off
 * could only ever be skipped, so a run would pass without checking it. It is
 * an error when the suite is loaded, at the metric's line and column, saying
 * which setting turns it on.
 */
import { describe, expect, it } from 'vitest';
import { parseSuite, SuiteError } from '../../src/suite/index.js';

const BASE = `name: off
model: { arch: sdn-tiny, weights: ./w }
data: { dataset: fashion-mnist-embedded, seeds: 8 }
norm: linf
epsilon: 0.1
`;

function problemsOf(text: string): SuiteError {
  let thrown: unknown;
  try {
    parseSuite(text, '/tmp/off.perf.yaml');
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'the suite should be refused').toBeInstanceOf(SuiteError);
  return thrown as SuiteError;
}

describe('assertions on metrics the suite turns off', () => {
  it.each([
    ['measure: { latency: false }', '"max latency < 20ms"', 'measure.latency is false'],
    ['measure: { latency: false }', '"p95 I-latency < 50%"', 'measure.latency is false'],
    ['measure: { latency: false }', '"mean seed latency < 5ms"', 'measure.latency is false'],
    ['measure: { latency: false }', '"FLOPs-latency correlation > 0.5"', 'measure.latency is false'],
    ['measure: { energy: false }', '"mean I-energy < 50%"', 'measure.energy is false'],
    ['', '"detector AUC > 0.9"', 'no mitigation.detector section'],
    ['mitigation: { retrain: {} }', '"detector overhead < 5%"', 'no mitigation.detector section'],
    ['', '"retrained accuracy > 0.8"', 'no mitigation.retrain section'],
    ['mitigation: { detector: {} }', '"mean retrained I-FLOPs < 20%"', 'no mitigation.retrain section'],
  ])('%s with %s', (setting, assertion, why) => {
    const err = problemsOf(`${BASE}${setting}\nassertions:\n  - ${assertion}\n`);
    expect(err.problems).toHaveLength(1);
    const [p] = err.problems;
    // Line 8: BASE is 5 lines, the setting line, "assertions:", then the item.
    expect(p.line).toBe(8);
    expect(p.path).toBe('assertions[0]');
    expect(p.message).toContain(why);
    expect(p.message).toMatch(/is not measured by this suite/);
  });

  it('every form of an assertion is checked: the map forms and comparisons with saved or another method', () => {
    const text = `${BASE}measure: { latency: false }\nbaselines: [random]\nassertions:
  - { assert: "max latency < 20ms", level: warn }
  - { metric: "mean latency", op: "<", value: "20ms" }
  - "mean latency <= 1.2x saved"
  - "mean I-latency >= 2x random"
`;
    const err = problemsOf(text);
    expect(err.problems.map((p) => [p.line, p.path])).toEqual([
      [9, 'assertions[0].assert'],
      [10, 'assertions[1].metric'],
      [11, 'assertions[2]'],
      [12, 'assertions[3]'],
    ]);
  });

  it('the caret points at the metric, after the aggregate', () => {
    const err = problemsOf(`${BASE}measure: { latency: false }\nassertions:\n  - "p95 latency < 20ms"\n`);
    expect(err.problems[0].column).toBe(10); // `  - "p95 latency`: the l is the 10th character
  });

  it('an aggregate the metric does not keep is refused too (retrained I-FLOPs keeps mean and max)', () => {
    const err = problemsOf(`${BASE}mitigation: { retrain: {} }\nassertions:\n  - "p95 retrained I-FLOPs < 20%"\n`);
    expect(err.problems[0].message).toMatch(/keeps only mean and max/);
  });

  it('with the settings on (the defaults), the same assertions load', () => {
    const s = parseSuite(
      `${BASE}mitigation: { detector: {}, retrain: {} }\nassertions:\n  - "max latency < 20ms"\n  - "mean I-energy < 50%"\n  - "detector AUC > 0.9"\n  - "max retrained I-FLOPs < 1"\n`,
      '/tmp/on.perf.yaml',
    );
    expect(s.assertions.map((a) => a.metric)).toEqual(['latency', 'I-energy', 'detector AUC', 'retrained I-FLOPs']);
  });
});
