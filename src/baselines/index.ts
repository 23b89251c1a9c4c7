/** Baselines reported beside DeepPerform on the same seeds, epsilon and tau. */
export { randomNoise } from './random.js';
