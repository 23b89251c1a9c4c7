import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DetectorFileError } from './errors.js';
import { DETECTOR_FORMAT, readDetector, saveDetector } from './io.js';
import type { DetectorModel } from './model.js';

/** A 1x2x1-feature detector written by hand; values chosen to need all 9 float32 digits. */
function handMade(): DetectorModel {
  return {
    model: { name: 'toy', arch: 'sdn-tiny', kind: 'early-exit', input: { height: 4, width: 4, channels: 1, range: [0, 1] } },
    features: { source: 'first-conv', description: 'toy', shape: [1, 2, 1], dim: 2, convFlops: 36, probe: [0.125, -0.25] },
    standardization: { mean: Float32Array.from([0.1, -3.3333333]), std: Float32Array.from([1, 0.7]) },
    weights: Float32Array.from([1 / 3, -2.718281828]),
    bias: -0.123456789012345,
    threshold: 0,
    training: {
      seeds: 2,
      generated: 2,
      svm: { c: 1, biasScale: 1, tolerance: 0.1, maxEpochs: 10, seed: 0, epochs: 3, converged: true, objective: 0.5 },
      accuracy: 1,
      provenance: { suite: 'toy' },
    },
  };
}

async function tempFile(name: string): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'deepperform-detector-')), name);
}

describe('detector file', () => {
  it('round-trips every field, float32 values bit for bit', async () => {
    const file = await tempFile('toy.detector.json');
    const model = handMade();
    await saveDetector(file, model, { auc: 0.75 });
    const back = await readDetector(file);
    expect(Array.from(back.weights)).toEqual(Array.from(model.weights));
    expect(Array.from(back.standardization.mean)).toEqual(Array.from(model.standardization.mean));
    expect(Array.from(back.standardization.std)).toEqual(Array.from(model.standardization.std));
    expect(back.bias).toBe(model.bias);
    expect(back.model).toEqual(model.model);
    expect(back.features).toEqual(model.features);
    expect(back.training).toEqual(model.training);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc).toMatchObject({ format: DETECTOR_FORMAT, formatVersion: 1, positive: 'generated', evaluation: { auc: 0.75 } });
    // 1/3 as float32 needs 9 digits; arrays sit on one line.
    expect(readFileSync(file, 'utf8')).toContain('"weights": [0.333333343,-2.71828175]');
  });

  it('says what is wrong, with the file name', async () => {
    const file = await tempFile('bad.json');
    const good = () => JSON.parse(JSON.stringify({ ...handMade(), format: DETECTOR_FORMAT, formatVersion: 1, weights: [1, 2], standardization: { mean: [0, 0], std: [1, 1] } }));
    const attempt = async (doc: unknown) => {
      writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
      return readDetector(file).then(
        () => 'no error',
        (e: Error) => (e instanceof DetectorFileError ? e.message : `not a DetectorFileError: ${e.message}`),
      );
    };
    expect(await attempt('{ "format": ')).toMatch(/bad\.json: not a detector file: invalid JSON/);
    expect(await attempt({ ...good(), format: 'deepperform-weights' })).toMatch(/"format" is "deepperform-weights", expected "deepperform-detector"/);
    expect(await attempt({ ...good(), formatVersion: 2 })).toMatch(/format version 2 is newer than this deepperform reads \(1\)/);
    expect(await attempt({ ...good(), weights: [1, 2, 3] })).toMatch(/"weights" has 3 values, expected 2/);
    expect(await attempt({ ...good(), weights: [1, 'x'] })).toMatch(/"weights" must be a list of finite numbers/);
    expect(await attempt({ ...good(), standardization: { mean: [0, 0], std: [1, 0] } })).toMatch(/"standardization.std" must be > 0/);
    expect(await attempt({ ...good(), bias: null })).toMatch(/"bias" must be a finite number/);
    expect(await attempt({ ...good(), training: undefined })).toMatch(/"training" must be an object/);
    expect(await attempt({ ...good(), model: { ...good().model, kind: 'gated' } })).toMatch(/"model.kind" must be "skipping" or "early-exit", got "gated"/);
    expect(await attempt(good())).toBe('no error');
    await expect(readDetector(join(file, '..', 'missing.json'))).rejects.toThrow(/missing\.json: no such file/);
  });
});
