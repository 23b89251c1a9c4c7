/**
 * tfjs-core's Node bundle registers no gradient functions (tf.grads and
 * optimizer.minimize fail with "gradient function not found for Sum") and no
 * chained ops (x.add(y)). The union package @tensorflow/tfjs bundles both and
 * registers them on the one, deduped @tensorflow/tfjs-core the project uses,
 * so this import is for its side effects only. Its webgl backend registers
 * only in browsers. Our own gradients replace some of its ones afterwards
 * (ES module order guarantees the import has run).
 */
import '@tensorflow/tfjs';
import { registerActivationGradients } from './activation-grad.js';
import { registerBatchNormGradient } from './batchnorm-grad.js';
import { registerMirrorPadGradient } from './mirror-pad-grad.js';

registerBatchNormGradient();
registerActivationGradients();
registerMirrorPadGradient();
