/**
 * Early stopping and the learning-rate schedule, judged on the validation
 * curve. A validation is a *gain* only when its mean I-FLOPs beats the
 * reference (the last gain's mean) by more than `minDelta`; by default
 * minDelta is the standard error of the reference's mean, so a change smaller
 * than the validation set's own sampling noise does not count. Creeping
 * improvements still add up: each is compared with the last gain, not with
 * the latest best.
 */

/** Reduce-on-plateau, as the authors dropped 1e-3 -> 1e-4 -> 1e-5. */
export interface PlateauSchedule {
  type: 'plateau';
  /** Multiplies the learning rate on a plateau (0 < factor < 1). */
  factor: number;
  /** Validations without a gain (since the last gain or reduction) before a reduction. */
  patience: number;
  /** The rate is never reduced below this. */
  minLearningRate: number;
}

export type LearningRateSchedule = { type: 'constant' } | PlateauSchedule;

export interface PlateauSettings {
  learningRate: number;
  schedule: LearningRateSchedule;
  /** Validations in a row without a gain before training stops. */
  patience: number;
  /** Smallest rise of the mean I-FLOPs that counts as a gain; undefined: the reference's standard error. */
  minDelta?: number;
}

export interface Verdict {
  /** Beat the reference by more than minDelta. */
  gain: boolean;
  /** The highest mean so far (its generator is the one kept). */
  best: boolean;
  /** `patience` validations in a row without a gain: early stopping fires. */
  stop: boolean;
  /** The learning rate for the steps after this validation. */
  learningRate: number;
}

export class Plateau {
  private reference = { iflops: -Infinity, standardError: 0 };
  private bestIflops = -Infinity;
  private sinceGain = 0;
  private sinceChange = 0;
  private rate: number;

  constructor(private readonly s: PlateauSettings) {
    this.rate = s.learningRate;
  }

  get learningRate(): number {
    return this.rate;
  }

  /** The gain threshold in force now (minDelta, or the reference's standard error; 0 when that is unknown). */
  get threshold(): number {
    if (this.s.minDelta !== undefined) return this.s.minDelta;
    return Number.isFinite(this.reference.standardError) ? this.reference.standardError : 0;
  }

  observe(iflops: number, standardError: number): Verdict {
    const gain = iflops > this.reference.iflops + this.threshold;
    const best = iflops > this.bestIflops;
    if (best) this.bestIflops = iflops;
    if (gain) {
      this.reference = { iflops, standardError };
      this.sinceGain = 0;
      this.sinceChange = 0;
    } else {
      this.sinceGain++;
      this.sinceChange++;
      this.maybeReduce();
    }
    return { gain, best, stop: this.sinceGain >= this.s.patience, learningRate: this.rate };
  }

  private maybeReduce(): void {
    const sch = this.s.schedule;
    if (sch.type !== 'plateau' || this.sinceChange < sch.patience || this.rate <= sch.minLearningRate) return;
    this.rate = Math.max(sch.minLearningRate, this.rate * sch.factor);
    this.sinceChange = 0;
  }
}
