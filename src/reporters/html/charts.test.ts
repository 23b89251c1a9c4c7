import { describe, expect, it } from 'vitest';
import { chartSuite } from '../test-fixtures.js';
import { activationChart, blockLabels, colourScale, ecdfPoints, flopsChart, flopsShares, LEVEL_LABELS_FLAT, MAX_BAR_LEVELS, sensitivityChart, suiteCharts } from './charts.js';
import { renderSvg } from './svg.js';
import { curveData, trainingChart } from './training-chart.js';

describe('chart data', () => {
  it('ecdfPoints: one step per distinct value, anchored at both ends', () => {
    expect(ecdfPoints('s', [30, 10, 30, 20], 5, 50)).toEqual([
      { set: 's', flops: 5, share: 0, order: 0 },
      { set: 's', flops: 10, share: 0.25, order: 1 },
      { set: 's', flops: 20, share: 0.5, order: 2 },
      { set: 's', flops: 30, share: 1, order: 3 },
      { set: 's', flops: 50, share: 1, order: 4 },
    ]);
    // Anchors never cut the data off; NaN is not an input.
    expect(ecdfPoints('s', [8, Number.NaN], 10, 5).map((p) => [p.flops, p.share])).toEqual([
      [8, 0],
      [8, 1],
      [8, 1],
    ]);
    expect(ecdfPoints('s', [], 0, 1)).toEqual([]);
  });

  it('flopsShares: the share of a set at each FLOPs value, cheapest first', () => {
    expect(flopsShares('m', [40, 20, 40, 40])).toEqual([
      { set: 'm', flops: 20, share: 0.25 },
      { set: 'm', flops: 40, share: 0.75 },
    ]);
  });

  it('blockLabels: names as they are, numbered only when two are equal', () => {
    expect(blockLabels(['a', 'b'])).toEqual(['a', 'b']);
    expect(blockLabels(['gate', 'gate', 'exit'])).toEqual(['1. gate', '2. gate', '3. exit']);
  });

  it('colourScale: seeds green, DeepPerform red, the others in turn', () => {
    expect(colourScale(['seeds', 'random', 'deepperform', 'ilfo'])).toEqual({
      domain: ['seeds', 'random', 'deepperform', 'ilfo'],
      range: ['#2da44e', '#0969da', '#cf222e', '#bf8700'],
    });
  });
});

describe('chart specs', () => {
  it('draws few FLOPs levels as bars and many as CDF lines', () => {
    expect(flopsChart(chartSuite)!.spec).toMatchObject({ mark: { type: 'bar' } });
    const many = Array.from({ length: MAX_BAR_LEVELS + 1 }, (_, i) => 10e6 + i);
    const seeds = { ...chartSuite.seeds!, flops: many };
    expect(flopsChart({ ...chartSuite, seeds })!.spec).toMatchObject({ mark: { type: 'line', interpolate: 'step-after' } });
    expect(flopsChart({ ...chartSuite, seeds: undefined, methods: [] })).toBeUndefined();
  });

  it("turns the bars' FLOPs labels when more than fit flat (SkipNet's many levels)", () => {
    const axisOf = (flops: number[]) => {
      const seeds = { ...chartSuite.seeds!, flops };
      const spec = flopsChart({ ...chartSuite, seeds, methods: [] })!.spec as { encoding: { x: { axis: { labelAngle: number } } } };
      return spec.encoding.x.axis.labelAngle;
    };
    const levels = (n: number) => Array.from({ length: n }, (_, i) => 1.2e6 + i * 1e4);
    expect(axisOf(levels(LEVEL_LABELS_FLAT))).toBe(0);
    expect(axisOf(levels(LEVEL_LABELS_FLAT + 1))).toBe(-45);
    expect(axisOf(levels(MAX_BAR_LEVELS))).toBe(-45);
  });

  it('gives a method the same colour in every chart', () => {
    const colourOf = (spec: object, method: string): string => {
      const text = JSON.stringify(spec);
      const scale = JSON.parse(/"scale":(\{"domain":\[[^\]]*\],"range":\[[^\]]*\]\})/.exec(text)![1]!) as { domain: string[]; range: string[] };
      return scale.range[scale.domain.indexOf(method)]!;
    };
    const hostile = chartSuite.methods[1]!.method;
    const colours = [flopsChart(chartSuite)!, activationChart(chartSuite)!, sensitivityChart(chartSuite)!].map((c) => colourOf(c.spec, hostile));
    expect(colours).toEqual(['#0969da', '#0969da', '#0969da']);
  });

  it('marks the suite threshold in the sensitivity chart', () => {
    expect(JSON.stringify(sensitivityChart(chartSuite)!.spec)).toContain('"values":[{"tau":0.5}]');
    expect(sensitivityChart({ ...chartSuite, sensitivity: [] })).toBeUndefined();
  });

  it('switches block activation to lines for deep models and renders them', async () => {
    const blocks = Array.from({ length: 20 }, (_, i) => ({ name: `b${i}`, flops: 1 }));
    const share = Array.from({ length: 20 }, (_, i) => i / 20);
    const deep = { ...chartSuite, model: { ...chartSuite.model, blocks }, seeds: { ...chartSuite.seeds!, blockActivation: share }, methods: [] };
    const chart = activationChart(deep)!;
    expect(chart.spec).toMatchObject({ mark: { type: 'line' } });
    const svg = await renderSvg(chart.spec);
    expect(svg).toContain('>b19</text>');
  });
});

describe('trainingChart', () => {
  it('one datum per validation with its standard-error band and learning rate, the best validation marked', () => {
    const chart = trainingChart(chartSuite)!;
    expect(chart.kind).toBe('training');
    // The fixture: standard error 0.02 everywhere, epochs = step / 10.
    expect(curveData(chartSuite).slice(0, 2)).toEqual([
      { epoch: 1, step: 10, iflops: 0.1, low: 0.1 - 0.02, high: 0.1 + 0.02, rate: 'lr 1e-3' },
      { epoch: 2, step: 20, iflops: 0.2, low: 0.2 - 0.02, high: 0.2 + 0.02, rate: 'lr 1e-3' },
    ]);
    const spec = chart.spec as { layer: { data?: { values: unknown[] }; encoding: { color?: { scale: { domain: string[] } } } }[] };
    expect(spec.layer[2]!.encoding.color!.scale.domain).toEqual(['lr 1e-3', 'lr 1e-4', 'lr 1e-5']);
    expect(spec.layer[3]!.data!.values).toEqual([{ epoch: 3 }]);
    expect(chart.caption).toMatch(/on 1000 held-out training inputs .* Training early-stopped \(converged\)\.$/);
  });

  it('draws nothing without a record', () => {
    const { record: _none, ...bare } = chartSuite.training!;
    expect(trainingChart({ ...chartSuite, training: bare })).toBeUndefined();
    expect(trainingChart({ ...chartSuite, training: undefined })).toBeUndefined();
  });
});

describe('suiteCharts', () => {
  it('puts a full-width chart after the others', () => {
    expect(suiteCharts(chartSuite).map((c) => c.kind)).toEqual(['flops', 'activation', 'sensitivity', 'training']);
    const blocks = Array.from({ length: 13 }, (_, i) => ({ name: `b${i}`, flops: 1 }));
    const deep = { ...chartSuite, model: { ...chartSuite.model, blocks } };
    expect(suiteCharts(deep).map((c) => [c.kind, c.wide ?? false])).toEqual([
      ['flops', false],
      ['sensitivity', false],
      ['training', false],
      ['activation', true],
    ]);
  });
});
