import { describe, expect, it } from 'vitest';
import {
  AssertionSyntaxError,
  evaluateAssertion,
  parseAssertion,
  parseStructuredAssertion,
  type MetricSource,
} from './index.js';

function syntaxError(text: string, methods?: string[]): AssertionSyntaxError {
  try {
    parseAssertion(text, methods === undefined ? {} : { methods });
  } catch (e) {
    if (e instanceof AssertionSyntaxError) return e;
    throw e;
  }
  throw new Error(`"${text}" parsed without error`);
}

describe('parseAssertion', () => {
  it('reads aggregate, metric, op and a % bound as a fraction', () => {
    expect(parseAssertion('max I-FLOPs < 500%')).toEqual({
      source: 'max I-FLOPs < 500%',
      level: 'error',
      aggregate: 'max',
      metric: 'I-FLOPs',
      method: 'deepperform',
      op: '<',
      value: 5,
      bound: { number: 500, unit: '%', text: '500%' },
    });
  });

  it.each([
    ['MAX i-flops <= 2x', 'I-FLOPs', '<=', 2],
    ['mean FLOPs < 1.5M', 'FLOPs', '<', 1_500_000],
    ['p50 FLOPs >= 20K', 'FLOPs', '>=', 20_000],
    ['min FLOPs > 1e6', 'FLOPs', '>', 1_000_000],
    ['generation time < 2s', 'generation time', '<', 2000],
    ['generation time < 20 ms', 'generation time', '<', 20],
    ['seed block coverage >= 90%', 'seed block coverage', '>=', 0.9],
    ['block   coverage > 0.9', 'block coverage', '>', 0.9],
    ['p95 perturbation Linf <= 0.1', 'perturbation Linf', '<=', 0.1],
    ['mean perturbation L2 < 3', 'perturbation L2', '<', 3],
    ['success number >= 10', 'success number', '>=', 10],
    ['success rate > 0.5', 'success rate', '>', 0.5],
    ['Seed Accuracy >= 80%', 'seed accuracy', '>=', 0.8],
    ['accuracy>=50%', 'accuracy', '>=', 0.5],
  ])('%s', (text, metric, op, value) => {
    const a = parseAssertion(text);
    expect([a.metric, a.op]).toEqual([metric, op]);
    expect(a.value).toBeCloseTo(value, 12);
    expect(a.method).toBe('deepperform');
  });

  it('reads the method suffix', () => {
    const a = parseAssertion('mean I-FLOPs of Random < 5%');
    expect([a.aggregate, a.metric, a.method, a.value]).toEqual(['mean', 'I-FLOPs', 'random', 0.05]);
  });

  it('reads worst-case as a method every suite runs, and the full-depth rate and p50 like the other metrics', () => {
    // worst-case needs no baseline: the suite's methods need not list it.
    const only = { methods: ['deepperform', 'random'] };
    expect(parseAssertion('mean I-FLOPs of worst-case < 100%', only)).toMatchObject({ aggregate: 'mean', metric: 'I-FLOPs', method: 'worst-case', op: '<', value: 1 });
    expect(parseAssertion('full-depth rate of Worst-Case < 10%', only)).toMatchObject({ metric: 'full-depth rate', method: 'worst-case', value: 0.1 });
    expect(parseAssertion('p50 I-FLOPs < 20%')).toMatchObject({ aggregate: 'p50', metric: 'I-FLOPs', method: 'deepperform', value: 0.2 });
    expect(parseAssertion('seed full-depth rate <= 0.05')).toMatchObject({ metric: 'seed full-depth rate', value: 0.05 });
    expect(parseAssertion('mean I-FLOPs of random <= 0.5x worst-case', only).against).toMatchObject({ to: 'worst-case', factor: 0.5 });
    const map = parseStructuredAssertion({ metric: 'p50 I-FLOPs of deepperform', op: '>=', against: 'worst-case', factor: 0.5 }, only);
    expect(map).toMatchObject({ source: 'p50 I-FLOPs of deepperform >= 0.5x worst-case', against: { to: 'worst-case' } });
  });

  it.each([
    ['max full-depth rate < 10%', '"full-depth rate" is a single number, so it takes no aggregate: drop "max"', 0],
    ['seed full-depth rate of worst-case < 10%', '"seed full-depth rate" is measured on the seed inputs: drop "of worst-case"', 21],
    ['mean I-FLOPs of worst-case >= worst-case', 'compares "worst-case" with itself: name another method, or saved', 30],
    ['full-depth rate of worstcase < 1%', 'unknown method "worstcase" (did you mean "worst-case"?): use one of deepperform, deepperform-refine, random, ilfo, ilfo-paper-code, deepsloth, worst-case', 19],
  ])('rejects %j', (text, message, index) => {
    const e = syntaxError(text);
    expect(e.message).toBe(message);
    expect(e.index).toBe(index);
  });

  it('reads the structured form', () => {
    const a = parseStructuredAssertion({ metric: 'max I-FLOPs of random', op: '<', value: '5%' }, { level: 'warn' });
    expect(a).toMatchObject({ source: 'max I-FLOPs of random < 5%', level: 'warn', method: 'random', value: 0.05 });
    const b = parseStructuredAssertion({ metric: 'block coverage', op: '>', value: 0.9 });
    expect(b).toMatchObject({ source: 'block coverage > 0.9', metric: 'block coverage', value: 0.9 });
  });

  it.each([
    ['I-FLOPs < 5%', '"I-FLOPs" has one value per input: put an aggregate before it (mean, max, min, p50, p95), e.g. "max I-FLOPs"', 0],
    ['max block coverage > 0.9', '"block coverage" is a single number, so it takes no aggregate: drop "max"', 0],
    ['block coverge > 0.9', 'unknown metric "block coverge" (did you mean "block coverage"?)', 0],
    ['max I-FLOPz < 5%', 'unknown metric "I-FLOPz" (did you mean "I-FLOPs"?)', 4],
    ['avg I-FLOPs < 5%', 'unknown aggregate "avg": use one of mean, max, min, p50, p95', 0],
    ['block coverage == 0.9', 'unknown operator "==": use one of <, <=, >, >=', 15],
    ['block coverage => 0.9', 'unknown operator "=>": use one of <, <=, >, >=', 15],
    ['block coverage 0.9', 'no comparison in "block coverage 0.9": write <metric> <op> <value> with op one of <, <=, >, >=', 0],
    ['block coverage > 90x', 'unit "x" is not allowed for "block coverage": use no unit, "%"', 19],
    ['generation time < 5%', 'unit "%" is not allowed for "generation time": use "ms", "s"', 19],
    ['generation time < 5', '"generation time" needs a unit: use "ms", "s"', 19],
    ['max I-FLOPs < 5 percent', 'unit "percent" is not allowed for "I-FLOPs": use no unit, "%", "x"', 16],
    ['block coverage >', 'missing value after ">"', 16],
    ['block coverage >   ', 'missing value after ">"', 19],
    ['block coverage > high', 'value "high" is not a number, a method (deepperform, deepperform-refine, random, ilfo, ilfo-paper-code, deepsloth, worst-case) or saved', 17],
    [' < 5', 'missing metric before the operator', 1],
    ['max I-FLOPs of < 5%', 'missing method name after "of"', 12],
    ['max I-FLOPs of randm < 5%', 'unknown method "randm" (did you mean "random"?): use one of deepperform, deepperform-refine, random, ilfo, ilfo-paper-code, deepsloth, worst-case', 15],
    ['seed accuracy of random > 0.5', '"seed accuracy" is measured on the seed inputs: drop "of random"', 14],
    ['max I-FLOPs extra < 5%', 'unexpected "extra" after "I-FLOPs"; expected the operator or "of <method>"', 12],
  ])('rejects %j', (text, message, index) => {
    const e = syntaxError(text);
    expect(e.message).toBe(message);
    expect(e.index).toBe(index);
  });

  it('lists the known metrics when no name is close', () => {
    expect(syntaxError('speed < 5ms').message).toBe(
      'unknown metric "speed"; known metrics: I-FLOPs, FLOPs, block coverage, seed block coverage, full-depth rate, ' +
        'seed full-depth rate, success rate, ' +
        'success number, accuracy, seed accuracy, perturbation L2, perturbation Linf, generation time, latency, ' +
        'seed latency, I-latency, energy, seed energy, I-energy, training time, total time, FLOPs-latency correlation, ' +
        'detector AUC, detector overhead, detector latency, retrained I-FLOPs, retrained accuracy',
    );
  });

  it('rejects a method the suite does not run', () => {
    expect(syntaxError('max I-FLOPs of random < 5%', ['deepperform']).message).toBe(
      'method "random" is not run by this suite: add it to baselines',
    );
  });

  it('structured form errors name the field at fault', () => {
    const bad = (spec: { metric: string; op: string; value: number | string }): AssertionSyntaxError => {
      try {
        parseStructuredAssertion(spec);
      } catch (e) {
        return e as AssertionSyntaxError;
      }
      throw new Error('parsed');
    };
    expect(bad({ metric: 'I-FLOPs', op: '<', value: 1 })).toMatchObject({ part: 'metric', index: 0 });
    expect(bad({ metric: 'block coverage', op: '<', value: '9 parsecs' })).toMatchObject({ part: 'value', index: 2 });
    expect(bad({ metric: 'generation time', op: '<', value: 9 })).toMatchObject({ part: 'value' });
  });
});

describe('parseAssertion: comparisons with another method or the saved result', () => {
  it('reads ilfo-paper-code as one method name, measured and compared with', () => {
    const a = parseAssertion('mean I-FLOPs of ilfo-paper-code < 5%');
    expect([a.metric, a.method, a.value]).toEqual(['I-FLOPs', 'ilfo-paper-code', 0.05]);
    const b = parseAssertion('mean I-FLOPs >= ilfo-paper-code - 1%');
    expect([b.method, b.against?.to, b.against?.offset]).toEqual(['deepperform', 'ilfo-paper-code', -0.01]);
  });

  it('reads a factor and a method', () => {
    expect(parseAssertion('mean I-FLOPs >= 1.5x ilfo')).toEqual({
      source: 'mean I-FLOPs >= 1.5x ilfo',
      level: 'error',
      aggregate: 'mean',
      metric: 'I-FLOPs',
      method: 'deepperform',
      op: '>=',
      against: { to: 'ilfo', factor: 1.5, offset: 0, text: '1.5x ilfo' },
    });
  });

  it.each([
    // text, method measured, to, factor, offset (canonical), offset unit, text
    ['mean I-FLOPs of random < 0.5x deepperform', 'random', 'deepperform', 0.5, 0, undefined, '0.5x deepperform'],
    ['mean I-FLOPs >= 1.5 X ILFO', 'deepperform', 'ilfo', 1.5, 0, undefined, '1.5x ilfo'],
    ['max I-FLOPs <= saved', 'deepperform', 'saved', 1, 0, undefined, 'saved'],
    ['max I-FLOPs <= 1.1x saved', 'deepperform', 'saved', 1.1, 0, undefined, '1.1x saved'],
    ['mean I-FLOPs <= saved + 5%', 'deepperform', 'saved', 1, 0.05, '%', 'saved + 5%'],
    ['mean I-FLOPs >= ilfo+10%', 'deepperform', 'ilfo', 1, 0.1, '%', 'ilfo + 10%'],
    ['mean latency <= 1.2x saved - 2ms', 'deepperform', 'saved', 1.2, -2, 'ms', '1.2x saved - 2ms'],
    ['mean FLOPs of random <= saved + 1.5M', 'random', 'saved', 1, 1_500_000, 'M', 'saved + 1.5M'],
    ['block coverage >= random - 0.05', 'deepperform', 'random', 1, -0.05, '', 'random - 0.05'],
    ['seed accuracy >= saved - 1%', 'deepperform', 'saved', 1, -0.01, '%', 'saved - 1%'],
    ['training time < 2x saved', 'deepperform', 'saved', 2, 0, undefined, '2x saved'],
  ])('%s', (text, method, to, factor, offset, unit, refText) => {
    const a = parseAssertion(text);
    expect(a.method).toBe(method);
    expect(a.against).toBeDefined();
    const ref = a.against!;
    expect([ref.to, ref.factor, ref.unit, ref.text]).toEqual([to, factor, unit, refText]);
    expect(ref.offset).toBeCloseTo(offset, 12);
  });

  it('keeps "5x" without a method a fixed bound', () => {
    const a = parseAssertion('mean I-FLOPs < 5 x');
    expect([a.against, a.against === undefined && a.value]).toEqual([undefined, 5]);
  });

  it.each([
    ['mean I-FLOPs >= 1.5x ilfoo', 'unknown method "ilfoo" (did you mean "ilfo"?): compare with one of deepperform, deepperform-refine, random, ilfo, ilfo-paper-code, deepsloth, worst-case or saved', 21],
    ['mean I-FLOPs <= 1.1x savd', 'unknown method "savd" (did you mean "saved"?): compare with one of deepperform, deepperform-refine, random, ilfo, ilfo-paper-code, deepsloth, worst-case or saved', 21],
    ['mean I-FLOPs >= 1.5x deepperform', 'compares "deepperform" with itself: name another method, or saved', 21],
    ['mean I-FLOPs of random > random', 'compares "random" with itself: name another method, or saved', 25],
    ['mean I-FLOPs >= 0x ilfo', 'the factor must be a number > 0, got "0"', 16],
    ['mean I-FLOPs >= -2x ilfo', 'the factor must be a number > 0, got "-2"', 16],
    ['seed accuracy > 0.9x random', '"seed accuracy" is measured on the seed inputs, the same for every method: compare it with saved, not "random"', 21],
    ['total time < 2x ilfo', '"total time" is measured once per suite, the same for every method: compare it with saved, not "ilfo"', 16],
    ['mean I-FLOPs >= ilfo 10%', 'unexpected "10%" after "ilfo"; expected "+ <value>", "- <value>" or the end', 21],
    ['mean I-FLOPs >= ilfo +', 'missing value after "+"', 22],
    ['mean latency <= saved + 5%', 'unit "%" is not allowed for "latency": use "ms", "s" (for a relative margin use a factor, e.g. "1.05x saved")', 25],
    ['mean latency <= saved + 5', '"latency" needs a unit: use "ms", "s"', 25],
  ])('rejects %j', (text, message, index) => {
    const e = syntaxError(text);
    expect(e.message).toBe(message);
    expect(e.index).toBe(index);
  });

  it('rejects a comparison with a method the suite does not run', () => {
    const e = syntaxError('mean I-FLOPs >= 1.5x ilfo', ['deepperform', 'random']);
    expect([e.message, e.index]).toEqual(['method "ilfo" is not run by this suite: add it to baselines', 21]);
  });

  it('reads the map form with against, factor and offset', () => {
    const a = parseStructuredAssertion({ metric: 'mean I-FLOPs', op: '>=', against: 'ilfo', factor: 1.5 }, { level: 'warn' });
    expect(a).toMatchObject({ source: 'mean I-FLOPs >= 1.5x ilfo', level: 'warn', against: { to: 'ilfo', factor: 1.5, offset: 0 } });
    const b = parseStructuredAssertion({ metric: 'max I-FLOPs', op: '<=', against: 'saved', offset: '+5%' });
    expect(b.source).toBe('max I-FLOPs <= saved + 5%');
    expect(b.against?.offset).toBeCloseTo(0.05, 12);
    const c = parseStructuredAssertion({ metric: 'mean latency', op: '<=', against: 'saved', factor: 1.1, offset: '-2ms' });
    expect([c.source, c.against?.offset]).toEqual(['mean latency <= 1.1x saved - 2ms', -2]);
    const d = parseStructuredAssertion({ metric: 'block coverage', op: '>=', against: 'random', offset: -0.05 });
    expect([d.source, d.against?.offset]).toEqual(['block coverage >= random - 0.05', -0.05]);
  });

  it('map form errors name against or offset', () => {
    const bad = (spec: Parameters<typeof parseStructuredAssertion>[0], methods?: string[]): AssertionSyntaxError => {
      try {
        parseStructuredAssertion(spec, methods === undefined ? {} : { methods });
      } catch (e) {
        return e as AssertionSyntaxError;
      }
      throw new Error('parsed');
    };
    expect(bad({ metric: 'mean I-FLOPs', op: '>', against: 'ilfo' }, ['deepperform'])).toMatchObject({
      part: 'against',
      message: 'method "ilfo" is not run by this suite: add it to baselines',
    });
    expect(bad({ metric: 'mean latency', op: '<', against: 'saved', offset: '+5%' })).toMatchObject({ part: 'offset', index: 2 });
    expect(bad({ metric: 'mean latency', op: '<', against: 'saved', offset: 5 })).toMatchObject({ part: 'offset' });
    expect(bad({ metric: 'mean I-FLOPs', op: '>=', value: '1.5x ilfo' })).toMatchObject({
      part: 'value',
      index: 5,
      message: 'value is a fixed bound; to compare with ilfo, write against: ilfo (with factor: and/or offset:) instead',
    });
  });
});

/** A source that returns one fixed value for every metric. */
const constant = (v: number): MetricSource => ({ value: () => v });

describe('evaluateAssertion', () => {
  it.each([
    // value 0.5 against 50%, at the boundary each op decides.
    [0.5, 'block coverage < 50%', 'failed'],
    [0.5, 'block coverage <= 50%', 'passed'],
    [0.5, 'block coverage > 50%', 'failed'],
    [0.5, 'block coverage >= 50%', 'passed'],
    // and just either side of it.
    [0.499, 'block coverage < 50%', 'passed'],
    [0.501, 'block coverage <= 50%', 'failed'],
    [0.501, 'block coverage > 50%', 'passed'],
    [0.499, 'block coverage >= 50%', 'failed'],
    [0.9, 'block coverage > 0.9', 'failed'],
    [0.91, 'block coverage > 0.9', 'passed'],
  ])('%d vs "%s" -> %s', (value, text, status) => {
    expect(evaluateAssertion(parseAssertion(text), constant(value)).status).toBe(status);
  });

  it('reports expected as written and actual in the assertion unit', () => {
    const r = evaluateAssertion(parseAssertion('max I-FLOPs < 30%'), constant(0.372));
    expect(r).toEqual({
      source: 'max I-FLOPs < 30%',
      level: 'error',
      status: 'failed',
      metric: 'max I-FLOPs',
      expected: '< 30%',
      value: 0.372,
      actual: '37.2%',
    });
  });

  it('formats the x unit as a multiplier', () => {
    const r = evaluateAssertion(parseAssertion('mean I-FLOPs < 5x'), constant(3.5));
    expect([r.status, r.expected, r.actual, r.value]).toEqual(['passed', '< 5x', '3.50x', 3.5]);
    expect(r.message).toBeUndefined();
  });

  it('shows enough digits to tell a near miss from the bound', () => {
    const r = evaluateAssertion(parseAssertion('block coverage <= 50%'), constant(0.50004));
    expect([r.status, r.actual]).toEqual(['failed', '50.004%']);
    const equal = evaluateAssertion(parseAssertion('block coverage < 50%'), constant(0.5));
    expect([equal.status, equal.actual, equal.message]).toEqual(['failed', '50.0%', undefined]);
  });

  it('formats time, FLOPs and counts', () => {
    expect(evaluateAssertion(parseAssertion('generation time < 2s'), constant(1500)).actual).toBe('1.500s');
    expect(evaluateAssertion(parseAssertion('generation time < 20ms'), constant(12.34)).actual).toBe('12.3ms');
    const flops = evaluateAssertion(parseAssertion('mean FLOPs < 1M'), constant(1_234_567));
    expect([flops.status, flops.actual]).toEqual(['failed', '1.23M']);
    expect(evaluateAssertion(parseAssertion('success number >= 10'), constant(12)).actual).toBe('12');
    expect(evaluateAssertion(parseAssertion('block coverage > 0.9'), constant(0.91234)).actual).toBe('0.912');
  });

  it('names the method in the metric label', () => {
    const r = evaluateAssertion(parseAssertion('max I-FLOPs of random < 10%'), constant(0));
    expect(r.metric).toBe('max I-FLOPs of random');
  });

  it('passes the metric, aggregate and method to the source', () => {
    const calls: unknown[] = [];
    const source: MetricSource = {
      value: (...args) => {
        calls.push(args);
        return 0;
      },
    };
    evaluateAssertion(parseAssertion('p95 FLOPs of random < 1G'), source);
    evaluateAssertion(parseAssertion('accuracy > 0'), source);
    expect(calls).toEqual([
      ['FLOPs', 'p95', 'random'],
      ['accuracy', undefined, 'deepperform'],
    ]);
  });

  it('is skipped, never passed, when the metric is unavailable', () => {
    const source: MetricSource = { value: () => ({ unavailable: 'no power sensor' }) };
    const r = evaluateAssertion(parseAssertion('block coverage > 0.9', { level: 'warn' }), source);
    expect(r).toEqual({
      source: 'block coverage > 0.9',
      level: 'warn',
      status: 'skipped',
      metric: 'block coverage',
      expected: '> 0.9',
      value: null,
      actual: null,
      message: 'no power sensor',
    });
    // A NaN is a measurement that went wrong, not one this machine cannot make: it fails.
    expect(evaluateAssertion(parseAssertion('block coverage > 0.9'), constant(Number.NaN)).status).toBe('failed');
  });
});
