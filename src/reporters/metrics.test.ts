import { describe, expect, it } from 'vitest';
import { REPORTED_METRICS, type MetricDef } from '../results/index.js';
import { METRIC_COLUMNS, metricRows, tableColumns } from './metrics.js';
import { run } from './test-fixtures.js';

const byName = (name: string): MetricDef => REPORTED_METRICS.find((m) => m.name === name)!;

describe('the metrics table', () => {
  it('has the columns of the registry in their positions, after n', () => {
    expect(METRIC_COLUMNS.map((c) => c.header)).toEqual([
      'n', 'mean FLOPs', 'mean I-FLOPs', 'p50 I-FLOPs', 'max I-FLOPs', 'full-depth', 'success', 'coverage', 'accuracy', 'mean L2', 'mean Linf', 'gen/input',
    ]);
    // The seeds row has a value where a seeds metric shares the column.
    expect(METRIC_COLUMNS.filter((c) => c.seeds).map((c) => c.header)).toEqual(['mean FLOPs', 'full-depth', 'coverage', 'accuracy']);
  });

  it('shows each cell formatted by its kind, with the number behind it', () => {
    const suite = run.suites[0]!;
    const rows = metricRows(suite);
    const dp = suite.methods[0]!;
    const row = rows.find((r) => r.label === dp.method)!;
    const at = (header: string) => row.cells[METRIC_COLUMNS.findIndex((c) => c.header === header)]!;
    expect(at('mean I-FLOPs')).toEqual({ text: `${(dp.iflopsStats.mean * 100).toFixed(1)}%`, value: dp.iflopsStats.mean });
    expect(at('success').value).toBe(dp.successRate);
    const seedsRow = rows[0]!;
    expect(seedsRow.label).toBe('seeds');
    expect(seedsRow.cells.map((c) => c.text).filter((t) => t === '—')).toHaveLength(7);
  });

  it('refuses a registry whose columns clash, leave a gap or put a suite metric in a row', () => {
    const withColumns = (def: MetricDef, columns: MetricDef['columns']): MetricDef => ({ ...def, columns });
    const accuracy = byName('accuracy');
    expect(() => tableColumns([withColumns(accuracy, [{ header: 'a', position: 1 }]), withColumns(byName('seed accuracy'), [{ header: 'b', position: 1 }])])).toThrow(
      'column 1 is "a" and "b"',
    );
    expect(() => tableColumns([withColumns(accuracy, [{ header: 'a', position: 2 }])])).toThrow('positions 2 are not 1, 2, 3');
    expect(() => tableColumns([withColumns(byName('total time'), [{ header: 't', position: 1 }])])).toThrow('"total time" is measured once per suite');
    expect(() => tableColumns([withColumns(accuracy, [{ header: 'a', position: 1 }]), withColumns(byName('success rate'), [{ header: 'a', position: 1 }])])).toThrow(
      'column 1 has two method metrics',
    );
  });
});
