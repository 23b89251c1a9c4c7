import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CIFAR100_FILES_HELP, CIFAR10_FILES_HELP, loadCifar10, loadCifar100 } from './cifar.js';
import { DataError } from './errors.js';
import { bytesToUnit } from './files.js';
import { readIdxFile, type IdxArray } from './idx.js';
import { loadSvhn, SVHN_FILES_HELP } from './svhn.js';
import type { Dataset, DatasetSpec, Split } from './types.js';
import { packageRoot } from '../util/package-root.js';

export type { Cifar100Labels, Dataset, DatasetSpec, Split } from './types.js';

export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const FASHION_MNIST_DEFAULT_PATH = '/usr/share/datasets/fashion-mnist';
/** The balanced slice shipped with the package, relative to its root. */
export const EMBEDDED_SLICE_DIR = 'fixtures/data/fashion-mnist-slice';

/** The standard MNIST file names; each may also carry a .gz suffix. */
const FILES: Readonly<Record<Split, { images: string; labels: string }>> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

interface DatasetKind {
  /** What the folder must hold, for messages. */
  files: string;
  /** Folder used when the spec gives no path; undefined means a path is required. */
  defaultPath?: () => string;
  /** The embedded slice lives at a fixed place and refuses a user path. */
  fixedPath?: boolean;
  /** Reads the split from an existing folder. */
  load: (dir: string, spec: DatasetSpec) => Promise<Dataset>;
}

function idxKind(classNames: readonly string[], extra: Omit<DatasetKind, 'files' | 'load'>): DatasetKind {
  return { files: describeIdxFiles(), load: (dir, spec) => loadIdx(dir, spec, classNames), ...extra };
}

const KINDS: Readonly<Record<string, DatasetKind>> = {
  'fashion-mnist': idxKind(FASHION_MNIST_CLASSES, { defaultPath: () => FASHION_MNIST_DEFAULT_PATH }),
  mnist: idxKind(DIGITS, {}),
  'fashion-mnist-embedded': idxKind(FASHION_MNIST_CLASSES, {
    defaultPath: () => join(packageRoot(), EMBEDDED_SLICE_DIR),
    fixedPath: true,
  }),
  cifar10: { files: CIFAR10_FILES_HELP, load: loadCifar10 },
  cifar100: { files: CIFAR100_FILES_HELP, load: loadCifar100 },
  svhn: { files: SVHN_FILES_HELP, load: loadSvhn },
};

/** Dataset names loadDataset understands. */
export const KNOWN_DATASETS: readonly string[] = Object.keys(KINDS);

export async function loadDataset(spec: DatasetSpec): Promise<Dataset> {
  const kind = KINDS[spec.name];
  if (kind === undefined) {
    throw new DataError(undefined, `unknown dataset '${spec.name}'; known datasets: ${KNOWN_DATASETS.join(', ')}`);
  }
  if (spec.split !== 'train' && spec.split !== 'test') {
    throw new DataError(undefined, `unknown split '${String(spec.split)}' for dataset '${spec.name}'; use train or test`);
  }
  checkLabelsOption(spec);
  return kind.load(await datasetDir(spec, kind), spec);
}

function checkLabelsOption(spec: DatasetSpec): void {
  if (spec.labels === undefined) return;
  if (spec.name !== 'cifar100') {
    throw new DataError(undefined, `dataset '${spec.name}' takes no labels option; only cifar100 has fine and coarse labels`);
  }
  if (spec.labels !== 'fine' && spec.labels !== 'coarse') {
    throw new DataError(undefined, `unknown labels '${String(spec.labels)}' for dataset 'cifar100'; use fine (100 classes) or coarse (20)`);
  }
}

async function loadIdx(dir: string, spec: DatasetSpec, classNames: readonly string[]): Promise<Dataset> {
  const names = FILES[spec.split];
  const imagesFile = await findIdxFile(dir, names.images);
  const labelsFile = await findIdxFile(dir, names.labels);
  const [images, labels] = await Promise.all([readIdxFile(imagesFile), readIdxFile(labelsFile)]);
  return toDataset(spec, classNames, { file: imagesFile, idx: images }, { file: labelsFile, idx: labels });
}

async function datasetDir(spec: DatasetSpec, kind: DatasetKind): Promise<string> {
  if (kind.fixedPath === true && spec.path !== undefined) {
    throw new DataError(spec.path, `dataset '${spec.name}' ships with deepperform and takes no path; use 'fashion-mnist' to read a folder of your own`);
  }
  const given = spec.path ?? kind.defaultPath?.();
  if (given === undefined) {
    throw new DataError(undefined, `dataset '${spec.name}' needs a path: a folder holding ${kind.files}`);
  }
  const dir = resolve(given);
  const info = await stat(dir).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) {
    const why = info.code === 'ENOENT' ? 'does not exist' : `cannot be read (${info.code ?? info.message})`;
    throw new DataError(dir, `dataset folder for '${spec.name}' ${why}`);
  }
  if (!info.isDirectory()) throw new DataError(dir, `is not a folder; dataset '${spec.name}' needs a folder holding ${kind.files}`);
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

function describeIdxFiles(): string {
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
