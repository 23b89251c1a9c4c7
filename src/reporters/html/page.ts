/**
 * The whole page: header with the environment, status chips that filter
 * suites and assertion rows, an index, one section per suite.
 */
import type { RunResult } from '../../results/index.js';
import { html } from '../escape.js';
import { formatDuration } from '../format.js';
import { runTotals } from '../summary.js';
import { definitionList, statusClass, type Fact } from './markup.js';
import { CONTENT_SECURITY_POLICY, FILTER_SCRIPT } from './script.js';
import { CSS } from './styles.js';
import { suiteSection } from './suite.js';

export async function renderPage(run: RunResult): Promise<string> {
  // One suite at a time: Vega views are cheap, but not free in memory.
  const sections: string[] = [];
  for (const [i, s] of run.suites.entries()) sections.push(await suiteSection(s, i));
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(`deepperform report — ${run.status}`)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    header(run),
    chips(run),
    suiteIndex(run),
    '<main>',
    ...sections,
    '</main>',
    `<footer>deepperform ${html(run.environment.toolVersion)} · one self-contained file: no network, no external resources.</footer>`,
    `<script>${FILTER_SCRIPT}</script>`,
    '</body>',
    '</html>',
  ]
    .filter((part) => part !== '')
    .join('\n')
    .concat('\n');
}

function header(run: RunResult): string {
  const e = run.environment;
  const t = runTotals(run);
  const facts: Fact[] = [
    ['tool version', e.toolVersion],
    ['backend', e.backend],
    ['cpu', e.cpu],
    ['cores', String(e.cpuCount)],
    ['node', e.node],
    ['platform', e.platform],
    ['started', run.startedAt],
    ['duration', formatDuration(run.durationMs)],
  ];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const shard = run.shard ? ` · shard ${run.shard.index} of ${run.shard.total}` : '';
  return [
    `<header class="run ${statusClass(run.status)}">`,
    `<h1>deepperform report <span class="badge ${statusClass(run.status)}">${html(run.status)}</span></h1>`,
    `<p class="summary-line">${plural(t.suites.total, 'suite')}, ${plural(t.assertions.total, 'assertion')}, in ${html(formatDuration(run.durationMs))}${shard}</p>`,
    definitionList(facts, 'env'),
    '</header>',
  ].join('\n');
}

/** Summary counts that double as the status filter (see script.ts). */
function chips(run: RunResult): string {
  const t = runTotals(run);
  const chip = (n: number, label: string, cls: string, filter: string) =>
    `<button type="button" class="chip ${n > 0 ? cls : `${cls} zero`}" data-filter="${filter}" aria-pressed="true"><b>${n}</b> ${label}</button>`;
  return [
    '<section class="chips" aria-label="summary and filter">',
    '<div><span class="chips-label">Suites</span>',
    chip(t.suites.passed, 'passed', 'passed', 'suite-passed'),
    chip(t.suites.failed, 'failed', 'failed', 'suite-failed'),
    chip(t.suites.errored, 'errored', 'error', 'suite-error'),
    '</div>',
    '<div><span class="chips-label">Assertions</span>',
    chip(t.assertions.passed, 'passed', 'passed', 'assert-passed'),
    chip(t.assertions.failed, 'failed', 'failed', 'assert-failed'),
    chip(t.assertions.warned, 'warned', 'warn', 'assert-warn'),
    chip(t.assertions.skipped, 'skipped', 'skipped', 'assert-skipped'),
    '</div>',
    '</section>',
    '<p class="hint">Click a count to hide or show those suites or assertion rows.</p>',
  ].join('\n');
}

function suiteIndex(run: RunResult): string {
  if (run.suites.length < 2) return '';
  const items = run.suites.map((s, i) => {
    const cls = statusClass(s.status);
    // A name of only characters HTML cannot carry (controls) escapes to nothing: the link still needs text.
    const name = html(s.name);
    return (
      `<li class="${cls}"><span class="badge ${cls}">${html(s.status)}</span> <a href="#suite-${i + 1}">${name.trim() === '' ? `suite ${i + 1} (no name)` : name}</a> ` +
      `<code>${html(s.file)}</code> <span class="muted">seed ${html(String(s.config.seed))}</span></li>`
    );
  });
  return `<nav aria-label="suites"><ol>\n${items.join('\n')}\n</ol></nav>`;
}
