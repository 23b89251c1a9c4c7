/** The measurement stage: FLOPs, I-FLOPs, success number, coverage, full-depth rate, perturbation sizes (Eq. 9-11), the worst case over methods, latency, energy, threshold sensitivity, FLOPs-latency correlation. */
export { aggregate } from './aggregate.js';
export {
  blockActivation,
  blockCoverage,
  fullDepthRate,
  increasedFlops,
  measureMethod,
  measureSet,
  perturbationSizes,
  successNumber,
  type MethodInputs,
} from './metrics.js';
export { EnergyProbeError, MeasurementError } from './errors.js';
export { composeWorstCase, worstCaseChoice, type WorstCase, type WorstCaseCandidate } from './worst-case.js';
export { relativeIncrease, type IncreaseMeasurement } from './increase.js';
export { increasedLatency, measureLatency, type LatencyMeasurement, type LatencyOptions } from './latency.js';
export {
  detectEnergyProbe,
  increasedEnergy,
  measureEnergy,
  type EnergyDetectOptions,
  type EnergyDetection,
  type EnergyMeasurement,
  type EnergyOptions,
  type EnergyProbe,
} from './energy.js';
export { integratedPowerProbe } from './energy-probe.js';
export { SENSITIVITY_TAUS, thresholdSensitivity, type ThresholdPoint } from './sensitivity.js';
export { flopsLatencyCorrelation, pearson, type Correlation } from './correlation.js';
