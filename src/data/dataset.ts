import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataError } from './errors.js';
import { readIdxFile, type IdxArray } from './idx.js';
import { packageRoot } from '../util/package-root.js';

export type Split = 'train' | 'test';

/** A labelled image set, NHWC float32 in [0, 1] (DESIGN.md §4). */
export interface Dataset {
  name: string;
  split: Split;
  /** count * height * width * channels values, NHWC order. */
  images: Float32Array;
  labels: Int32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  classNames?: string[];
}

export interface DatasetSpec {
  name: string;
  split: Split;
  /** Folder holding the files; defaults depend on the dataset. */
  path?: string;
}

export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const FASHION_MNIST_DEFAULT_PATH = '/usr/share/datasets/fashion-mnist';
/** The balanced slice shipped with the package, relative to its root. */
export const EMBEDDED_SLICE_DIR = 'fixtures/data/fashion-mnist-slice';

interface IdxDatasetKind {
  classNames: readonly string[];
  /** Folder used when the spec gives no path; undefined means a path is required. */
  defaultPath: (() => string) | undefined;
  /** The embedded slice lives at a fixed place and refuses a user path. */
  fixedPath: boolean;
}

const KINDS: Readonly<Record<string, IdxDatasetKind>> = {
  'fashion-mnist': { classNames: FASHION_MNIST_CLASSES, defaultPath: () => FASHION_MNIST_DEFAULT_PATH, fixedPath: false },
  mnist: { classNames: DIGITS, defaultPath: undefined, fixedPath: false },
  'fashion-mnist-embedded': {
    classNames: FASHION_MNIST_CLASSES,
    defaultPath: () => join(packageRoot(), EMBEDDED_SLICE_DIR),
    fixedPath: true,
  },
};

/** Dataset names loadDataset understands. */
export const KNOWN_DATASETS: readonly string[] = Object.keys(KINDS);

/** The standard MNIST file names; each may also carry a .gz suffix. */
const FILES: Readonly<Record<Split, { images: string; labels: string }>> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

export async function loadDataset(spec: DatasetSpec): Promise<Dataset> {
  const kind = KINDS[spec.name];
  if (kind === undefined) {
    throw new DataError(undefined, `unknown dataset '${spec.name}'; known datasets: ${KNOWN_DATASETS.join(', ')}`);
  }
  if (spec.split !== 'train' && spec.split !== 'test') {
    throw new DataError(undefined, `unknown split '${String(spec.split)}' for dataset '${spec.name}'; use train or test`);
  }
  const dir = await datasetDir(spec, kind);
  const names = FILES[spec.split];
  const imagesFile = await findIdxFile(dir, names.images);
  const labelsFile = await findIdxFile(dir, names.labels);
  const [images, labels] = await Promise.all([readIdxFile(imagesFile), readIdxFile(labelsFile)]);
  return toDataset(spec, kind.classNames, { file: imagesFile, idx: images }, { file: labelsFile, idx: labels });
}

async function datasetDir(spec: DatasetSpec, kind: IdxDatasetKind): Promise<string> {
  if (kind.fixedPath && spec.path !== undefined) {
    throw new DataError(spec.path, `dataset '${spec.name}' ships with deepperform and takes no path; use 'fashion-mnist' to read a folder of your own`);
  }
  const given = spec.path ?? kind.defaultPath?.();
  if (given === undefined) {
    throw new DataError(undefined, `dataset '${spec.name}' needs a path: a folder holding ${describeFiles()}`);
  }
  const dir = resolve(given);
  const info = await stat(dir).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) {
    const why = info.code === 'ENOENT' ? 'does not exist' : `cannot be read (${info.code ?? info.message})`;
    throw new DataError(dir, `dataset folder for '${spec.name}' ${why}`);
  }
  if (!info.isDirectory()) throw new DataError(dir, `is not a folder; dataset '${spec.name}' needs a folder holding ${describeFiles()}`);
  return dir;
}

/** The plain file if present, else its .gz; the content decides how it is read. */
async function findIdxFile(dir: string, base: string): Promise<string> {
  for (const candidate of [join(dir, base), join(dir, `${base}.gz`)]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  throw new DataError(join(dir, base), `does not exist (neither ${base} nor ${base}.gz is in ${dir})`);
}

function describeFiles(): string {
  const all = Object.values(FILES).flatMap((f) => [f.images, f.labels]);
  return `${all.join(', ')} (each optionally .gz)`;
}

interface IdxSource {
  file: string;
  idx: IdxArray;
}

function toDataset(spec: DatasetSpec, classNames: readonly string[], images: IdxSource, labels: IdxSource): Dataset {
  const { count, height, width, channels } = imageShape(images);
  if (labels.idx.dims.length !== 1) {
    throw new DataError(labels.file, `should hold a 1-D array of labels, but its IDX header has dimensions ${labels.idx.dims.join('x')}`);
  }
  if (labels.idx.dims[0] !== count) {
    throw new DataError(labels.file, `holds ${labels.idx.dims[0]} labels but ${images.file} holds ${count} images; they must match`);
  }
  if (count === 0) throw new DataError(images.file, 'holds no images');
  return {
    name: spec.name,
    split: spec.split,
    images: bytesToUnit(images.idx.data),
    labels: checkedLabels(labels, classNames.length),
    count,
    height,
    width,
    channels,
    numClasses: classNames.length,
    classNames: [...classNames],
  };
}

/** N x H x W (grey, as MNIST) or N x H x W x C. */
function imageShape({ file, idx }: IdxSource): { count: number; height: number; width: number; channels: number } {
  const d = idx.dims;
  if (d.length !== 3 && d.length !== 4) {
    throw new DataError(file, `should hold images as N x H x W or N x H x W x C, but its IDX header has dimensions ${d.join('x')}`);
  }
  return { count: d[0], height: d[1], width: d[2], channels: d.length === 4 ? d[3] : 1 };
}

function checkedLabels({ file, idx }: IdxSource, numClasses: number): Int32Array {
  const out = new Int32Array(idx.data.length);
  for (let i = 0; i < out.length; i++) {
    const label = idx.data[i];
    if (label >= numClasses) {
      throw new DataError(file, `label ${i} is ${label}, outside the ${numClasses} classes 0..${numClasses - 1}`);
    }
    out[i] = label;
  }
  return out;
}

// A table keeps the division out of the per-pixel loop (47M pixels for the full training set).
const UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

function bytesToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = UNIT[bytes[i]];
  return out;
}
