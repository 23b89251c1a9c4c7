/**
 * Renders Vega-Lite specs to SVG strings in Node at report time: compiled
 * with vega-lite, drawn by a headless Vega View (renderer 'none', so no DOM
 * or canvas is needed). The modules are loaded on first use only, so runs
 * without the HTML reporter do not pay for them.
 */
import type { TopLevelSpec } from 'vega-lite';

/** An SVG that Vega produced contained markup a chart never needs. */
export class UnsafeChartError extends Error {
  constructor(readonly found: string) {
    super(`chart SVG rejected: it contains ${found}`);
    this.name = 'UnsafeChartError';
  }
}

type Modules = [typeof import('vega'), typeof import('vega-lite')];
let modules: Promise<Modules> | undefined;

function load(): Promise<Modules> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]);
  return modules;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await load();
  const quiet = vega.logger(vega.None);
  const compiled = vegaLite.compile(spec, { logger: quiet }).spec;
  // A loader that refuses everything: the specs carry their data inline, and
  // a report must never reach for the network or the file system.
  const loader = vega.loader();
  const refused: string[] = [];
  loader.load = (uri: string) => {
    refused.push(uri);
    return Promise.reject(new Error('charts load nothing'));
  };
  loader.sanitize = (uri: string) => {
    refused.push(uri);
    return Promise.reject(new Error('charts load nothing'));
  };
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.None, loader });
  try {
    const svg = await view.toSVG();
    // Vega logs a failed load and draws without the data: make it an error.
    if (refused.length > 0) throw new Error(`a chart asked to load ${refused.join(', ')}; charts carry their data inline`);
    return checkSvg(roundCoordinates(stripNamespaces(svg)));
  } finally {
    view.finalize();
  }
}

/** Inline SVG in HTML gets its namespaces from the parser; the URLs only add bytes. */
function stripNamespaces(svg: string): string {
  return svg.replace(/\s+xmlns(:xlink)?="[^"]*"/g, '');
}

/**
 * Vega writes coordinates at full double precision (25.000000000000004);
 * two decimals are finer than any screen and make the SVG about a third
 * smaller. Only geometry attributes are touched, never text.
 */
export function roundCoordinates(svg: string): string {
  return svg.replace(/\s(d|transform|x|y|x1|y1|x2|y2|width|height|viewBox)="([^"]*)"/g, (_, name: string, value: string) => {
    const rounded = value.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (n) => String(Number(Number(n).toFixed(2))));
    return ` ${name}="${rounded}"`;
  });
}

/** The elements Vega's SVG renderer writes for the marks the charts use. */
const ALLOWED_ELEMENTS = new Set(['svg', 'g', 'path', 'rect', 'line', 'text', 'tspan', 'circle', 'defs', 'clipPath', 'title']);

/**
 * Defence in depth: Vega escapes text itself, but a chart is only embedded
 * when it holds nothing but drawing elements, no event-handler attributes
 * and no links.
 */
export function checkSvg(svg: string): string {
  for (const [, name] of svg.matchAll(/<\/?([A-Za-z][\w:-]*)/g)) {
    if (!ALLOWED_ELEMENTS.has(name!)) throw new UnsafeChartError(`a <${name}> element`);
  }
  // Attribute names only: text content and quoted values are data.
  const tags = svg.replace(/>[^<]*</g, '><').replace(/="[^"]*"/g, '=""');
  const attr = /\s(on[a-z]+|(?:xlink:)?href|style)\s*=/i.exec(tags);
  if (attr) throw new UnsafeChartError(`a ${attr[1]} attribute`);
  return svg;
}
