export { initBackend, backendInfo, type InitBackendOptions } from './backend.js';
export {
  BackendError,
  BACKEND_ORDER,
  TFJS_NODE_NOTE,
  parseBackendName,
  type BackendInfo,
  type BackendLoader,
  type BackendLoaders,
  type BackendName,
} from './select.js';
export { engineNotes, WITHOUT_ORT_COST, type OrtProbe } from './notes.js';
export { KernelError } from './kernel-calls.js';
export type { InputGradStrategy } from './backprop-input.js';
export { ConvAccelerator, convAccelerator, parseConvEngine, type ConvAcceleratorOptions, type ConvEngine } from './ort-conv.js';
export {
  registerConvForward,
  registerConvGradKernels,
  convGradKernelsRegistered,
  registerWasmConvKernels,
  wasmConvKernelsRegistered,
  type ConvGradOptions,
} from './wasm-kernels.js';
