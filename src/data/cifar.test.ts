import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIFAR100_COARSE_CLASSES, CIFAR100_FINE_CLASSES } from './cifar-classes.js';
import { KNOWN_DATASETS, loadDataset, type DatasetSpec } from './dataset.js';
import { DataError } from './errors.js';

/**
 * Pixel (row, col, channel) of record g: row and column have different coefficients, so a
 * transposed or interleaved read gives other values. (1, 2, 0) of record 0 is 1 + 6 = 7.
 */
function pattern(g: number, row: number, col: number, ch: number): number {
  return (row + 3 * col + 7 * ch + 11 * g) % 256;
}

/** A record: the label bytes, then the R, G and B planes, each 32x32 row-major. */
function record(labels: number[], g: number, overrides: Array<[row: number, col: number, ch: number, value: number]> = []): number[] {
  const pixels: number[] = [];
  for (let ch = 0; ch < 3; ch++) {
    for (let row = 0; row < 32; row++) {
      for (let col = 0; col < 32; col++) pixels.push(pattern(g, row, col, ch));
    }
  }
  // The plane layout written out: byte offset after the labels is ch*1024 + row*32 + col.
  for (const [row, col, ch, value] of overrides) pixels[ch * 1024 + row * 32 + col] = value;
  return [...labels, ...pixels];
}

const bytes = (...records: number[][]) => Uint8Array.from(records.flat());
/** Index of pixel (row, col, ch) of image n in NHWC images of 32x32x3. */
const nhwc = (n: number, row: number, col: number, ch: number) => ((n * 32 + row) * 32 + col) * 3 + ch;

let root: string;

async function folder(name: string, files: Record<string, Uint8Array | string>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
  return dir;
}

async function errorOf(spec: DatasetSpec): Promise<DataError> {
  const e = await loadDataset(spec).then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

function expectNamesFile(e: DataError, file: string): void {
  expect(e.file).toBe(file);
  expect(e.message).toContain(file);
}

// CIFAR-10 train: batch 1 holds records 0 and 1, batches 2..5 one record each (labels in file order).
const TRAIN_LABELS = [3, 9, 0, 1, 2, 8];
const cifar10Train = (): Record<string, Uint8Array> => ({
  'data_batch_1.bin': bytes(record([3], 0), record([9], 1)),
  'data_batch_2.bin': bytes(record([0], 2)),
  'data_batch_3.bin': bytes(record([1], 3)),
  'data_batch_4.bin': bytes(record([2], 4)),
  'data_batch_5.bin': bytes(record([8], 5)),
});
// Test record 0: red (0, 1) = 255, green (2, 3) = 51, blue (31, 31) = 102.
const cifar10Test = () => bytes(record([5], 0, [[0, 1, 0, 255], [2, 3, 1, 51], [31, 31, 2, 102]]), record([7], 1));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'deepperform-cifar-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('cifar10', () => {
  it('decodes the test batch: planes to NHWC, bytes to [0, 1], labels', async () => {
    const dir = await folder('c10', { ...cifar10Train(), 'test_batch.bin': cifar10Test() });
    const ds = await loadDataset({ name: 'cifar10', split: 'test', path: dir });
    expect([ds.count, ds.height, ds.width, ds.channels, ds.numClasses]).toEqual([2, 32, 32, 3, 10]);
    expect([...ds.labels]).toEqual([5, 7]);
    expect(ds.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    // NHWC index of (row, col, ch) in image 0 is (row*32 + col)*3 + ch.
    expect(ds.images[1 * 3 + 0]).toBe(1); // red (0, 1) = 255
    expect(ds.images[(2 * 32 + 3) * 3 + 1]).toBe(Math.fround(0.2)); // green (2, 3) = 51
    expect(ds.images[3071]).toBe(Math.fround(0.4)); // blue (31, 31) = 102, the last value of the image
    expect(ds.images[(1 * 32 + 0) * 3 + 0]).toBe(Math.fround(1 / 255)); // red (1, 0), the transpose of (0, 1), keeps the pattern: 1 + 0 + 0 + 0 = 1
    // image 1, (row 4, col 5, green): 4 + 15 + 7 + 11 = 37.
    expect(ds.images[nhwc(1, 4, 5, 1)]).toBe(Math.fround(37 / 255));
  });

  it('reads the five training batches in order', async () => {
    const dir = join(root, 'c10');
    const ds = await loadDataset({ name: 'cifar10', split: 'train', path: dir });
    expect(ds.count).toBe(6);
    expect([...ds.labels]).toEqual(TRAIN_LABELS);
    for (let g = 0; g < 6; g++) {
      for (let row = 0; row < 32; row++) {
        for (let col = 0; col < 32; col++) {
          for (let ch = 0; ch < 3; ch++) expect(ds.images[nhwc(g, row, col, ch)]).toBe(Math.fround(pattern(g, row, col, ch) / 255));
        }
      }
    }
  });

  it('accepts the folder holding cifar-10-batches-bin and reads batches.meta.txt', async () => {
    const names = 'plane\ncar\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n\n';
    const parent = join(root, 'c10-parent');
    await folder('c10-parent/cifar-10-batches-bin', { 'test_batch.bin': cifar10Test(), 'batches.meta.txt': names });
    const ds = await loadDataset({ name: 'cifar10', split: 'test', path: parent });
    expect([...ds.labels]).toEqual([5, 7]);
    expect(ds.classNames?.slice(0, 2)).toEqual(['plane', 'car']);
    expect(ds.classNames).toHaveLength(10);
  });

  it('names the missing batch and the files it expects', async () => {
    const { 'data_batch_3.bin': _, ...rest } = cifar10Train();
    const dir = await folder('c10-no-3', rest);
    const e = await errorOf({ name: 'cifar10', split: 'train', path: dir });
    expectNamesFile(e, join(dir, 'data_batch_3.bin'));
    expect(e.message).toContain('CIFAR-10 train needs data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin');
    expect(e.message).toContain('cifar-10-batches-bin');
  });

  it('says so when the folder holds the Python version', async () => {
    const dir = await folder('c10-python', { data_batch_1: 'pickle', test_batch: 'pickle' });
    const e = await errorOf({ name: 'cifar10', split: 'test', path: dir });
    expectNamesFile(e, join(dir, 'test_batch.bin'));
    expect(e.message).toMatch(/Python \(pickle\) version/);
  });

  it('rejects a file that is not a whole number of records', async () => {
    // 2 * 3073 - 5 = 6141 = 3073 + 3068.
    const dir = await folder('c10-cut', { 'test_batch.bin': cifar10Test().subarray(0, 6141) });
    const e = await errorOf({ name: 'cifar10', split: 'test', path: dir });
    expectNamesFile(e, join(dir, 'test_batch.bin'));
    expect(e.message).toMatch(/is 6141 bytes, not a whole number of 3073-byte CIFAR-10 records .*: 1 records and 3068 bytes left over/);
    const empty = await folder('c10-empty', { 'test_batch.bin': new Uint8Array(0) });
    expect((await errorOf({ name: 'cifar10', split: 'test', path: empty })).message).toMatch(/test_batch\.bin: is empty/);
  });

  it('rejects a label outside 0..9', async () => {
    const dir = await folder('c10-label', { 'test_batch.bin': bytes(record([9], 0), record([10], 1)) });
    const e = await errorOf({ name: 'cifar10', split: 'test', path: dir });
    expectNamesFile(e, join(dir, 'test_batch.bin'));
    expect(e.message).toMatch(/record 1 has label 10, outside the 10 classes 0\.\.9/);
  });

  it('rejects a batches.meta.txt without ten names', async () => {
    const dir = await folder('c10-meta', { 'test_batch.bin': cifar10Test(), 'batches.meta.txt': 'a\nb\nc\n' });
    const e = await errorOf({ name: 'cifar10', split: 'test', path: dir });
    expectNamesFile(e, join(dir, 'batches.meta.txt'));
    expect(e.message).toMatch(/lists 3 class names, one per line; CIFAR-10 has 10 classes/);
  });
});

describe('cifar100', () => {
  // (coarse, fine): dolphin (30) is an aquatic mammal (0), worm (99) a non-insect invertebrate (13), apple (0) a fruit (4).
  const train = () => bytes(record([0, 30], 0, [[0, 1, 0, 255]]), record([13, 99], 1), record([4, 0], 2));

  it('reads fine labels by default from the folder holding cifar-100-binary', async () => {
    await folder('c100/cifar-100-binary', { 'train.bin': train(), 'test.bin': bytes(record([11, 15], 0)) });
    const ds = await loadDataset({ name: 'cifar100', split: 'train', path: join(root, 'c100') });
    expect([ds.count, ds.numClasses]).toEqual([3, 100]);
    expect([...ds.labels]).toEqual([30, 99, 0]);
    expect([ds.classNames?.[30], ds.classNames?.[99], ds.classNames?.[0]]).toEqual(['dolphin', 'worm', 'apple']);
    // Two label bytes come first, so the planes start at byte 2; red (0, 1) of record 0 is 255.
    expect(ds.images[nhwc(0, 0, 1, 0)]).toBe(1);
    // record 2, (row 6, col 7, blue): 6 + 21 + 14 + 22 = 63.
    expect(ds.images[nhwc(2, 6, 7, 2)]).toBe(Math.fround(63 / 255));
  });

  it('reads coarse labels on request, and the test split from the binary folder itself', async () => {
    const inner = join(root, 'c100', 'cifar-100-binary');
    const coarse = await loadDataset({ name: 'cifar100', split: 'train', path: inner, labels: 'coarse' });
    expect([coarse.numClasses, ...coarse.labels]).toEqual([20, 0, 13, 4]);
    expect(coarse.classNames?.[13]).toBe('non-insect_invertebrates');
    const test = await loadDataset({ name: 'cifar100', split: 'test', path: inner, labels: 'fine' });
    expect([test.count, test.labels[0]]).toEqual([1, 15]);
  });

  it('uses fine_label_names.txt and coarse_label_names.txt when present', async () => {
    const fine = Array.from({ length: 100 }, (_, i) => `f${i}`).join('\n');
    const coarse = Array.from({ length: 20 }, (_, i) => `c${i}`).join('\r\n');
    const dir = await folder('c100-names', { 'train.bin': train(), 'fine_label_names.txt': fine, 'coarse_label_names.txt': coarse });
    expect((await loadDataset({ name: 'cifar100', split: 'train', path: dir })).classNames?.[99]).toBe('f99');
    expect((await loadDataset({ name: 'cifar100', split: 'train', path: dir, labels: 'coarse' })).classNames?.[19]).toBe('c19');
  });

  it('rejects a fine label over 99 and a coarse label over 19', async () => {
    const d1 = await folder('c100-fine', { 'test.bin': bytes(record([0, 100], 0)) });
    const e1 = await errorOf({ name: 'cifar100', split: 'test', path: d1 });
    expectNamesFile(e1, join(d1, 'test.bin'));
    expect(e1.message).toMatch(/record 0 has fine label 100, outside the 100 classes 0\.\.99/);
    const d2 = await folder('c100-coarse', { 'test.bin': bytes(record([1, 1], 0), record([20, 1], 1)) });
    const e2 = await errorOf({ name: 'cifar100', split: 'test', path: d2 });
    expect(e2.message).toMatch(/record 1 has coarse label 20, outside the 20 classes 0\.\.19/);
  });

  it('rejects a file of CIFAR-10-sized records', async () => {
    // 2 * 3073 = 6146 = 3074 + 3072.
    const dir = await folder('c100-size', { 'test.bin': cifar10Test() });
    const e = await errorOf({ name: 'cifar100', split: 'test', path: dir });
    expectNamesFile(e, join(dir, 'test.bin'));
    expect(e.message).toMatch(/is 6146 bytes, not a whole number of 3074-byte CIFAR-100 records \(1 coarse label byte, 1 fine label byte, 3072 pixel bytes\): 1 records and 3072 bytes left over/);
  });

  it('names the expected files when none is there', async () => {
    const dir = await folder('c100-none', {});
    const e = await errorOf({ name: 'cifar100', split: 'test', path: dir });
    expectNamesFile(e, join(dir, 'test.bin'));
    expect(e.message).toMatch(/CIFAR-100 test needs test\.bin in .* or in its subfolder cifar-100-binary/);
  });

  it('checks the labels option', async () => {
    const e1 = await errorOf({ name: 'cifar10', split: 'test', path: root, labels: 'coarse' });
    expect(e1.message).toMatch(/'cifar10' takes no labels option/);
    const e2 = await errorOf({ name: 'cifar100', split: 'test', path: root, labels: 'medium' as 'fine' });
    expect(e2.message).toMatch(/unknown labels 'medium' .* use fine \(100 classes\) or coarse \(20\)/);
  });

  it('has the standard class names: 100 fine and 20 coarse, each list alphabetical', () => {
    expect(CIFAR100_FINE_CLASSES).toHaveLength(100);
    expect(CIFAR100_COARSE_CLASSES).toHaveLength(20);
    expect([...CIFAR100_FINE_CLASSES].sort()).toEqual(CIFAR100_FINE_CLASSES);
    expect([...CIFAR100_COARSE_CLASSES].sort()).toEqual(CIFAR100_COARSE_CLASSES);
    expect(new Set(CIFAR100_FINE_CLASSES).size).toBe(100);
  });
});

describe('the dataset names', () => {
  it('lists the CIFAR and SVHN loaders as known, and in the unknown-name error', async () => {
    expect(KNOWN_DATASETS).toEqual(['fashion-mnist', 'mnist', 'fashion-mnist-embedded', 'cifar10', 'cifar100', 'svhn']);
    const e = await errorOf({ name: 'cifar-10', split: 'test' });
    expect(e.message).toBe("unknown dataset 'cifar-10'; known datasets: fashion-mnist, mnist, fashion-mnist-embedded, cifar10, cifar100, svhn");
  });

  it('asks for a path for the CIFAR datasets', async () => {
    expect((await errorOf({ name: 'cifar10', split: 'train' })).message).toMatch(/'cifar10' needs a path: a folder holding data_batch_1\.bin, .*test_batch\.bin \(or the folder holding cifar-10-batches-bin\/\)/);
    expect((await errorOf({ name: 'cifar100', split: 'train' })).message).toMatch(/'cifar100' needs a path: a folder holding train\.bin, test\.bin/);
  });
});
