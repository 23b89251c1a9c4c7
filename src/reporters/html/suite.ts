/** One suite's section of the page. */
import type { SuiteResult } from '../../results/index.js';
import { html } from '../escape.js';
import { formatDuration } from '../format.js';
import { suiteCharts, type Chart } from './charts.js';
import { configFacts, extrasSection, modelFacts, trainingFacts, warningsBlock } from './facts.js';
import { imageGrid } from './images.js';
import { mitigationSection } from './mitigation.js';
import { statusClass } from './markup.js';
import { renderSvg } from './svg.js';
import { assertionTable, blocksTable, methodTable, sensitivityTable } from './tables.js';

/** Draws one chart as SVG; the page's is renderSvg (tests give one that fails). */
export type ChartRenderer = (spec: Chart['spec']) => Promise<string>;

export async function suiteSection(s: SuiteResult, index: number, render: ChartRenderer = renderSvg): Promise<string> {
  const cls = statusClass(s.status);
  const parts = [
    `<section class="suite ${cls}" id="suite-${index + 1}" data-suite="${index}">`,
    `<h2><span class="badge ${cls}">${html(s.status)}</span> ${html(s.name)}</h2>`,
    `<p class="meta"><code>${html(s.file)}</code> · ${html(formatDuration(s.durationMs))} · seed ${html(String(s.config.seed))}${savedNote(s)}</p>`,
    s.error ? errorBlock(s.error) : '',
    warningsBlock(s),
    assertionTable(s.assertions),
    methodTable(s),
    await chartsBlock(s, render),
    imageGrid(s),
    '<h3>Details</h3>',
    '<div class="facts">',
    modelFacts(s),
    configFacts(s),
    s.training ? trainingFacts(s.training) : '',
    '</div>',
    extrasSection(s),
    mitigationSection(s),
    blocksTable(s),
    '</section>',
  ];
  return parts.filter((p) => p !== '').join('\n');
}

const SAVED_ACTION = { compared: 'compared with', written: 'written to', missing: 'missing:' } as const;

/** Where the suite's saved result (for `saved` comparisons) came from or went. */
function savedNote(s: SuiteResult): string {
  if (!s.saved) return '';
  return ` · saved result ${SAVED_ACTION[s.saved.action] ?? html(s.saved.action)} <code>${html(s.saved.file)}</code>`;
}

function errorBlock(error: { message: string; stack?: string }): string {
  const stack = error.stack ? `<pre>${html(error.stack)}</pre>` : '';
  return `<div class="error-box"><strong>${html(error.message)}</strong>${stack}</div>`;
}

async function chartsBlock(s: SuiteResult, render: ChartRenderer): Promise<string> {
  const charts = suiteCharts(s);
  if (charts.length === 0) return '';
  const figures = await Promise.all(charts.map((c) => chartFigure(s, c, render)));
  return ['<h3>Charts</h3>', '<div class="charts">', ...figures, '</div>'].join('\n');
}

/** A chart that cannot be drawn is reported in its place; it never costs the whole report. */
async function chartFigure(s: SuiteResult, chart: Chart, render: ChartRenderer): Promise<string> {
  let body: string;
  try {
    const svg = await render(chart.spec);
    body = svg.replace(/^<svg/, `<svg role="img" aria-label="${html(chart.title)}"`);
  } catch (e) {
    body = `<p class="muted">This chart could not be drawn: ${html(e instanceof Error ? e.message : String(e))}</p>`;
  }
  const data = chart.kind === 'sensitivity' ? sensitivityTable(s) : '';
  return [
    `<div class="chart chart-${chart.kind}${chart.wide ? ' wide' : ''}">`,
    `<figure><h4>${html(chart.title)}</h4>${body}<figcaption>${html(chart.caption)}</figcaption></figure>`,
    data ? `<details><summary>numbers</summary>\n${data}\n</details>` : '',
    '</div>',
  ]
    .filter((p) => p !== '')
    .join('\n');
}
