/** Data loading: IDX files, the known datasets, seeded sampling. Images are NHWC float32 in [0, 1]. */
export { DataError } from './errors.js';
export { readIdxFile, parseIdx, isGzip, type IdxArray } from './idx.js';
export {
  loadDataset,
  KNOWN_DATASETS,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DEFAULT_PATH,
  EMBEDDED_SLICE_DIR,
  type Dataset,
  type DatasetSpec,
  type Split,
} from './dataset.js';
export { takeSeeded, batchOf, subset, splitTrainValidation, type Batch } from './sampling.js';
export { mulberry32, shuffledIndices } from '../util/random.js';
