/** Data loading: IDX files, CIFAR-10/100 binary, SVHN .mat, the known datasets, seeded sampling. Images are NHWC float32 in [0, 1]. */
export { DataError } from './errors.js';
export { readIdxFile, parseIdx, isGzip, type IdxArray } from './idx.js';
export { parseMat5, readMat5File, type MatVariable, type MatNumericArray } from './mat5.js';
export { CIFAR10_CLASSES, CIFAR100_FINE_CLASSES, CIFAR100_COARSE_CLASSES } from './cifar-classes.js';
export {
  loadDataset,
  KNOWN_DATASETS,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DEFAULT_PATH,
  EMBEDDED_SLICE_DIR,
  type Cifar100Labels,
  type Dataset,
  type DatasetSpec,
  type Split,
} from './dataset.js';
export { takeSeeded, batchOf, subset, splitTrainValidation, splitHoldOut, type Batch } from './sampling.js';
export { mulberry32, shuffledIndices } from '../util/random.js';
