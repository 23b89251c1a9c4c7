/** The CIFAR ResNet backbone and the conditional-skipping AdNN base SkipNet and BlockDrop share. */
export { CifarResNet, globalAvgPool, type Normalization, type ResNetSpec } from './backbone.js';
export { BasicResidual, ConvShortcut, IdentityShortcut, ResidualUnit, ZeroPadShortcut, type Shortcut, type ShortcutKind } from './residual.js';
export { DEFAULT_TAU, OPEN_BIAS, SkippingNetwork, type GateSession, type Gating, type StagedGating, type SkippingObjective, type SkippingParts } from './skipping.js';
export { straightThrough } from './straight-through.js';
export { difficultyLoss, hardLabels, type DifficultyTarget } from './difficulty.js';
export { applyAugmentation, drawAugmentation, type AugmentDraw, type Augmentation } from './augment.js';
export * from './config.js';
export { checkCostModel, thresholdsBetween, type CostModelCheck, type CostModelMismatch } from './check-cost-model.js';
