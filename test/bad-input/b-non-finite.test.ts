/**
 * Bad input, class 3: non-finite numbers. NaN weights, NaN inputs, NaN or
 * infinite measurements and out-of-range numbers from a user module never
 * give PASSED (nor a quiet "skipped"): each is an error or a failed
 * assertion whose message says where the number came from.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdnn, loadUserAdnn, runBatched, type AdaptiveNetwork } from '../../src/adnn/index.js';
import { GeneratorCache } from '../../src/generator/index.js';
import { measureMethod } from '../../src/measure/index.js';
import { evaluateAssertion, parseAssertion, type MetricSource } from '../../src/assert/index.js';
import { metricValue, type SuiteResult } from '../../src/results/index.js';
import { runSuite } from '../../src/runner/index.js';
import { parseSuite } from '../../src/suite/index.js';
import { FIXTURE_MODEL, tempDir } from '../helpers/cli.js';
import { useCpu } from '../helpers/tf.js';
import { minimalSuiteText } from './b-helpers.js';

beforeAll(useCpu);

/** A copy of the shipped sdn-tiny whose first weight's first `n` values are NaN (model.json without a checksum, as an old folder). */
function nanWeights(n: number): string {
  const dir = join(tempDir(), 'model');
  cpSync(FIXTURE_MODEL, dir, { recursive: true });
  const bin = readFileSync(join(dir, 'weights.bin'));
  for (let i = 0; i < n; i++) bin.writeFloatLE(NaN, i * 4);
  writeFileSync(join(dir, 'weights.bin'), bin);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  delete json.weightsManifest[0].sha256;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json, null, 1));
  return dir;
}

const source = (v: number): MetricSource => ({ value: () => v });
const verdict = (text: string, v: number) => evaluateAssertion(parseAssertion(text), source(v));

describe('NaN weights', () => {
  it('loading names weights.bin, the weight and how many values are NaN', async () => {
    const dir = nanWeights(3);
    const err = await loadAdnn(dir).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.name).toBe('WeightsFileError');
    expect(err?.message).toContain(join(dir, 'weights.bin'));
    expect(err?.message).toMatch(/weight "[^"]+" holds 3 NaN or infinite values of \d+/);
  });

  it('a suite on a model whose weights are NaN stops with that error, never a verdict', async () => {
    const dir = nanWeights(1);
    const work = tempDir();
    const suite = parseSuite(
      minimalSuiteText({
        name: 'nan weights',
        model: `{ arch: sdn-tiny, weights: ${dir} }`,
        data: '{ dataset: fashion-mnist-embedded, seeds: 4 }',
        assertions: ['mean I-FLOPs >= 0', 'block coverage >= 0'],
      }),
      join(work, 'nan.perf.yaml'),
    );
    const run = runSuite(suite, {}, { cwd: work, cache: new GeneratorCache(join(work, 'cache')), retrain: true, toolVersion: 'test' });
    await expect(run).rejects.toThrow(/holds 1 NaN or infinite value of/);
  });
});

describe('NaN and infinite measurements fail the assertion', () => {
  it.each([
    ['mean I-FLOPs >= 0.1', NaN, /is NaN/],
    ['mean I-FLOPs <= 5', NaN, /is NaN/],
    ['mean I-FLOPs >= 0.1', Infinity, /is infinite/],
    ['max FLOPs < 1e300', -Infinity, /is infinite/],
  ])('%s with %s: failed, never passed or skipped', (text, v, why) => {
    const r = verdict(text, v);
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(why);
  });

  it('a comparison with another method whose value is NaN fails', () => {
    const a = parseAssertion('mean I-FLOPs > random');
    const r = evaluateAssertion(a, { value: (_m, _a, method) => (method === 'random' ? NaN : 0.5) });
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/cannot compare with random: .*NaN/);
  });

  /** A result whose seeds include ones that cost 0 FLOPs (a user model that counts nothing for them). */
  function zeroCostSeeds(): Parameters<typeof metricValue>[0] {
    const stats = { mean: NaN, median: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN, min: NaN, max: NaN };
    return {
      seeds: { flops: [0, 0, 100], flopsStats: stats } as unknown as SuiteResult['seeds'],
      methods: [{ method: 'deepperform', iflops: [Infinity, NaN, 0.5], iflopsStats: { ...stats, max: Infinity } } as unknown as SuiteResult['methods'][number]],
      durationMs: 1,
    } as Parameters<typeof metricValue>[0];
  }

  it('I-FLOPs that divide by a seed costing 0 FLOPs: failed, saying so (Eq. 9)', () => {
    const v = metricValue(zeroCostSeeds(), 'I-FLOPs', 'mean', 'deepperform');
    expect(v).toEqual({ unavailable: 'mean I-FLOPs is NaN: 2 of 3 seeds cost 0 FLOPs, and I-FLOPs (Eq. 9) divides by a seed\'s FLOPs', fail: true });
    const r = evaluateAssertion(parseAssertion('max I-FLOPs >= 0.2'), { value: (m, a, method) => metricValue(zeroCostSeeds(), m, a, method) });
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/max I-FLOPs is infinite: 2 of 3 seeds cost 0 FLOPs/);
  });

  it('an undefined FLOPs-latency correlation (every seed the same FLOPs) fails instead of skipping', () => {
    const result = { ...zeroCostSeeds(), correlation: { r: NaN, reason: 'every seed cost the same FLOPs' } } as Parameters<typeof metricValue>[0];
    const v = metricValue(result, 'FLOPs-latency correlation', undefined, 'deepperform');
    expect(v).toMatchObject({ fail: true });
    expect((v as { unavailable: string }).unavailable).toMatch(/correlation is undefined: every seed cost the same FLOPs/);
  });
});

describe('generated inputs holding NaN pixels', () => {
  it('real execution of sdn-tiny gives finite FLOPs for them, so the method is marked unusable and every assertion on it fails', async () => {
    const { network } = await loadAdnn(FIXTURE_MODEL);
    try {
      const size = 28 * 28;
      const seeds = { images: new Float32Array(4 * size).fill(0.5), count: 4, labels: new Int32Array(4) };
      const generated = { images: new Float32Array(seeds.images), count: 4, msPerInput: 0 };
      generated.images[3] = NaN; // input 0
      generated.images[2 * size + 100] = NaN; // input 2
      const seedExecution = runBatched(network, seeds, 0.5);
      const generatedExecution = runBatched(network, generated, 0.5);
      // The trap: the counters stay finite, so without the check these numbers look like a measurement.
      expect(Array.from(generatedExecution.flops).every(Number.isFinite)).toBe(true);
      const result = measureMethod(network, { method: 'deepperform', seeds, seedExecution, generated, generatedExecution, generationMsPerInput: 0 });
      expect(result.unusable).toBe('2 of 4 inputs deepperform made hold NaN or infinite pixels');
      const measured = { seeds: undefined, methods: [result], durationMs: 1 } as unknown as Parameters<typeof metricValue>[0];
      const r = evaluateAssertion(parseAssertion('mean I-FLOPs >= -1'), { value: (m, a, method) => metricValue(measured, m, a, method) });
      expect(r.status).toBe('failed');
      expect(r.message).toBe('mean I-FLOPs cannot be trusted: 2 of 4 inputs deepperform made hold NaN or infinite pixels');
    } finally {
      network.dispose();
    }
  });
});

describe('numbers from a user module', () => {
  /** A two-block skipping module on 2x2x1 inputs whose soft() and run() return what `p`, `logits` and `flops` say (JS expressions). */
  function userModule(values: { p?: string; logits?: string; flops?: string }): string {
    const file = join(tempDir(), 'm.mjs');
    writeFileSync(
      file,
      `export default function ({ tf }) {
  let calls = 0;
  return {
    meta: { name: 'two', kind: 'skipping', input: { height: 2, width: 2, channels: 1, range: [0, 1] }, numClasses: 3, baseFlops: 10, blocks: [{ name: 'a', flops: 5 }, { name: 'b', flops: 5 }] },
    soft(x) { const b = x.shape[0]; return { logits: tf.fill([b, 3], ${values.logits ?? '0'}), p: tf.fill([b, 2], ${values.p ?? '0.5'}) }; },
    run(x) { const b = x.shape[0]; calls++; return { predictions: new Int32Array(b), ran: new Uint8Array(b * 2), flops: new Float64Array(b).fill(${values.flops ?? '10'}) }; },
  };
}
`,
    );
    return file;
  }
  const load = (values: Parameters<typeof userModule>[0]): Promise<AdaptiveNetwork> => loadUserAdnn(userModule(values), 'default', {}, { timeoutMs: 2000 });

  it.each([
    [{ p: '1.5' }, /soft\(\) p\[0\] is 1\.5; activation probabilities must be numbers in \[0, 1\]/],
    [{ p: '-0.25' }, /soft\(\) p\[0\] is -0\.25/],
    [{ p: 'NaN' }, /soft\(\) p\[0\] is NaN/],
    [{ logits: 'Infinity' }, /soft\(\) logits\[0\] is Infinity; logits must be finite/],
    [{ flops: 'NaN' }, /run\(\) returned flops\[0\] = NaN .*must be a finite number >= 0/],
    [{ flops: '-1' }, /run\(\) returned flops\[0\] = -1/],
    [{ flops: 'Infinity' }, /run\(\) returned flops\[0\] = Infinity/],
  ])('%o is refused at load, naming the module and the call', async (values, message) => {
    const err = await load(values).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.name).toBe('UserModelError');
    expect(err?.message).toMatch(/m\.mjs: /);
    expect(err?.message).toMatch(message);
  });

  it('run() FLOPs are checked at every call, not only on the test batch at load', async () => {
    const net = await load({ flops: 'calls > 1 ? NaN : 10' });
    const x = tf.zeros([3, 2, 2, 1]) as tf.Tensor4D;
    expect(() => net.run(x, 0.5)).toThrow(/m\.mjs: run\(\) returned flops\[0\] = NaN \(input 0 of the batch\)/);
    x.dispose();
  });
});
