/**
 * Bad input, class 7: a model folder's model.json is checked field by field
 * (an error naming the file and the field, never a TypeError), and the
 * SHA-256 of weights.bin that it records is verified at load: flipped bytes
 * are found. Folders written before checksums still load.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdnn } from '../../src/adnn/index.js';
import { addWeightsChecksum, loadWeights, saveWeights } from '../../src/nn/index.js';
import { modelHash } from '../../src/runner/generator-source.js';
import { parseSuite } from '../../src/suite/index.js';
import { FIXTURE_MODEL, tempDir } from '../helpers/cli.js';
import { useCpu } from '../helpers/tf.js';

beforeAll(useCpu);

/** A copy of the shipped sdn-tiny folder with model.json edited by `edit`. */
function copyWith(edit: (json: Record<string, any>) => void): string {
  const dir = join(tempDir(), 'model');
  cpSync(FIXTURE_MODEL, dir, { recursive: true });
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  edit(json);
  writeFileSync(join(dir, 'model.json'), `${JSON.stringify(json, null, 1)}\n`); // the layout saveWeights writes
  return dir;
}

async function loadError(dir: string): Promise<Error> {
  const err = await loadAdnn(dir).then(
    (m) => {
      m.network.dispose();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err, 'loading should fail').toBeInstanceOf(Error);
  return err as Error;
}

describe('model.json fields', () => {
  it.each<[string, (j: Record<string, any>) => void, RegExp]>([
    ['a manifest group without weights', (j) => delete j.weightsManifest[0].weights, /weightsManifest\[0\]\.weights must be a list/],
    ['no paths', (j) => delete j.weightsManifest[0].paths, /weightsManifest\[0\]\.paths must be a list of one file name/],
    ['a path out of the folder', (j) => (j.weightsManifest[0].paths = ['../../../etc/passwd']), /paths\[0\] must name a file inside the model folder/],
    ['an absolute path', (j) => (j.weightsManifest[0].paths = ['/dev/zero']), /paths\[0\] must name a file inside the model folder/],
    ['a shape that is not a list of numbers', (j) => (j.weightsManifest[0].weights[0].shape = 'abc'), /weights\[0\]\.shape must be a list of whole numbers >= 0, got "abc"/],
    ['a negative dimension', (j) => (j.weightsManifest[0].weights[1].shape = [-8]), /weights\[1\]\.shape must be a list of whole numbers/],
    ['a weight without a name', (j) => delete j.weightsManifest[0].weights[2].name, /weights\[2\]\.name must be a non-empty string/],
    ['a name given twice', (j) => (j.weightsManifest[0].weights[1].name = j.weightsManifest[0].weights[0].name), /weights\[1\]\.name must be unique/],
    ['an unsupported dtype', (j) => (j.weightsManifest[0].weights[0].dtype = 'float16'), /weights\[0\]\.dtype must be float32 or int32/],
    ['quantized weights', (j) => (j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8' }), /weights\[0\]\.quantization is not supported/],
    ['two groups', (j) => j.weightsManifest.push(j.weightsManifest[0]), /weightsManifest must be a list of exactly one group/],
    ['a malformed checksum', (j) => (j.weightsManifest[0].sha256 = 'abc'), /sha256 must be 64 hexadecimal digits/],
    ['no metadata', (j) => delete j.metadata, /metadata must be an object/],
    ['no architecture', (j) => delete j.metadata.arch, /metadata\.arch must name a zoo architecture/],
    ['an unknown architecture', (j) => (j.metadata.arch = 'resnet-9000'), /metadata\.arch "resnet-9000" is not a zoo architecture/],
    ['a config that is not an object', (j) => (j.metadata.config = 7), /metadata\.config must be an object/],
    ['another format', (j) => Object.assign(j, { format: 'x' }), /is not a deepperform weights file/],
    // Hand-edited configs: the builder's own errors, and models that would build but cannot be tested.
    ['widths that are not numbers', (j) => (j.metadata.config.widths = 'abc'), /metadata\.config is not a sdn-tiny configuration: /],
    ['a config without input', (j) => delete j.metadata.config.input, /metadata\.config is not a sdn-tiny configuration: /],
    ['0 classes', (j) => (j.metadata.config.numClasses = 0), /gives a sdn-tiny model that cannot be tested: meta\.numClasses must be a positive integer, got 0/],
    ['an input range with a null', (j) => (j.metadata.config.input.range = [null, 1]), /cannot be tested: meta\.input must be .*finite, low < high/],
    ['a 100000 x 100000 input', (j) => (j.metadata.config.input = { height: 1e5, width: 1e5, channels: 1, range: [0, 1] }), /meta\.input is 100000x100000x1 = 10000000000 values per image/],
    ['a normalisation that divides by 0', (j) => (j.metadata.config.normalize.std = 0), /metadata\.config\.normalize\.std must be finite and > 0 \(inputs are divided by it\), got 0/],
    ['a normalisation that is not a map', (j) => (j.metadata.config.normalize = 'x'), /metadata\.config\.normalize must be \{ mean, std \} or null/],
  ])('%s: a WeightsFileError naming model.json and the field', async (_what, edit, message) => {
    const dir = copyWith(edit);
    const err = await loadError(dir);
    expect(err.name).toBe('WeightsFileError');
    expect(err.message).toContain(join(dir, 'model.json'));
    expect(err.message).toMatch(message);
  });
});

describe('the checksum of weights.bin', () => {
  it('the shipped model records one, and loads', async () => {
    const json = JSON.parse(readFileSync(join(FIXTURE_MODEL, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    (await loadAdnn(FIXTURE_MODEL)).network.dispose();
  });

  it('one flipped byte in weights.bin is an error naming weights.bin', async () => {
    const dir = copyWith(() => undefined);
    const bin = readFileSync(join(dir, 'weights.bin'));
    bin[1234] ^= 0x01; // the lowest mantissa bit of one weight: still a finite number, still the right size
    writeFileSync(join(dir, 'weights.bin'), bin);
    const err = await loadError(dir);
    expect(err.name).toBe('WeightsFileError');
    expect(err.message).toContain(join(dir, 'weights.bin'));
    expect(err.message).toMatch(/SHA-256/);
  });

  it('a folder written before checksums (none recorded) still loads', async () => {
    const dir = copyWith((j) => delete j.weightsManifest[0].sha256);
    (await loadAdnn(dir)).network.dispose();
  });

  it('addWeightsChecksum (scripts/add-weights-checksum.mjs) adds the checksum to an old folder without touching weights.bin', async () => {
    const dir = copyWith((j) => delete j.weightsManifest[0].sha256);
    const before = readFileSync(join(dir, 'weights.bin'));
    expect(await addWeightsChecksum(dir)).toBe(true);
    expect(readFileSync(join(dir, 'weights.bin')).equals(before)).toBe(true);
    // The same text as the shipped model.json, whose checksum was added this way.
    expect(readFileSync(join(dir, 'model.json'), 'utf8')).toBe(readFileSync(join(FIXTURE_MODEL, 'model.json'), 'utf8'));
    expect(await addWeightsChecksum(dir)).toBe(false);
  });

  it('saveWeights records the checksum; a checksum does not change the model hash (generator cache keys)', async () => {
    const dir = join(tempDir(), 'w');
    const w = tf.tensor1d([0.5, -1.25]);
    await saveWeights(dir, { kind: 'test' }, new Map([['w', w]]));
    w.dispose();
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    // SHA-256 of the 8 bytes of float32 [0.5, -1.25], little-endian 0000003f 0000a0bf (computed with sha256sum).
    expect(json.weightsManifest[0].sha256).toBe('7b45a47d9278f40774a3ab7770cdadae80c58f0bc7e47b6ef7dd9835286ea052');
    const loaded = await loadWeights(dir);
    expect([...loaded.weights.get('w')!.dataSync()]).toEqual([0.5, -1.25]);

    const suite = (weights: string) =>
      parseSuite(`name: h\nmodel: { arch: sdn-tiny, weights: ${weights} }\ndata: { dataset: fashion-mnist-embedded }\nnorm: linf\nepsilon: 0.1\n`, '/tmp/h.perf.yaml');
    const without = copyWith((j) => delete j.weightsManifest[0].sha256);
    expect(await modelHash(suite(FIXTURE_MODEL))).toBe(await modelHash(suite(without)));
  });
});
