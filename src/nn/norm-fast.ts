import { BatchNorm } from './norm.js';

export { batchNormTraining } from './norm-grad.js';

/**
 * BatchNorm under its earlier name: BatchNorm's training mode now has the
 * closed-form gradient itself (norm-grad.ts), so nothing differs; kept so
 * code that chose it (SkipNet's gates) and its weights keep working.
 */
export class FastBatchNorm extends BatchNorm {}
