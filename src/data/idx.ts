import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DataError } from './errors.js';
import { readBytes } from './files.js';

/**
 * IDX, the MNIST file format: two zero bytes, a type code, the number of
 * dimensions, each dimension as a big-endian uint32, then the values in
 * row-major order. Files may be gzipped; we look at the bytes, not the name.
 */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const gunzipAsync = promisify(gunzip);

const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Readonly<Record<number, string>> = {
  8: 'unsigned byte',
  9: 'signed byte',
  11: 'int16',
  12: 'int32',
  13: 'float32',
  14: 'float64',
};

/** Reads a plain or gzipped IDX file of unsigned bytes. */
export async function readIdxFile(file: string): Promise<IdxArray> {
  const raw = await readBytes(file);
  const bytes = isGzip(raw) ? await gunzipOrThrow(file, raw) : raw;
  return parseIdx(bytes, file);
}

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses uncompressed IDX bytes; `file` only names the source in errors. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  checkMagic(bytes, file);
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new DataError(file, `is truncated: its IDX header declares ${rank} dimensions (${headerBytes} bytes) but the file has only ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = headerBytes + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'too long';
    throw new DataError(file, `is ${what}: an IDX array of ${dims.join('x')} unsigned bytes needs ${expected} bytes (header included), the file has ${bytes.length}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

function checkMagic(bytes: Uint8Array, file: string): void {
  if (bytes.length < 4) {
    throw new DataError(file, `is ${bytes.length} bytes long, too short to be an IDX file (the magic number alone is 4 bytes)`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(file, `is not an IDX file: its magic number starts ${hex(bytes[0])} ${hex(bytes[1])}, expected 0x00 0x00`);
  }
  const type = bytes[2];
  if (type !== UNSIGNED_BYTE) {
    const name = TYPE_NAMES[type];
    const found = name === undefined ? `an unknown IDX type code ${hex(type)}` : `IDX type ${hex(type)} (${name})`;
    throw new DataError(file, `has ${found}; only type 0x08 (unsigned byte) is supported`);
  }
  if (bytes[3] === 0) throw new DataError(file, 'declares 0 dimensions in its IDX header; at least 1 is needed');
}

async function gunzipOrThrow(file: string, raw: Uint8Array): Promise<Uint8Array> {
  try {
    return await gunzipAsync(raw);
  } catch (e) {
    throw new DataError(file, `starts like a gzip file but cannot be decompressed (${(e as Error).message}); the file may be truncated`);
  }
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}
