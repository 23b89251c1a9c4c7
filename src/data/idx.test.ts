import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { isGzip, parseIdx, readIdxFile } from './idx.js';

// 2 images of 2x3 pixels, written out byte by byte: magic 00 00 08 03, dims 2, 2, 3.
const IMAGES_2x2x3 = Uint8Array.from([
  0x00, 0x00, 0x08, 0x03,
  0x00, 0x00, 0x00, 0x02,
  0x00, 0x00, 0x00, 0x02,
  0x00, 0x00, 0x00, 0x03,
  0, 51, 255, 1, 2, 3,
  10, 20, 30, 40, 50, 60,
]);
// A 1-D array of 258 labels, to check the dims are read big-endian (0x0102 = 258).
const LABELS_258 = Uint8Array.from([0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x01, 0x02, ...new Array<number>(258).fill(7)]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deepperform-idx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, bytes: Uint8Array): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  return file;
}

async function errorOf(promise: Promise<unknown>): Promise<DataError> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

describe('readIdxFile', () => {
  it('reads a plain file: dims and raw bytes', async () => {
    const idx = await readIdxFile(await put('plain-idx3', IMAGES_2x2x3));
    expect(idx.dims).toEqual([2, 2, 3]);
    expect([...idx.data]).toEqual([0, 51, 255, 1, 2, 3, 10, 20, 30, 40, 50, 60]);
  });

  it('reads big-endian dimensions above 255', async () => {
    const idx = await readIdxFile(await put('labels-258', LABELS_258));
    expect(idx.dims).toEqual([258]);
    expect(idx.data.length).toBe(258);
  });

  it('detects gzip by content, whatever the file is called', async () => {
    const idx = await readIdxFile(await put('no-suffix-but-gzipped', gzipSync(IMAGES_2x2x3)));
    expect(idx.dims).toEqual([2, 2, 3]);
    expect([...idx.data]).toEqual([0, 51, 255, 1, 2, 3, 10, 20, 30, 40, 50, 60]);
    const plain = await readIdxFile(await put('plain-despite-name.gz', IMAGES_2x2x3));
    expect(plain.dims).toEqual([2, 2, 3]);
  });

  it('rejects a truncated file, naming it and both byte counts', async () => {
    const file = await put('truncated', IMAGES_2x2x3.subarray(0, 26));
    const e = await errorOf(readIdxFile(file));
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/truncated/);
    expect(e.message).toContain('28'); // 16 header + 12 pixels
    expect(e.message).toContain('26');
  });

  it('rejects a file with trailing bytes', async () => {
    const file = await put('too-long', Uint8Array.from([...IMAGES_2x2x3, 9, 9]));
    const e = await errorOf(readIdxFile(file));
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/too long/);
    expect(e.message).toContain('30');
  });

  it('rejects a truncated gzip stream', async () => {
    const gz = gzipSync(LABELS_258);
    const file = await put('cut.gz', gz.subarray(0, gz.length - 10));
    const e = await errorOf(readIdxFile(file));
    expect(e.message).toContain(file);
  });

  it('rejects a header cut inside the dimensions', async () => {
    const file = await put('short-header', IMAGES_2x2x3.subarray(0, 10));
    const e = await errorOf(readIdxFile(file));
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/3 dimensions/);
  });

  it('rejects a wrong magic number', async () => {
    const file = await put('png-not-idx', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    const e = await errorOf(readIdxFile(file));
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not an IDX file/);
    expect(e.message).toContain('0x89 0x50');
  });

  it('rejects known but unsupported element types by name', async () => {
    const floats = Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0x80, 0, 0]);
    const e = await errorOf(readIdxFile(await put('floats', floats)));
    expect(e.message).toMatch(/0x0d \(float32\)/);
    expect(e.message).toMatch(/only type 0x08/);
  });

  it('rejects unknown type codes', async () => {
    const e = await errorOf(readIdxFile(await put('type-0x42', Uint8Array.from([0, 0, 0x42, 1, 0, 0, 0, 0]))));
    expect(e.message).toMatch(/unknown IDX type code 0x42/);
  });

  it('rejects zero dimensions and tiny files', async () => {
    expect((await errorOf(readIdxFile(await put('rank0', Uint8Array.from([0, 0, 8, 0]))))).message).toMatch(/0 dimensions/);
    expect((await errorOf(readIdxFile(await put('two-bytes', Uint8Array.from([0, 0]))))).message).toMatch(/too short/);
  });

  it('reports a missing file by path', async () => {
    const file = join(dir, 'nope-idx1-ubyte');
    const e = await errorOf(readIdxFile(file));
    expect(e.file).toBe(file);
    expect(e.message).toBe(`${file}: does not exist`);
  });
});

describe('parseIdx / isGzip', () => {
  it('works on a subarray with a non-zero byte offset', () => {
    const padded = new Uint8Array(5 + IMAGES_2x2x3.length);
    padded.set(IMAGES_2x2x3, 5);
    const idx = parseIdx(padded.subarray(5), 'mem');
    expect(idx.dims).toEqual([2, 2, 3]);
    expect(idx.data[2]).toBe(255);
  });

  it('recognises the gzip magic only', () => {
    expect(isGzip(Uint8Array.from([0x1f, 0x8b, 8]))).toBe(true);
    expect(isGzip(Uint8Array.from([0x1f]))).toBe(false);
    expect(isGzip(IMAGES_2x2x3)).toBe(false);
  });
});
