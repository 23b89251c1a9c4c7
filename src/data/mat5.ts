import { inflateSync } from 'node:zlib';
import { DataError } from './errors.js';
import { readBytes } from './files.js';

/**
 * A reader for MATLAB level-5 MAT-files (MathWorks, "MAT-File Format", the v5/v6/v7 layout):
 * a 128-byte header, then data elements, each an 8-byte tag (type, byte count) and its data
 * padded to 8 bytes. A tag whose upper 16 bits are non-zero is the small format: the lower 16
 * bits hold the type, the upper 16 the byte count (at most 4), and the data sits in the tag's
 * second word. Variables are miMATRIX elements, optionally wrapped in miCOMPRESSED (zlib).
 * Only what numeric datasets need: little-endian files, real numeric arrays up to 32 bits.
 */

const MI_INT8 = 1;
const MI_UINT8 = 2;
const MI_INT16 = 3;
const MI_UINT16 = 4;
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_SINGLE = 7;
const MI_DOUBLE = 9;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;

const TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'miINT8', 2: 'miUINT8', 3: 'miINT16', 4: 'miUINT16', 5: 'miINT32', 6: 'miUINT32', 7: 'miSINGLE',
  9: 'miDOUBLE', 12: 'miINT64', 13: 'miUINT64', 14: 'miMATRIX', 15: 'miCOMPRESSED', 16: 'miUTF8', 17: 'miUTF16', 18: 'miUTF32',
};

/** Array classes (mxCLASS) by code; codes 6..13 are the numeric ones read here. */
const CLASS_NAMES: Readonly<Record<number, string>> = {
  1: 'cell', 2: 'struct', 3: 'object', 4: 'char', 5: 'sparse', 6: 'double', 7: 'single', 8: 'int8',
  9: 'uint8', 10: 'int16', 11: 'uint16', 12: 'int32', 13: 'uint32', 14: 'int64', 15: 'uint64',
};
const FIRST_NUMERIC_CLASS = 6;
const LAST_SUPPORTED_CLASS = 13;
const COMPLEX_FLAG = 0x0800;

const HEADER_BYTES = 128;
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** MATLAB v7.3 files are HDF5 files whose user block is the 512-byte MAT header. */
const HDF5_USER_BLOCK = 512;

export type MatNumericArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export interface MatVariable {
  readonly name: string;
  /** The MATLAB class: 'double', 'uint8', ..., or 'cell', 'struct', 'char', ... */
  readonly className: string;
  readonly dims: readonly number[];
  readonly complex: boolean;
  /**
   * The real part in column-major order (the first index varies fastest), typed as stored in the
   * file, which may be narrower than the class (MATLAB stores integer-valued doubles as bytes).
   * Undefined when it cannot be read; `unsupported` then says why.
   */
  readonly real: MatNumericArray | undefined;
  readonly unsupported: string | undefined;
}

export async function readMat5File(file: string): Promise<Map<string, MatVariable>> {
  return parseMat5(await readBytes(file), file);
}

/** The variables of a level-5 MAT-file, by name; `file` only names the source in errors. */
export function parseMat5(input: Uint8Array, file: string): Map<string, MatVariable> {
  // A plain view: Node Buffers' slice() does not copy, and the typed-array copies below rely on it.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  checkHeader(bytes, file);
  const vars = new Map<string, MatVariable>();
  for (const el of elements(bytes, HEADER_BYTES, file, (at) => `the data element at byte ${at}`)) {
    if (el.type === MI_COMPRESSED) {
      const inner = inflate(el.data, file, el.at);
      for (const e of elements(inner, 0, file, (at) => `byte ${at} inside the compressed element at byte ${el.at}`)) {
        if (e.type === MI_MATRIX) addVariable(vars, e, file);
      }
    } else if (el.type === MI_MATRIX) {
      addVariable(vars, el, file);
    }
    // Other top-level elements (e.g. MATLAB's subsystem data) hold no variables.
  }
  return vars;
}

function checkHeader(bytes: Uint8Array, file: string): void {
  if (ascii(bytes.subarray(0, 10)) === 'MATLAB 7.3' || hasHdf5Signature(bytes, 0) || hasHdf5Signature(bytes, HDF5_USER_BLOCK)) {
    throw new DataError(
      file,
      'is a MATLAB v7.3 MAT-file (HDF5), which deepperform does not read; re-save it in MATLAB with save(..., \'-v7\') ' +
        'or use the official SVHN files (train_32x32.mat, test_32x32.mat), which are level-5 (v7) files',
    );
  }
  if (bytes.length < HEADER_BYTES) {
    throw new DataError(file, `is ${bytes.length} bytes long, too short to be a MAT-file (its header alone is ${HEADER_BYTES} bytes)`);
  }
  const endian = ascii(bytes.subarray(126, 128));
  if (endian === 'MI') {
    throw new DataError(file, 'is a big-endian MAT-file; only little-endian files are read: re-save it with MATLAB or scipy on an x86 or ARM machine');
  }
  if (endian !== 'IM') {
    throw new DataError(file, `is not a MATLAB level-5 MAT-file: header bytes 126-127 should be the endian indicator 'IM', found ${hexBytes(bytes.subarray(126, 128))}`);
  }
  const version = bytes[124] | (bytes[125] << 8);
  if (version !== 0x0100) {
    throw new DataError(file, `has MAT-file version 0x${version.toString(16).padStart(4, '0')} in its header; only level-5 files (version 0x0100) are read`);
  }
}

interface Element {
  type: number;
  data: Uint8Array;
  /** Offset of the tag, for messages. */
  at: number;
}

/** The data elements from `start` to the end of `bytes`; `where` names an offset in messages. */
function* elements(bytes: Uint8Array, start: number, file: string, where: (at: number) => string): Generator<Element> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = start;
  // Fewer than 8 trailing bytes cannot hold a tag: padding, not data.
  while (at + 8 <= bytes.length) {
    const { element, next } = readElement(bytes, view, at, file, where);
    yield element;
    at = next;
  }
}

function readElement(bytes: Uint8Array, view: DataView, at: number, file: string, where: (at: number) => string): { element: Element; next: number } {
  const first = view.getUint32(at, true);
  const smallSize = first >>> 16;
  if (smallSize !== 0) {
    if (smallSize > 4) throw new DataError(file, `${where(at)} is a small data element declaring ${smallSize} bytes; at most 4 fit`);
    return { element: { type: first & 0xffff, data: bytes.subarray(at + 4, at + 4 + smallSize), at }, next: at + 8 };
  }
  const size = view.getUint32(at + 4, true);
  const end = at + 8 + size;
  if (end > bytes.length) {
    throw new DataError(file, `is truncated: ${where(at)} declares ${size} bytes of data but only ${bytes.length - at - 8} follow`);
  }
  // Compressed elements are not padded; everything else is padded to a multiple of 8 bytes.
  const next = first === MI_COMPRESSED ? end : Math.min(at + 8 + Math.ceil(size / 8) * 8, bytes.length);
  return { element: { type: first, data: bytes.subarray(at + 8, end), at }, next };
}

function inflate(data: Uint8Array, file: string, at: number): Uint8Array {
  try {
    const out = inflateSync(data);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw new DataError(file, `the compressed element at byte ${at} cannot be decompressed (zlib: ${(e as Error).message}); the file is corrupt or truncated`);
  }
}

/** miMATRIX sub-elements: array flags, dimensions, name, then (numeric classes) the real part. */
function addVariable(vars: Map<string, MatVariable>, matrix: Element, file: string): void {
  if (matrix.data.length === 0) return; // an empty matrix, as used inside cells
  const where = (at: number) => `byte ${at} of the variable at byte ${matrix.at}`;
  const parts = elements(matrix.data, 0, file, where);
  const flags = expectPart(parts.next(), MI_UINT32, 'array flags', matrix, file);
  if (flags.data.length < 8) throw new DataError(file, `the variable at byte ${matrix.at} has ${flags.data.length} bytes of array flags; 8 are needed`);
  const flagWord = readU32(flags.data, 0);
  const classCode = flagWord & 0xff;
  const className = CLASS_NAMES[classCode];
  if (className === undefined) return; // e.g. MATLAB's opaque objects (class 17): not data
  const dims = int32s(expectPart(parts.next(), MI_INT32, 'dimensions', matrix, file).data);
  const name = ascii(expectPart(parts.next(), MI_INT8, 'name', matrix, file).data);
  const variable = { name, className, dims, complex: (flagWord & COMPLEX_FLAG) !== 0 };
  if (classCode < FIRST_NUMERIC_CLASS) {
    vars.set(name, { ...variable, real: undefined, unsupported: `it is a ${className} array; only full numeric arrays are read` });
  } else if (classCode > LAST_SUPPORTED_CLASS) {
    vars.set(name, { ...variable, real: undefined, unsupported: `MATLAB class ${className} is not supported (up to 32-bit integers, single and double are)` });
  } else {
    const real = parts.next();
    if (real.done === true) throw new DataError(file, `variable ${name} has no data (its miMATRIX element ends after the name)`);
    vars.set(name, numericVariable(variable, real.value, file));
  }
}

function numericVariable(v: Omit<MatVariable, 'real' | 'unsupported'>, part: Element, file: string): MatVariable {
  const real = typedArray(part.type, part.data, v.name, file);
  if (real === undefined) {
    const type = TYPE_NAMES[part.type] ?? `type ${part.type}`;
    return { ...v, real: undefined, unsupported: `its values are stored as ${type}, which is not supported (miINT8 to miUINT32, miSINGLE and miDOUBLE are)` };
  }
  const expected = v.dims.reduce((a, b) => a * b, 1);
  if (real.length !== expected) {
    throw new DataError(file, `variable ${v.name} declares dimensions ${v.dims.join('x')} (${expected} values) but holds ${real.length} values`);
  }
  return { ...v, real, unsupported: undefined };
}

function expectPart(next: IteratorResult<Element>, type: number, what: string, matrix: Element, file: string): Element {
  if (next.done === true) throw new DataError(file, `the variable at byte ${matrix.at} ends before its ${what}`);
  const part = next.value;
  // Names are miINT8 by the format, but some writers use miUINT8 or miUTF8 for the same bytes.
  const nameLike = type === MI_INT8 && (part.type === MI_UINT8 || part.type === 16);
  if (part.type !== type && !nameLike) {
    const found = TYPE_NAMES[part.type] ?? `type ${part.type}`;
    throw new DataError(file, `the variable at byte ${matrix.at} has ${found} where its ${what} (${TYPE_NAMES[type]}) should be`);
  }
  return part;
}

const ELEMENT_SIZE: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8 };

/**
 * Values as a typed array: bytes are viewed, wider types copied to an aligned buffer. Typed arrays
 * use the host's byte order, little-endian on every platform Node runs on, as the file is.
 */
function typedArray(type: number, data: Uint8Array, name: string, file: string): MatNumericArray | undefined {
  const size = ELEMENT_SIZE[type];
  if (size === undefined) return undefined;
  if (data.length % size !== 0) {
    throw new DataError(file, `variable ${name} has ${data.length} bytes of ${TYPE_NAMES[type]} values, not a multiple of ${size}`);
  }
  if (type === MI_UINT8) return data;
  if (type === MI_INT8) return new Int8Array(data.buffer, data.byteOffset, data.length);
  const buffer = data.slice().buffer; // aligned at 0, so any element size fits
  switch (type) {
    case MI_INT16: return new Int16Array(buffer);
    case MI_UINT16: return new Uint16Array(buffer);
    case MI_INT32: return new Int32Array(buffer);
    case MI_UINT32: return new Uint32Array(buffer);
    case MI_SINGLE: return new Float32Array(buffer);
    case MI_DOUBLE: return new Float64Array(buffer);
    default: return undefined;
  }
}

function int32s(data: Uint8Array): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return Array.from({ length: Math.floor(data.length / 4) }, (_, i) => view.getInt32(4 * i, true));
}

function readU32(data: Uint8Array, at: number): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(at, true);
}

function hasHdf5Signature(bytes: Uint8Array, at: number): boolean {
  return bytes.length >= at + 8 && HDF5_SIGNATURE.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function hexBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
}
