import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_DEFAULT_PATH, loadDataset, type DatasetSpec } from './dataset.js';
import { DataError } from './errors.js';

/** IDX header for unsigned bytes with small dims (each < 256), written out by hand. */
function idx(dims: number[], values: number[]): Uint8Array {
  return Uint8Array.from([0, 0, 0x08, dims.length, ...dims.flatMap((d) => [0, 0, 0, d]), ...values]);
}

// 3 training images of 2x2 and 2 test images of 2x2.
const TRAIN_PIXELS = [255, 51, 0, 102, /* */ 1, 2, 3, 4, /* */ 204, 153, 127, 128];
const TRAIN_LABELS = [3, 0, 9];
const TEST_PIXELS = [0, 255, 255, 0, /* */ 17, 34, 68, 85];
const TEST_LABELS = [1, 8];

let root: string;
const folder = (name: string) => join(root, name);

async function makeFolder(name: string, files: Record<string, Uint8Array>): Promise<void> {
  await mkdir(folder(name), { recursive: true });
  for (const [file, bytes] of Object.entries(files)) await writeFile(join(folder(name), file), bytes);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'deepperform-ds-'));
  // Train files plain, test files gzipped: both layouts in one folder.
  await makeFolder('good', {
    'train-images-idx3-ubyte': idx([3, 2, 2], TRAIN_PIXELS),
    'train-labels-idx1-ubyte': idx([3], TRAIN_LABELS),
    't10k-images-idx3-ubyte.gz': gzipSync(idx([2, 2, 2], TEST_PIXELS)),
    't10k-labels-idx1-ubyte.gz': gzipSync(idx([2], TEST_LABELS)),
  });
  await makeFolder('mismatch', {
    'train-images-idx3-ubyte': idx([3, 2, 2], TRAIN_PIXELS),
    'train-labels-idx1-ubyte': idx([2], [0, 1]),
  });
  await makeFolder('bad-label', {
    'train-images-idx3-ubyte': idx([3, 2, 2], TRAIN_PIXELS),
    'train-labels-idx1-ubyte': idx([3], [0, 10, 1]),
  });
  await makeFolder('labels-2d', {
    'train-images-idx3-ubyte': idx([3, 2, 2], TRAIN_PIXELS),
    'train-labels-idx1-ubyte': idx([3, 1], [0, 1, 2]),
  });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function errorOf(spec: DatasetSpec): Promise<DataError> {
  const e = await loadDataset(spec).then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe('loadDataset from a folder', () => {
  it('decodes plain IDX bytes to NHWC floats in [0, 1]', async () => {
    const ds = await loadDataset({ name: 'mnist', split: 'train', path: folder('good') });
    expect([ds.count, ds.height, ds.width, ds.channels, ds.numClasses]).toEqual([3, 2, 2, 1, 10]);
    expect(ds.split).toBe('train');
    expect(ds.images.length).toBe(12);
    // 255 -> 1, 51 -> 0.2, 0 -> 0, 102 -> 0.4 (as float32)
    expect([...ds.images.subarray(0, 4)]).toEqual([1, Math.fround(0.2), 0, Math.fround(0.4)]);
    expect(ds.images[8]).toBe(Math.fround(0.8)); // 204
    expect(ds.images[9]).toBe(Math.fround(0.6)); // 153
    expect([...ds.labels]).toEqual([3, 0, 9]);
  });

  it('reads the gzipped test split', async () => {
    const ds = await loadDataset({ name: 'mnist', split: 'test', path: folder('good') });
    expect(ds.count).toBe(2);
    expect([...ds.images]).toEqual([0, 1, 1, 0, Math.fround(1 / 15), Math.fround(2 / 15), Math.fround(4 / 15), Math.fround(1 / 3)]);
    expect([...ds.labels]).toEqual([1, 8]);
  });

  it('names the classes of fashion-mnist', async () => {
    const ds = await loadDataset({ name: 'fashion-mnist', split: 'train', path: folder('good') });
    expect(ds.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect(ds.classNames?.[ds.labels[0]]).toBe('Dress');
  });

  it('rejects images and labels of different counts', async () => {
    const e = await errorOf({ name: 'mnist', split: 'train', path: folder('mismatch') });
    expect(e.file).toBe(join(folder('mismatch'), 'train-labels-idx1-ubyte'));
    expect(e.message).toContain(join(folder('mismatch'), 'train-images-idx3-ubyte'));
    expect(e.message).toMatch(/2 labels .* 3 images/);
  });

  it('rejects a label outside the classes', async () => {
    const e = await errorOf({ name: 'mnist', split: 'train', path: folder('bad-label') });
    expect(e.message).toContain('train-labels-idx1-ubyte');
    expect(e.message).toMatch(/label 1 is 10/);
  });

  it('rejects labels that are not 1-D', async () => {
    const e = await errorOf({ name: 'mnist', split: 'train', path: folder('labels-2d') });
    expect(e.message).toMatch(/1-D .* 3x1/);
  });

  it('names a missing file', async () => {
    const e = await errorOf({ name: 'mnist', split: 'test', path: folder('mismatch') });
    expect(e.file).toBe(join(folder('mismatch'), 't10k-images-idx3-ubyte'));
    expect(e.message).toContain(join(folder('mismatch'), 't10k-images-idx3-ubyte'));
    expect(e.message).toMatch(/does not exist/);
  });

  it('names a missing folder', async () => {
    const e = await errorOf({ name: 'fashion-mnist', split: 'train', path: folder('absent') });
    expect(e.file).toBe(folder('absent'));
    expect(e.message).toContain(folder('absent'));
  });

  it('lists the known names for an unknown dataset', async () => {
    const e = await errorOf({ name: 'cifar-11', split: 'train' });
    expect(e.file).toBeUndefined();
    expect(e.message).toMatch(/unknown dataset 'cifar-11'/);
    expect(e.message).toContain('fashion-mnist, mnist, fashion-mnist-embedded');
  });

  it('asks for a path for mnist, and refuses one for the embedded slice', async () => {
    expect((await errorOf({ name: 'mnist', split: 'train' })).message).toMatch(/needs a path/);
    expect((await errorOf({ name: 'fashion-mnist-embedded', split: 'train', path: folder('good') })).message).toMatch(/takes no path/);
  });
});

/** How many of each label 0..9. */
function classCounts(labels: Int32Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

describe('the embedded Fashion-MNIST slice', () => {
  it('has 2000 balanced training images of 28x28x1', async () => {
    const ds = await loadDataset({ name: 'fashion-mnist-embedded', split: 'train' });
    expect([ds.count, ds.height, ds.width, ds.channels]).toEqual([2000, 28, 28, 1]);
    expect(ds.images.length).toBe(2000 * 784);
    expect(classCounts(ds.labels)).toEqual(new Array(10).fill(200));
    expect(ds.classNames?.[9]).toBe('Ankle boot');
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect([min, max]).toEqual([0, 1]);
  });

  it('has 1000 balanced test images', async () => {
    const ds = await loadDataset({ name: 'fashion-mnist-embedded', split: 'test' });
    expect([ds.count, ds.height, ds.width, ds.channels]).toEqual([1000, 28, 28, 1]);
    expect(classCounts(ds.labels)).toEqual(new Array(10).fill(100));
  });
});

describe.runIf(existsSync(FASHION_MNIST_DEFAULT_PATH))('the installed Fashion-MNIST', () => {
  it('loads the full test split from the default path', async () => {
    const ds = await loadDataset({ name: 'fashion-mnist', split: 'test' });
    expect([ds.count, ds.height, ds.width, ds.channels]).toEqual([10000, 28, 28, 1]);
    expect(classCounts(ds.labels)).toEqual(new Array(10).fill(1000));
  });
});
