import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressedElement, concat, matFile, matHeader, matrixElement, MI, type MatFileOptions, type MatVar } from '../../test/helpers/mat5-writer.js';
import { loadDataset } from './dataset.js';
import { DataError } from './errors.js';
import { PYTHON as PREFERRED_PYTHON } from '../../test/helpers/python.mjs';

/**
 * The test pattern for X(row, col, channel, image), 0-based. Row and column have different
 * coefficients, so reading the array transposed (row-major instead of column-major) gives
 * other values: X(1, 2, 0, 0) = 1 + 6 = 7 but X(2, 1, 0, 0) = 2 + 3 = 5.
 */
function pattern(row: number, col: number, ch: number, n: number): number {
  return (row + 3 * col + 7 * ch + 11 * n) % 256;
}

/** Column-major values of the 32x32x3xN pattern: row fastest, then column, channel, image. */
function patternX(count: number): number[] {
  const values: number[] = [];
  for (let n = 0; n < count; n++) {
    for (let ch = 0; ch < 3; ch++) {
      for (let col = 0; col < 32; col++) {
        for (let row = 0; row < 32; row++) values.push(pattern(row, col, ch, n));
      }
    }
  }
  return values;
}

const X2: MatVar = { name: 'X', className: 'uint8', dims: [32, 32, 3, 2], values: patternX(2) };
const Y2: MatVar = { name: 'y', className: 'uint8', dims: [2, 1], values: [10, 1] };

/** Index of pixel (row, col, ch) of image n in NHWC images of 32x32x3. */
const nhwc = (n: number, row: number, col: number, ch: number) => ((n * 32 + row) * 32 + col) * 3 + ch;

let root: string;

/** Writes `bytes` as `<root>/<folder>/<name>` and returns the folder. */
async function put(folder: string, name: string, bytes: Uint8Array): Promise<string> {
  const dir = join(root, folder);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), bytes);
  return dir;
}

async function putMat(folder: string, vars: MatVar[], options: MatFileOptions = {}, name = 'test_32x32.mat'): Promise<string> {
  return put(folder, name, matFile(vars, options));
}

async function errorOf(dir: string, split: 'train' | 'test' = 'test'): Promise<DataError> {
  const e = await loadDataset({ name: 'svhn', split, path: dir }).then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

/** The error names the file both in its field and in its message. */
function expectNamesFile(e: DataError, file: string): void {
  expect(e.file).toBe(file);
  expect(e.message).toContain(file);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'deepperform-svhn-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('svhn: reading level-5 MAT-files', () => {
  it('decodes an uncompressed file, column-major X to NHWC, label 10 to digit 0', async () => {
    // y holds 2 bytes, so the writer puts it in a small element (size 2 in the tag's upper 16 bits); so is the name 'X'.
    const dir = await putMat('plain', [X2, Y2], { compress: false });
    const ds = await loadDataset({ name: 'svhn', split: 'test', path: dir });
    expect([ds.count, ds.height, ds.width, ds.channels, ds.numClasses]).toEqual([2, 32, 32, 3, 10]);
    expect([...ds.labels]).toEqual([0, 1]);
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // image 0, row 1, col 2, ch 0: 1 + 3*2 = 7; the transposed pixel (row 2, col 1) is 2 + 3 = 5.
    expect(ds.images[nhwc(0, 1, 2, 0)]).toBe(Math.fround(7 / 255));
    expect(ds.images[nhwc(0, 2, 1, 0)]).toBe(Math.fround(5 / 255));
    // image 1, row 31, col 0, ch 2: 31 + 0 + 14 + 11 = 56; image 1, row 0, col 31, ch 1: 93 + 7 + 11 = 111.
    expect(ds.images[nhwc(1, 31, 0, 2)]).toBe(Math.fround(56 / 255));
    expect(ds.images[nhwc(1, 0, 31, 1)]).toBe(Math.fround(111 / 255));
    for (let n = 0; n < 2; n++) {
      for (let row = 0; row < 32; row++) {
        for (let col = 0; col < 32; col++) {
          for (let ch = 0; ch < 3; ch++) expect(ds.images[nhwc(n, row, col, ch)]).toBe(Math.fround(pattern(row, col, ch, n) / 255));
        }
      }
    }
  });

  it('decodes compressed elements, byte 255 to 1.0 and y of class double', async () => {
    const values = patternX(3);
    // Column-major index of X(5, 9, 1, 2) = 5 + 32*9 + 1024*1 + 3072*2 = 7461.
    values[7461] = 255;
    const x: MatVar = { name: 'X', className: 'uint8', dims: [32, 32, 3, 3], values };
    const y: MatVar = { name: 'y', className: 'double', dims: [3, 1], values: [3, 10, 7] };
    const ds = await loadDataset({ name: 'svhn', split: 'test', path: await putMat('compressed', [x, y], { compress: true }) });
    expect([...ds.labels]).toEqual([3, 0, 7]);
    expect(ds.images[nhwc(2, 5, 9, 1)]).toBe(1);
    // Its neighbour keeps the pattern: X(5, 9, 0, 2) = 5 + 27 + 0 + 22 = 54.
    expect(ds.images[nhwc(2, 5, 9, 0)]).toBe(Math.fround(54 / 255));
  });

  it('reads the train split, a mix of compressed and plain elements, and a double y stored as bytes', async () => {
    // MATLAB narrows integer-valued doubles to miUINT8 storage; the class stays double.
    const y: MatVar = { name: 'y', className: 'double', storage: MI.UINT8, dims: [1, 2], values: [9, 10], compress: false };
    const other: MatVar = { name: 'notes', className: 'cell', dims: [1, 1], values: [] };
    const dir = await putMat('mixed', [{ ...X2, compress: true }, other, y], {}, 'train_32x32.mat');
    const ds = await loadDataset({ name: 'svhn', split: 'train', path: dir });
    expect(ds.split).toBe('train');
    expect([...ds.labels]).toEqual([9, 0]);
    expect(ds.images[nhwc(1, 1, 2, 0)]).toBe(Math.fround((7 + 11) / 255));
  });

  it('reads a single image, whose trailing dimension of 1 MATLAB drops', async () => {
    const x: MatVar = { name: 'X', className: 'uint8', dims: [32, 32, 3], values: patternX(1) };
    const y: MatVar = { name: 'y', className: 'double', dims: [1, 1], values: [4] };
    const ds = await loadDataset({ name: 'svhn', split: 'test', path: await putMat('single', [x, y], { compress: true }) });
    expect([ds.count, ds.labels[0]]).toEqual([1, 4]);
    expect(ds.images[nhwc(0, 1, 2, 0)]).toBe(Math.fround(7 / 255));
  });
});

describe('svhn: errors name the file and the problem', () => {
  it('names the expected files when the split is missing', async () => {
    const dir = await putMat('only-test', [X2, Y2]);
    const e = await errorOf(dir, 'train');
    expectNamesFile(e, join(dir, 'train_32x32.mat'));
    expect(e.message).toMatch(/does not exist/);
    expect(e.message).toContain('train_32x32.mat, test_32x32.mat');
  });

  it('asks for a path', async () => {
    const e = await loadDataset({ name: 'svhn', split: 'test' }).catch((err: unknown) => err as DataError);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toMatch(/'svhn' needs a path: a folder holding train_32x32\.mat, test_32x32\.mat/);
  });

  it('rejects a file without X or without y', async () => {
    const noX = await putMat('no-x', [Y2]);
    const e1 = await errorOf(noX);
    expectNamesFile(e1, join(noX, 'test_32x32.mat'));
    expect(e1.message).toMatch(/has no variable X \(variables found: y\)/);
    const noY = await putMat('no-y', [X2], { compress: true });
    const e2 = await errorOf(noY);
    expectNamesFile(e2, join(noY, 'test_32x32.mat'));
    expect(e2.message).toMatch(/has no variable y \(variables found: X\)/);
  });

  it('rejects X with the wrong dimensions', async () => {
    const x: MatVar = { name: 'X', className: 'uint8', dims: [28, 28, 1, 2], values: new Array(28 * 28 * 2).fill(0) };
    const dir = await putMat('dims', [x, Y2]);
    const e = await errorOf(dir);
    expectNamesFile(e, join(dir, 'test_32x32.mat'));
    expect(e.message).toMatch(/X has dimensions 28x28x1x2; SVHN images are 32x32x3xN/);
  });

  it('rejects X of a class other than uint8', async () => {
    const x: MatVar = { ...X2, className: 'double' };
    const dir = await putMat('x-double', [x, Y2], { compress: true });
    const e = await errorOf(dir);
    expectNamesFile(e, join(dir, 'test_32x32.mat'));
    expect(e.message).toMatch(/X has MATLAB class double; SVHN images are uint8/);
  });

  it('rejects unsupported MAT classes and storage types', async () => {
    const y64: MatVar = { name: 'y', className: 'int64', dims: [2, 1], values: [1, 2] };
    const d1 = await putMat('y-int64', [X2, y64]);
    const e1 = await errorOf(d1);
    expectNamesFile(e1, join(d1, 'test_32x32.mat'));
    expect(e1.message).toMatch(/variable y cannot be read: MATLAB class int64 is not supported/);

    const yStoredAs64: MatVar = { name: 'y', className: 'double', storage: MI.INT64, dims: [2, 1], values: [1, 2] };
    const d2 = await putMat('y-mi-int64', [X2, yStoredAs64], { compress: true });
    const e2 = await errorOf(d2);
    expectNamesFile(e2, join(d2, 'test_32x32.mat'));
    expect(e2.message).toMatch(/variable y cannot be read: its values are stored as miINT64, which is not supported/);

    const cell: MatVar = { name: 'y', className: 'cell', dims: [1, 1], values: [] };
    const e3 = await errorOf(await putMat('y-cell', [X2, cell]));
    expect(e3.message).toMatch(/variable y cannot be read: it is a cell array/);
  });

  it('rejects a label outside 1..10 and a label count that does not match', async () => {
    const d1 = await putMat('label-11', [X2, { ...Y2, values: [10, 11] }]);
    const e1 = await errorOf(d1);
    expectNamesFile(e1, join(d1, 'test_32x32.mat'));
    expect(e1.message).toMatch(/y\(2\) is 11; SVHN labels are 1\.\.10/);
    const e0 = await errorOf(await putMat('label-0', [X2, { ...Y2, values: [0, 1] }]));
    expect(e0.message).toMatch(/y\(1\) is 0/);
    const d2 = await putMat('label-count', [X2, { name: 'y', className: 'double', dims: [3, 1], values: [1, 2, 3] }]);
    const e2 = await errorOf(d2);
    expectNamesFile(e2, join(d2, 'test_32x32.mat'));
    expect(e2.message).toMatch(/y holds 3 labels \(dimensions 3x1\) but X holds 2 images/);
  });

  it('rejects corrupt zlib data', async () => {
    const matrix = matrixElement(X2);
    const stream = deflateSync(matrix);
    // Not a zlib stream at all, then a real stream cut in half (the tag declares the shorter length).
    const garbage = compressedElement(matrix, Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]));
    const cut = compressedElement(matrix, stream.subarray(0, stream.length >> 1));
    for (const [folder, el] of [['zlib-garbage', garbage], ['zlib-cut', cut]] as const) {
      const dir = await put(folder, 'test_32x32.mat', concat([matHeader(), el]));
      const e = await errorOf(dir);
      expectNamesFile(e, join(dir, 'test_32x32.mat'));
      expect(e.message).toMatch(/the compressed element at byte 128 cannot be decompressed \(zlib: .+\); the file is corrupt or truncated/);
    }
  });

  it('rejects a truncated file', async () => {
    const whole = matFile([X2, Y2], { compress: false });
    const dir = await put('truncated', 'test_32x32.mat', whole.subarray(0, 1000));
    const e = await errorOf(dir);
    expectNamesFile(e, join(dir, 'test_32x32.mat'));
    // The first element starts at 128; its 8-byte tag leaves 1000 - 136 = 864 bytes.
    expect(e.message).toMatch(/is truncated: the data element at byte 128 declares \d+ bytes of data but only 864 follow/);
  });

  it('refuses v7.3 (HDF5) files with advice', async () => {
    const bytes = new Uint8Array(1024);
    bytes.set(matHeader({ headerText: 'MATLAB 7.3 MAT-file, Platform: GLNXA64, HDF5 schema 1.00 .' }));
    bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512);
    const dir = await put('v73', 'test_32x32.mat', bytes);
    const e = await errorOf(dir);
    expectNamesFile(e, join(dir, 'test_32x32.mat'));
    expect(e.message).toMatch(/v7\.3 MAT-file \(HDF5\), which deepperform does not read; re-save it .*-v7.* or use the official SVHN files/);
    // The signature alone is enough: a header whose text says nothing of 7.3.
    bytes.set(matHeader(), 0);
    const e2 = await errorOf(await put('v73-sig', 'test_32x32.mat', bytes));
    expect(e2.message).toMatch(/v7\.3 MAT-file \(HDF5\)/);
  });

  it('refuses big-endian files and files that are not MAT-files', async () => {
    const d1 = await putMat('big-endian', [X2, Y2], { endian: 'MI' });
    const e1 = await errorOf(d1);
    expectNamesFile(e1, join(d1, 'test_32x32.mat'));
    expect(e1.message).toMatch(/big-endian MAT-file; only little-endian files are read/);
    const d2 = await put('not-mat', 'test_32x32.mat', new TextEncoder().encode('x,y\n'.repeat(40)));
    const e2 = await errorOf(d2);
    expectNamesFile(e2, join(d2, 'test_32x32.mat'));
    expect(e2.message).toMatch(/not a MATLAB level-5 MAT-file/);
    const e3 = await errorOf(await put('tiny', 'test_32x32.mat', new Uint8Array(20)));
    expect(e3.message).toMatch(/is 20 bytes long, too short to be a MAT-file/);
  });
});

/** A Python with scipy, to check the reader against a MAT writer that is not ours. */
function pythonWithScipy(): string | undefined {
  for (const python of [PREFERRED_PYTHON, '/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import scipy.io, numpy'], { stdio: 'ignore' });
    if (r.status === 0) return python;
  }
  return undefined;
}

const PYTHON = pythonWithScipy();
const SCIPY_WRITER = `
import sys, numpy as np, scipy.io
n = 2
row, col, ch, img = np.indices((32, 32, 3, n))
X = ((row + 3 * col + 7 * ch + 11 * img) % 256).astype(np.uint8)
X[5, 9, 1, 1] = 255
y = np.array([[10.0], [6.0]])
scipy.io.savemat(sys.argv[1], {'X': X, 'y': y}, do_compression=True)
`;

describe('svhn: a file written by scipy', () => {
  it.skipIf(PYTHON === undefined)(
    `reads scipy.io.savemat(..., do_compression=True) output${PYTHON === undefined ? ' (skipped: no python3 with scipy; apt-get install python3-scipy)' : ''}`,
    async () => {
      const dir = join(root, 'scipy');
      await mkdir(dir, { recursive: true });
      const r = spawnSync(PYTHON ?? 'python3', ['-c', SCIPY_WRITER, join(dir, 'test_32x32.mat')], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const ds = await loadDataset({ name: 'svhn', split: 'test', path: dir });
      expect([ds.count, ...ds.labels]).toEqual([2, 0, 6]);
      expect(ds.images[nhwc(1, 5, 9, 1)]).toBe(1);
      expect(ds.images[nhwc(0, 1, 2, 0)]).toBe(Math.fround(7 / 255));
      expect(ds.images[nhwc(0, 2, 1, 0)]).toBe(Math.fround(5 / 255));
      expect(ds.images[nhwc(1, 31, 0, 2)]).toBe(Math.fround(56 / 255));
    },
  );
});
