import { join } from 'node:path';
import { DataError } from './errors.js';
import { isFile, UNIT } from './files.js';
import { readMat5File, type MatVariable } from './mat5.js';
import type { Dataset, DatasetSpec, Split } from './types.js';

/**
 * SVHN, format 2 (cropped 32x32 digits; Netzer et al., NIPS DL workshop 2011,
 * http://ufldl.stanford.edu/housenumbers/): one MAT-file per split holding X, uint8
 * 32x32x3xN (row, column, channel, image; column-major), and y, N labels 1..10 where
 * 10 stands for the digit 0.
 */
const SIDE = 32;
const CHANNELS = 3;
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const FILES: Readonly<Record<Split, string>> = { train: 'train_32x32.mat', test: 'test_32x32.mat' };

export const SVHN_FILES_HELP = `${FILES.train}, ${FILES.test} (SVHN format 2)`;

export async function loadSvhn(dir: string, spec: DatasetSpec): Promise<Dataset> {
  const file = join(dir, FILES[spec.split]);
  if (!(await isFile(file))) {
    throw new DataError(file, `does not exist; SVHN ${spec.split} needs ${FILES[spec.split]} in ${dir} (the folder holds ${SVHN_FILES_HELP})`);
  }
  const vars = await readMat5File(file);
  const { pixels, count } = imagesOf(numeric(vars, 'X', file), file);
  if (count === 0) throw new DataError(file, 'holds no images (X is 32x32x3x0)');
  const y = numeric(vars, 'y', file);
  return {
    name: spec.name,
    split: spec.split,
    images: toNhwc(pixels, count),
    labels: digitLabels(y, count, file),
    count,
    height: SIDE,
    width: SIDE,
    channels: CHANNELS,
    numClasses: DIGITS.length,
    classNames: [...DIGITS],
  };
}

type ReadVariable = MatVariable & { real: NonNullable<MatVariable['real']> };

function numeric(vars: ReadonlyMap<string, MatVariable>, name: string, file: string): ReadVariable {
  const v = vars.get(name);
  if (v === undefined) {
    const found = vars.size === 0 ? 'none' : [...vars.keys()].join(', ');
    throw new DataError(file, `has no variable ${name} (variables found: ${found}); an SVHN file holds X (images) and y (labels)`);
  }
  if (v.real === undefined) throw new DataError(file, `variable ${name} cannot be read: ${v.unsupported ?? 'no data'}`);
  if (v.complex) throw new DataError(file, `variable ${name} is complex; SVHN ${name} is real`);
  return v as ReadVariable;
}

/** The pixel bytes and N; MATLAB drops a trailing 1 from dimensions, so a single image is 32x32x3. */
function imagesOf(x: ReadVariable, file: string): { pixels: Uint8Array; count: number } {
  const d = x.dims;
  const shapeOk = (d.length === 4 || d.length === 3) && d[0] === SIDE && d[1] === SIDE && d[2] === CHANNELS;
  if (!shapeOk) {
    throw new DataError(file, `variable X has dimensions ${d.join('x')}; SVHN images are 32x32x3xN (height x width x channels x images)`);
  }
  if (x.className !== 'uint8') {
    throw new DataError(file, `variable X has MATLAB class ${x.className}; SVHN images are uint8, as in the official files`);
  }
  if (!(x.real instanceof Uint8Array)) {
    throw new DataError(file, `variable X is uint8 but its values are stored as ${x.real.constructor.name}, not as bytes (miUINT8)`);
  }
  return { pixels: x.real, count: d.length === 4 ? d[3] : 1 };
}

/** Column-major X(row, col, channel, image) to NHWC; the source is read in order. */
function toNhwc(src: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count * SIDE * SIDE * CHANNELS);
  let p = 0;
  for (let n = 0; n < count; n++) {
    for (let k = 0; k < CHANNELS; k++) {
      for (let col = 0; col < SIDE; col++) {
        for (let row = 0; row < SIDE; row++) out[((n * SIDE + row) * SIDE + col) * CHANNELS + k] = UNIT[src[p++]];
      }
    }
  }
  return out;
}

/** 1..9 are the digits themselves, 10 is the digit 0. */
function digitLabels(y: ReadVariable, count: number, file: string): Int32Array {
  if (y.real.length !== count) {
    throw new DataError(file, `variable y holds ${y.real.length} labels (dimensions ${y.dims.join('x')}) but X holds ${count} images; they must match`);
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = y.real[i];
    if (!Number.isInteger(v) || v < 1 || v > 10) {
      throw new DataError(file, `y(${i + 1}) is ${v}; SVHN labels are 1..10, with 10 meaning the digit 0`);
    }
    out[i] = v % 10;
  }
  return out;
}
