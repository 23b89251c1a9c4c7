/**
 * The §6 remedies in plain text, one line each: the detector's AUC and cost,
 * retraining's I-FLOPs and accuracy before and after (Table 10). The console
 * prints these; JUnit carries the same numbers as properties.
 */
import type { SuiteResult } from '../results/index.js';
import { formatFlops, formatMs, formatPercent } from './format.js';

type Mitigation = NonNullable<SuiteResult['mitigation']>;
export type DetectorSummary = NonNullable<Mitigation['detector']>;
export type RetrainSummary = NonNullable<Mitigation['retrain']>;

export function mitigationLines(s: SuiteResult): string[] {
  const lines: string[] = [];
  const d = s.mitigation?.detector;
  if (d) {
    lines.push(
      `detector (linear SVM on the first layer, ${d.trainSeeds} training / ${d.testSeeds} test seeds, each with its generated input): ` +
        `AUC ${d.auc.toFixed(4)}, accuracy ${formatPercent(d.accuracy)}, +${formatFlops(d.overheadFlops)} FLOPs per input ` +
        `(${d.overheadFlopsPct.toFixed(2)}% of the mean seed FLOPs), ${formatMs(d.latencyMs)} per input`,
    );
  }
  const r = s.mitigation?.retrain;
  if (r) {
    lines.push(
      `retraining (Eq. 12, ${r.epochs} epochs on ${r.trainSeeds} seeds): I-FLOPs mean ${formatPercent(r.before.meanIFlops)} -> ${formatPercent(r.after.meanIFlops)}, ` +
        `max ${formatPercent(r.before.maxIFlops)} -> ${formatPercent(r.after.maxIFlops)} (generator retrained against the new model); ` +
        `test accuracy ${formatPercent(r.before.accuracy)} -> ${formatPercent(r.after.accuracy)}`,
    );
  }
  return lines;
}

/** Properties for JUnit, numbers only, under `mitigation.`. */
export function mitigationProperties(s: SuiteResult): [string, number][] {
  const props: [string, number][] = [];
  const d = s.mitigation?.detector;
  if (d) {
    props.push(
      ['mitigation.detector.auc', d.auc],
      ['mitigation.detector.accuracy', d.accuracy],
      ['mitigation.detector.overheadFlops', d.overheadFlops],
      ['mitigation.detector.overheadFlopsPct', d.overheadFlopsPct],
      ['mitigation.detector.latencyMs', d.latencyMs],
    );
  }
  const r = s.mitigation?.retrain;
  if (r) {
    for (const [when, m] of [['before', r.before], ['after', r.after]] as const) {
      props.push([`mitigation.retrain.${when}.iflops.mean`, m.meanIFlops], [`mitigation.retrain.${when}.iflops.max`, m.maxIFlops], [`mitigation.retrain.${when}.accuracy`, m.accuracy]);
    }
    props.push(['mitigation.retrain.epochs', r.epochs], ['mitigation.retrain.seconds', r.seconds]);
  }
  return props;
}
