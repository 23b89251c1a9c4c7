/** Importing weights trained elsewhere (PyTorch state_dicts saved as .safetensors). */
export { parseSafetensors, readSafetensors, WeightsImportError, type RawTensor } from './safetensors.js';
export { convert, importTorchWeights, stripDataParallelPrefix, type TorchLayout, type TorchMapping, type TorchSource } from './torch.js';
