/** What every chart of the report shares: its description and the Vega-Lite config. */
import type { TopLevelSpec } from 'vega-lite';

export interface Chart {
  /** Short name used in element ids and classes. */
  kind: 'flops' | 'activation' | 'sensitivity' | 'training';
  title: string;
  caption: string;
  spec: TopLevelSpec;
  /** Drawn across the whole row (a deep model's blocks). */
  wide?: boolean;
}

export const CHART_WIDTH = 300;
export const CHART_HEIGHT = 190;

export const CHART_CONFIG = {
  // Vega's ARIA descriptions repeat every data value as an attribute: they
  // triple the SVG size. The figure's caption describes each chart instead.
  aria: false,
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelColor: '#57606a', titleColor: '#1f2328', gridColor: '#eaeef2', domainColor: '#8c959f', tickColor: '#8c959f' },
  legend: { orient: 'bottom', direction: 'horizontal', title: null, labelLimit: 220, symbolStrokeWidth: 3 },
} as const;
