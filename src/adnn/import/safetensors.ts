import { readFile } from 'node:fs/promises';
import { UserError } from '../../util/errors.js';

/** A `.safetensors` file that cannot be read or does not fit the model (exit code 2). */
export class WeightsImportError extends UserError {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'WeightsImportError';
  }
}

export interface RawTensor {
  shape: number[];
  /** Values widened to float32 (integer tensors such as BN's num_batches_tracked included). */
  values: Float32Array;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/**
 * Reads a safetensors file: an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the data.
 * Errors name the file as `shownAs` (the path as the user typed it).
 */
export async function readSafetensors(file: string, shownAs = file): Promise<Map<string, RawTensor>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WeightsImportError(shownAs, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`);
  }
  return parseSafetensors(bytes, shownAs);
}

export function parseSafetensors(bytes: Uint8Array, file: string): Map<string, RawTensor> {
  if (bytes.byteLength < 8) throw new WeightsImportError(file, `is ${bytes.byteLength} bytes, too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.byteLength) {
    throw new WeightsImportError(file, `header says ${headerLength} bytes but the file has ${bytes.byteLength - 8} after the length`);
  }
  let header: Record<string, HeaderEntry | Record<string, string>>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
  } catch (e) {
    throw new WeightsImportError(file, `header is not valid JSON (${(e as Error).message})`);
  }
  const data = bytes.subarray(8 + headerLength);
  const out = new Map<string, RawTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    out.set(name, decodeTensor(name, entry as HeaderEntry, data, file));
  }
  return out;
}

function decodeTensor(name: string, e: HeaderEntry, data: Uint8Array, file: string): RawTensor {
  const width = BYTES[e.dtype];
  if (width === undefined) throw new WeightsImportError(file, `tensor ${name} has unsupported dtype ${e.dtype}`);
  const count = e.shape.reduce((a, b) => a * b, 1);
  const [start, end] = e.data_offsets;
  if (end - start !== count * width || end > data.byteLength || start < 0) {
    throw new WeightsImportError(file, `tensor ${name} (${e.dtype} [${e.shape}]) has byte range ${start}-${end}, which does not fit (data is ${data.byteLength} bytes)`);
  }
  const view = new DataView(data.buffer, data.byteOffset + start, end - start);
  const values = new Float32Array(count);
  const read = reader(e.dtype);
  for (let i = 0; i < count; i++) values[i] = read(view, i * width);
  return { shape: e.shape, values };
}

function reader(dtype: string): (v: DataView, at: number) => number {
  switch (dtype) {
    case 'F64': return (v, at) => v.getFloat64(at, true);
    case 'F32': return (v, at) => v.getFloat32(at, true);
    case 'F16': return (v, at) => halfToFloat(v.getUint16(at, true));
    case 'BF16': return (v, at) => new Float32Array(new Uint32Array([v.getUint16(at, true) << 16]).buffer)[0];
    case 'I64': return (v, at) => Number(v.getBigInt64(at, true));
    case 'I32': return (v, at) => v.getInt32(at, true);
    case 'I16': return (v, at) => v.getInt16(at, true);
    case 'I8': return (v, at) => v.getInt8(at);
    default: return (v, at) => v.getUint8(at);
  }
}

/** IEEE 754 half precision to a JS number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
