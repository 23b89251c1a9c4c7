/**
 * The ONNX Runtime inference engine for the forward-only hot paths: networks
 * are traced from their tfjs definition into ONNX and run on onnxruntime-node,
 * falling back to tfjs (with one warning) when it cannot load.
 */
export { CompiledForward, type ForwardCompiler } from './forward.js';
export {
  defaultInferenceEngine,
  EngineChoiceError,
  InferenceEngine,
  OrtFallbackWarning,
  parseEngineChoice,
  setDefaultInferenceEngine,
  type EngineChoice,
  type EngineName,
  type InferenceEngineOptions,
} from './engine.js';
export { exportOnnx, SUPPORTED_KERNELS, TRACE_BATCH, type ExportedModel } from './export.js';
export { OnnxExportError } from './lower-context.js';
export { CompiledProgram, lowerProgram, type LoweredProgram, type ProgramResult, type ProgramSpec } from './program.js';
export { runLoop, type LoopJob } from './program-loop.js';
export { SplitProgram } from './program-split.js';
export { ProgramWorkerError, stopProgramWorkers, type RemoteProgram } from './program-worker.js';
export { TraceError } from './trace.js';
export {
  loadOnnxruntimeNode,
  OrtUnavailableError,
  type OrtLoader,
  type OrtRuntime,
  type OrtSession,
  type OrtTensorData,
  type SessionOptions,
} from './runtime.js';
