/** Building blocks shared by the AdNN zoo, the generator and the discriminator. */
export { ParamStore, WeightsMismatchError, assignNamed } from './params.js';
export { Conv2d, ConvTranspose2d, type ConvSpec, type Init } from './conv.js';
export { Dense } from './dense.js';
export { BatchNorm, instanceNorm } from './norm.js';
export { convOutLength, convTransposeOutLength, type FeatureShape, type Padding } from './shape.js';
export { saveWeights, loadWeights, verifyWeights, addWeightsChecksum, WeightsFileError, type WeightsFile } from './weights-io.js';
export { withoutChecksum } from './model-json.js';
export { FastBatchNorm, batchNormTraining } from './norm-fast.js';
export { adamDirection, adamUpdate, AdamSchedule, type AdamConfig, type AdamMoments, type AdamScalars } from './adam.js';
export { DepthwiseConv2d, depthwiseByTaps, type DepthwiseSpec } from './depthwise.js';
export { convFlops, denseFlops, FlopsCounter, type ConvShape } from './flops.js';
export { seededDropout, seededNormal, seededUniform } from './random.js';
