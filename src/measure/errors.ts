/** Inputs to a measurement that do not fit together (mismatched lengths, bad options). */
export class MeasurementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeasurementError';
  }
}

/** An energy sensor that was readable at detection but failed while measuring. */
export class EnergyProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnergyProbeError';
  }
}
