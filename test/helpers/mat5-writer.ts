import { deflateSync } from 'node:zlib';

/**
 * A small MATLAB level-5 MAT-file writer for tests, written from the format description
 * (MathWorks, "MAT-File Format"), independent of src/data/mat5.ts: 128-byte header, then
 * miMATRIX elements (array flags, dimensions, name, real part), optionally wrapped in
 * miCOMPRESSED. Data of at most 4 bytes uses the small-element tag, as MATLAB writes it.
 */

/** Data types (miXXX codes). */
export const MI = {
  INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9,
  INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16,
} as const;

/** Array classes (mxXXX_CLASS codes). */
export const MX = {
  cell: 1, struct: 2, char: 4, double: 6, single: 7, int8: 8, uint8: 9,
  int16: 10, uint16: 11, int32: 12, uint32: 13, int64: 14,
} as const;

export type MatClass = keyof typeof MX;

/** The storage type MATLAB uses for each class when it does not narrow it. */
const NATURAL_STORAGE: Readonly<Record<MatClass, number>> = {
  cell: MI.UINT8, struct: MI.UINT8, char: MI.UTF8, double: MI.DOUBLE, single: MI.SINGLE, int8: MI.INT8,
  uint8: MI.UINT8, int16: MI.INT16, uint16: MI.UINT16, int32: MI.INT32, uint32: MI.UINT32, int64: MI.INT64,
};

export interface MatVar {
  name: string;
  className: MatClass;
  dims: number[];
  /** Values in column-major order (the first index varies fastest). Ignored for cell and struct. */
  values: ArrayLike<number>;
  /** Storage type of the values; defaults to the class's own (MATLAB may narrow, e.g. double as miUINT8). */
  storage?: number;
  /** Wrap this variable in miCOMPRESSED; defaults to the file's setting. */
  compress?: boolean;
}

export interface MatFileOptions {
  compress?: boolean;
  /** Replaces the descriptive text at the start of the header. */
  headerText?: string;
  endian?: 'IM' | 'MI';
}

export function matFile(vars: readonly MatVar[], options: MatFileOptions = {}): Uint8Array {
  const elements = vars.map((v) => {
    const matrix = matrixElement(v);
    return (v.compress ?? options.compress ?? false) ? compressedElement(matrix) : matrix;
  });
  return concat([matHeader(options), ...elements]);
}

/** 116 bytes of text, 8 bytes of subsystem offset, version 0x0100, endian indicator. */
export function matHeader(options: MatFileOptions = {}): Uint8Array {
  const header = new Uint8Array(128).fill(0x20);
  const text = options.headerText ?? 'MATLAB 5.0 MAT-file, Platform: deepperform tests';
  for (let i = 0; i < Math.min(text.length, 116); i++) header[i] = text.charCodeAt(i);
  header.fill(0, 116, 124);
  const bigEndian = options.endian === 'MI';
  // The version and indicator are written as 16-bit values in the file's byte order: 'MI' read back as 'IM' means little-endian.
  header.set(bigEndian ? [0x01, 0x00, 0x4d, 0x49] : [0x00, 0x01, 0x49, 0x4d], 124);
  return header;
}

export function matrixElement(v: MatVar): Uint8Array {
  const flags = new Uint8Array(8);
  new DataView(flags.buffer).setUint32(0, MX[v.className], true);
  const dims = new Uint8Array(4 * v.dims.length);
  v.dims.forEach((d, i) => new DataView(dims.buffer).setInt32(4 * i, d, true));
  const parts = [element(MI.UINT32, flags), element(MI.INT32, dims), element(MI.INT8, ascii(v.name))];
  if (v.className !== 'cell' && v.className !== 'struct') {
    const storage = v.storage ?? NATURAL_STORAGE[v.className];
    parts.push(element(storage, encode(storage, v.values)));
  }
  return element(MI.MATRIX, concat(parts));
}

/** miCOMPRESSED holding the zlib stream of `inner`; unlike other elements it is not padded. */
export function compressedElement(inner: Uint8Array, stream: Uint8Array = deflateSync(inner)): Uint8Array {
  const out = new Uint8Array(8 + stream.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MI.COMPRESSED, true);
  view.setUint32(4, stream.length, true);
  out.set(stream, 8);
  return out;
}

/** A tag and its data padded to 8 bytes; up to 4 bytes of data go in a small element. */
export function element(type: number, data: Uint8Array): Uint8Array {
  const canBeSmall = type !== MI.MATRIX && type !== MI.COMPRESSED && data.length > 0 && data.length <= 4;
  if (canBeSmall) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, (data.length << 16) | type, true);
    out.set(data, 4);
    return out;
  }
  const out = new Uint8Array(8 + Math.ceil(data.length / 8) * 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

const SIZES: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1 };

function encode(type: number, values: ArrayLike<number>): Uint8Array {
  const size = SIZES[type];
  const out = new Uint8Array(size * values.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const at = size * i;
    switch (type) {
      case MI.INT8: view.setInt8(at, v); break;
      case MI.UINT8: case MI.UTF8: view.setUint8(at, v); break;
      case MI.INT16: view.setInt16(at, v, true); break;
      case MI.UINT16: view.setUint16(at, v, true); break;
      case MI.INT32: view.setInt32(at, v, true); break;
      case MI.UINT32: view.setUint32(at, v, true); break;
      case MI.SINGLE: view.setFloat32(at, v, true); break;
      case MI.DOUBLE: view.setFloat64(at, v, true); break;
      case MI.INT64: view.setBigInt64(at, BigInt(v), true); break;
      case MI.UINT64: view.setBigUint64(at, BigInt(v), true); break;
      default: throw new Error(`mat5-writer: no encoding for type ${type}`);
    }
  }
  return out;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
