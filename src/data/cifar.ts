import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CIFAR100_COARSE_CLASSES, CIFAR100_FINE_CLASSES, CIFAR10_CLASSES } from './cifar-classes.js';
import { DataError } from './errors.js';
import { fileSize, isDirectory, isFile, readBytes, UNIT } from './files.js';
import type { Dataset, DatasetSpec, Split } from './types.js';

/**
 * The binary versions of CIFAR-10 and CIFAR-100 (https://www.cs.toronto.edu/~kriz/cifar.html):
 * fixed-size records of label byte(s) then a 32x32 colour image as three planes (1024 red,
 * 1024 green, 1024 blue bytes, each plane row-major). Decoded to NHWC float32 in [0, 1].
 */
const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXELS = 3 * PLANE;

interface LabelField {
  what: string;
  classes: number;
}

interface CifarFormat {
  title: string;
  archive: string;
  /** Where the archive unpacks; a user may point at the folder holding it. */
  subfolder: string;
  files: Readonly<Record<Split, readonly string[]>>;
  /** The label bytes that open each record, in file order. */
  labelFields: readonly LabelField[];
  /** A file and the folder of the Python (pickle) version, to say why nothing matched. */
  pythonMarker: string;
  pythonFolder: string;
}

const CIFAR10: CifarFormat = {
  title: 'CIFAR-10',
  archive: 'cifar-10-binary.tar.gz',
  subfolder: 'cifar-10-batches-bin',
  files: {
    train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
    test: ['test_batch.bin'],
  },
  labelFields: [{ what: 'label', classes: 10 }],
  pythonMarker: 'data_batch_1',
  pythonFolder: 'cifar-10-batches-py',
};

const CIFAR100: CifarFormat = {
  title: 'CIFAR-100',
  archive: 'cifar-100-binary.tar.gz',
  subfolder: 'cifar-100-binary',
  files: { train: ['train.bin'], test: ['test.bin'] },
  labelFields: [
    { what: 'coarse label', classes: 20 },
    { what: 'fine label', classes: 100 },
  ],
  pythonMarker: 'meta',
  pythonFolder: 'cifar-100-python',
};

/** What each loader wants in its folder, for "needs a path" messages. */
export const CIFAR10_FILES_HELP = `${[...CIFAR10.files.train, ...CIFAR10.files.test].join(', ')} (or the folder holding ${CIFAR10.subfolder}/)`;
export const CIFAR100_FILES_HELP = `${[...CIFAR100.files.train, ...CIFAR100.files.test].join(', ')} (or the folder holding ${CIFAR100.subfolder}/)`;

/** CIFAR-10 from `dir` or `dir/cifar-10-batches-bin`; class names from batches.meta.txt when present. */
export async function loadCifar10(dir: string, spec: DatasetSpec): Promise<Dataset> {
  const home = await cifarHome(dir, CIFAR10, spec.split);
  const files = await requireFiles(home, dir, CIFAR10, spec.split);
  const classNames = await classNamesFrom(join(home, 'batches.meta.txt'), CIFAR10_CLASSES, CIFAR10.title);
  const records = await readRecords(files, CIFAR10, 0);
  return toDataset(spec, records, classNames);
}

/** CIFAR-100 from `dir` or `dir/cifar-100-binary`, with the fine (default) or coarse labels. */
export async function loadCifar100(dir: string, spec: DatasetSpec): Promise<Dataset> {
  const coarse = spec.labels === 'coarse';
  const home = await cifarHome(dir, CIFAR100, spec.split);
  const files = await requireFiles(home, dir, CIFAR100, spec.split);
  const classNames = coarse
    ? await classNamesFrom(join(home, 'coarse_label_names.txt'), CIFAR100_COARSE_CLASSES, 'CIFAR-100 (coarse)')
    : await classNamesFrom(join(home, 'fine_label_names.txt'), CIFAR100_FINE_CLASSES, 'CIFAR-100 (fine)');
  // Each record opens with the coarse label byte, then the fine one.
  const records = await readRecords(files, CIFAR100, coarse ? 0 : 1);
  return toDataset(spec, records, classNames);
}

/** `dir` itself when it holds the split's first file, else the unpacked archive folder inside it if any. */
async function cifarHome(dir: string, format: CifarFormat, split: Split): Promise<string> {
  if (await isFile(join(dir, format.files[split][0]))) return dir;
  const inner = join(dir, format.subfolder);
  return (await isDirectory(inner)) ? inner : dir;
}

interface SizedFile {
  file: string;
  size: number;
}

async function requireFiles(home: string, dir: string, format: CifarFormat, split: Split): Promise<SizedFile[]> {
  const names = format.files[split];
  const found = await Promise.all(names.map(async (name) => ({ name, file: join(home, name), size: await fileSize(join(home, name)) })));
  const missing = found.filter((f) => f.size === undefined);
  if (missing.length === 0) return found.map(({ file, size }) => ({ file, size: size ?? 0 }));
  const also = missing.length > 1 ? ` (missing: ${missing.map((m) => m.name).join(', ')})` : '';
  const python = (await isFile(join(home, format.pythonMarker))) || (await isDirectory(join(dir, format.pythonFolder)))
    ? '; this looks like the Python (pickle) version, which deepperform does not read'
    : '';
  throw new DataError(
    missing[0].file,
    `does not exist${also}; ${format.title} ${split} needs ${names.join(', ')} in ${dir} or in its subfolder ${format.subfolder} ` +
      `(the binary version, ${format.archive})${python}`,
  );
}

/** One class name per line; blank lines (the official file ends with some) are ignored. */
async function classNamesFrom(file: string, standard: readonly string[], title: string): Promise<string[]> {
  if (!(await isFile(file))) return [...standard];
  const text = await readFile(file, 'utf8');
  const names = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (names.length !== standard.length) {
    throw new DataError(file, `lists ${names.length} class names, one per line; ${title} has ${standard.length} classes`);
  }
  return names;
}

interface Records {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** Sizes are checked before anything is read, so one output array holds all files' records. */
async function readRecords(files: readonly SizedFile[], format: CifarFormat, use: number): Promise<Records> {
  const recordBytes = format.labelFields.length + PIXELS;
  for (const f of files) checkSize(f, format, recordBytes);
  const count = files.reduce((sum, f) => sum + f.size / recordBytes, 0);
  const out: Records = { images: new Float32Array(count * PIXELS), labels: new Int32Array(count), count };
  let at = 0;
  for (const f of files) {
    const bytes = await readBytes(f.file);
    if (bytes.length !== f.size) throw new DataError(f.file, `changed while being read (${f.size} bytes, then ${bytes.length})`);
    decodeRecords(bytes, f.file, format, use, out, at);
    at += f.size / recordBytes;
  }
  return out;
}

function checkSize({ file, size }: SizedFile, format: CifarFormat, recordBytes: number): void {
  const layout = `${format.labelFields.map((l) => `1 ${l.what} byte`).join(', ')}, ${PIXELS} pixel bytes`;
  if (size === 0) throw new DataError(file, `is empty; it should hold ${format.title} records of ${recordBytes} bytes (${layout})`);
  if (size % recordBytes !== 0) {
    throw new DataError(
      file,
      `is ${size} bytes, not a whole number of ${recordBytes}-byte ${format.title} records (${layout}): ` +
        `${Math.floor(size / recordBytes)} records and ${size % recordBytes} bytes left over; the file is truncated or not from the binary version`,
    );
  }
}

/** Writes the records of one file at record index `first` of `out`, planes (CHW) to NHWC. */
function decodeRecords(bytes: Uint8Array, file: string, format: CifarFormat, use: number, out: Records, first: number): void {
  const fields = format.labelFields;
  const recordBytes = fields.length + PIXELS;
  const n = bytes.length / recordBytes;
  for (let r = 0; r < n; r++) {
    const base = r * recordBytes;
    for (let f = 0; f < fields.length; f++) {
      const label = bytes[base + f];
      if (label >= fields[f].classes) {
        throw new DataError(file, `record ${r} has ${fields[f].what} ${label}, outside the ${fields[f].classes} classes 0..${fields[f].classes - 1}`);
      }
    }
    out.labels[first + r] = bytes[base + use];
    planesToHwc(bytes, base + fields.length, out.images, (first + r) * PIXELS);
  }
}

/** One image: three 32x32 planes from `src` to interleaved HWC at `dst`. */
function planesToHwc(bytes: Uint8Array, src: number, images: Float32Array, dst: number): void {
  for (let k = 0; k < 3; k++) {
    const plane = src + k * PLANE;
    for (let i = 0; i < PLANE; i++) images[dst + i * 3 + k] = UNIT[bytes[plane + i]];
  }
}

function toDataset(spec: DatasetSpec, { images, labels, count }: Records, classNames: string[]): Dataset {
  return {
    name: spec.name,
    split: spec.split,
    images,
    labels,
    count,
    height: SIDE,
    width: SIDE,
    channels: 3,
    numClasses: classNames.length,
    classNames,
  };
}
