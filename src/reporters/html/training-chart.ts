/**
 * The generator's validation curve as a Vega-Lite chart: mean I-FLOPs per
 * validation with a band of one standard error, points coloured by the
 * learning rate in force, and the best validation (the generator kept) marked.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SuiteResult } from '../../results/index.js';
import { formatRate, stopReasonText } from '../training.js';
import { CHART_CONFIG, CHART_HEIGHT, CHART_WIDTH, type Chart } from './chart-base.js';

const CURVE_COLOUR = '#cf222e';
const RATE_COLOURS = ['#cf222e', '#0969da', '#8250df', '#bf8700', '#1b7c83', '#57606a'];

export interface CurveDatum {
  epoch: number;
  step: number;
  iflops: number;
  low: number | null;
  high: number | null;
  rate: string;
}

/** One datum per validation; the band is absent where the standard error is unknown. */
export function curveData(s: SuiteResult): CurveDatum[] {
  const curve = s.training?.record?.curve ?? [];
  return curve
    .filter((p) => Number.isFinite(p.iflops))
    .map((p) => {
      const se = Number.isFinite(p.standardError) ? p.standardError : null;
      return { epoch: p.epoch, step: p.step, iflops: p.iflops, low: se === null ? null : p.iflops - se, high: se === null ? null : p.iflops + se, rate: `lr ${formatRate(p.learningRate)}` };
    });
}

export function trainingChart(s: SuiteResult): Chart | undefined {
  const record = s.training?.record;
  const values = curveData(s);
  if (!record || values.length === 0) return undefined;
  const rates = [...new Set(values.map((v) => v.rate))];
  const x = { field: 'epoch', type: 'quantitative', title: 'epoch', scale: { zero: false, nice: false } } as const;
  const spec: TopLevelSpec = {
    config: CHART_CONFIG,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.15, color: CURVE_COLOUR },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
      },
      {
        mark: { type: 'line', strokeWidth: 2, color: CURVE_COLOUR },
        encoding: { x, y: { field: 'iflops', type: 'quantitative', title: 'validation mean I-FLOPs', axis: { format: '%' } } },
      },
      {
        mark: { type: 'point', filled: true, size: 36 },
        encoding: {
          x,
          y: { field: 'iflops', type: 'quantitative' },
          color: { field: 'rate', type: 'nominal', scale: { domain: rates, range: RATE_COLOURS.slice(0, rates.length) } },
        },
      },
      {
        data: { values: [{ epoch: record.best.epoch }] },
        mark: { type: 'rule', color: '#8c959f', strokeDash: [2, 2] },
        encoding: { x: { field: 'epoch', type: 'quantitative' } },
      },
    ],
  };
  return {
    kind: 'training',
    title: 'Generator validation',
    caption:
      `Mean I-FLOPs of the generator's inputs on ${record.validationInputs} held-out training inputs at each validation; the band is ± one standard error, ` +
      `points are coloured by the learning rate, the dotted line marks the best validation (the generator kept). Training ${stopReasonText(record)}.`,
    spec,
  };
}
