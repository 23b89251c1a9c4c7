/** The AdNN stage: the contract, FLOPs accounting, the zoo, weights and training. */
export type { AdaptiveNetwork, AdnnKind, AdnnMeta, Block, Execution, InputSpec, SoftOutput } from './contract.js';
export { activationTarget, blocksRun, convFlops, costModel, denseFlops, FlopsCounter, totalFlops } from './flops.js';
export { executedFlops } from './executed-cost.js';
export { activationGradient, type ActivationGradient } from './gradient.js';
export { adaptiveRunner, runBatched, softBatched, type AdaptiveRunner, type AdaptiveRunnerOptions, type EngineOptions, type ImageBatch, type PreparedInput } from './execute.js';
export { evaluateAdaptive, trainAdnn, type AdaptiveEvaluation, type LabelledImages, type TrainOptions } from './train.js';
export {
  compileStagedOrt,
  INPUT_REGISTER,
  OrtStagedNetwork,
  runPlanTfjs,
  StagePlanError,
  type BranchStep,
  type CallStep,
  type ExecuteOptions,
  type ExitStep,
  type StagedExecution,
  type StagedOrtOptions,
  type StageFn,
  type StagePlan,
  type Step,
} from './stages/index.js';
export { checkpointDir, loadCheckpoint, saveCheckpoint, type CheckpointMetadata } from './checkpoint.js';
export { loadAdnn, readAdnnArch, readAdnnHeader, saveAdnn, type AdnnFileMetadata, type AdnnHeader, type LoadedAdnn, type TrainingRecord } from './model-io.js';
export { loadUserAdnn, UserModelError, type AdnnModule, type UserAdnn, type UserAdnnFactory, type UserAdnnMeta, type UserExecution, type UserModuleContext, type UserModuleOptions } from './user-module.js';
export { UserModuleCallError } from './user-call.js';
export { UnknownArchError, zooArchs, zooEntry, type ZooEntry, type ZooFamily } from './zoo/index.js';
export { loadOnnxAdnn, onnxAdnnSpec, OnnxModelError, SUPPORTED_OPS, type OnnxAdnnSpec, type OnnxModelOptions, type OnnxNetwork, type StageSummary } from './onnx/index.js';
