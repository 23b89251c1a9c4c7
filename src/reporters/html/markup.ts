/**
 * Small HTML builders shared by the page parts. Every string argument is
 * escaped here unless its name says it is already markup.
 */
import { html } from '../escape.js';

export type Fact = [label: string, value: string];

export function definitionList(facts: readonly Fact[], cls = ''): string {
  const items = facts.map(([k, v]) => `<div><dt>${html(k)}</dt><dd>${html(v)}</dd></div>`).join('');
  return `<dl${cls ? ` class="${cls}"` : ''}>${items}</dl>`;
}

export function factCard(title: string, facts: readonly Fact[]): string {
  return `<div class="card"><h4>${html(title)}</h4>${definitionList(facts)}</div>`;
}

/** The CSS class of a run or suite status; anything unknown shows as an error. */
export function statusClass(status: string): 'passed' | 'failed' | 'error' {
  return status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : 'error';
}

/**
 * A number cell: the formatted text for people, the raw value in
 * `data-value` for tools (and the browser test) to read back exactly.
 * Non-finite values carry no data-value, as the JSON report writes them as null.
 */
export function numCell(text: string, value?: number | null, cls = 'num'): string {
  const data = typeof value === 'number' && Number.isFinite(value) ? ` data-value="${value}"` : '';
  return `<td class="${cls}"${data}>${html(text)}</td>`;
}

/** A table with a header row of plain-text headings and rows given as `<tr>` markup. */
export function table(cls: string, headings: readonly string[], rowsMarkup: readonly string[]): string {
  const head = headings.map((h) => `<th scope="col">${html(h)}</th>`).join('');
  return [`<table class="${cls}">`, `<thead><tr>${head}</tr></thead>`, `<tbody>\n${rowsMarkup.join('\n')}\n</tbody>`, '</table>'].join('\n');
}
