/** Importing weights trained elsewhere (PyTorch state_dicts saved as .safetensors). */
export { parseSafetensors, readSafetensors, WeightsImportError, type RawTensor } from './safetensors.js';
export { convert, importTorchWeights, type TorchLayout, type TorchMapping, type TorchSource } from './torch.js';
