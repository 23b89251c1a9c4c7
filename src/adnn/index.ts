/** The AdNN stage: the contract, FLOPs accounting, the zoo, weights and training. */
export type { AdaptiveNetwork, AdnnKind, AdnnMeta, Block, Execution, InputSpec, SoftOutput } from './contract.js';
export { blocksRun, convFlops, costModel, denseFlops, FlopsCounter, totalFlops } from './flops.js';
export { runBatched, softBatched, type ImageBatch } from './execute.js';
export { evaluateAdaptive, trainAdnn, type AdaptiveEvaluation, type LabelledImages, type TrainOptions } from './train.js';
export { checkpointDir, loadCheckpoint, saveCheckpoint, type CheckpointMetadata } from './checkpoint.js';
export { loadAdnn, saveAdnn, type AdnnFileMetadata, type LoadedAdnn, type TrainingRecord } from './model-io.js';
export { loadUserAdnn, UserModelError, type UserModuleContext } from './user-module.js';
export { UnknownArchError, zooArchs, zooEntry, type ZooEntry, type ZooFamily } from './zoo/index.js';
