/** The measurement stage: FLOPs, I-FLOPs, success number, coverage, perturbation sizes (Eq. 9-11). */
export { aggregate } from './aggregate.js';
export {
  blockActivation,
  blockCoverage,
  increasedFlops,
  measureMethod,
  measureSet,
  perturbationSizes,
  successNumber,
  type MethodInputs,
} from './metrics.js';
