import { describe, expect, it } from 'vitest';
import { checkSvg, renderSvg, roundCoordinates, UnsafeChartError } from './svg.js';

describe('checkSvg', () => {
  it('passes drawing elements with escaped text and quoted values', () => {
    const svg = '<svg class="marks"><g><path d="M0,0h1"/><text fill="#000">&lt;script&gt; onload=x</text></g></svg>';
    expect(checkSvg(svg)).toBe(svg);
  });

  it.each([
    ['<svg><script>alert(1)</script></svg>', 'a <script> element'],
    ['<svg><foreignObject><div></div></foreignObject></svg>', 'a <foreignObject> element'],
    ['<svg onload="alert(1)"><g/></svg>', 'a onload attribute'],
    ['<svg><a xlink:href="javascript:alert(1)"><g/></a></svg>', 'a <a> element'],
    ['<svg><path href="x" d="M0,0"/></svg>', 'a href attribute'],
  ])('rejects %s', (svg, found) => {
    expect(() => checkSvg(svg)).toThrow(UnsafeChartError);
    expect(() => checkSvg(svg)).toThrow(`chart SVG rejected: it contains ${found}`);
  });
});

describe('roundCoordinates', () => {
  it('rounds geometry to two decimals and leaves text alone', () => {
    const svg = '<path d="M18.75,71.25h25.000000000000004v-0.123456Z" transform="translate(55.75000000000001,15)"/><text>0.0314159</text>';
    expect(roundCoordinates(svg)).toBe('<path d="M18.75,71.25h25v-0.12Z" transform="translate(55.75,15)"/><text>0.0314159</text>');
  });
});

describe('renderSvg', () => {
  it('draws a Vega-Lite spec in Node without namespaces or URLs', async () => {
    const svg = await renderSvg({
      data: { values: [{ k: 'a" onclick="x', v: 1 }, { k: '<b>&', v: 3 }] },
      mark: 'bar',
      encoding: { x: { field: 'k', type: 'nominal' }, y: { field: 'v', type: 'quantitative' } },
    });
    expect(svg).toMatch(/^<svg version="1.1" class="marks" width="\d+" height="\d+"/);
    expect(svg).not.toMatch(/xmlns|https?:/);
    expect(svg).toContain('>&lt;b&gt;&amp;</text>');
    // Vega's ARIA labels (on by default) escape quotes in attribute values too.
    expect(svg).toContain('aria-label="k: a&quot; onclick=&quot;x; v: 1"');
    expect(svg.match(/ d="M[^"]*" fill="#4c78a8"\/>/g)).toHaveLength(2);
  });

  it('refuses to load data from anywhere', async () => {
    await expect(renderSvg({ data: { url: 'https://example.org/data.json' }, mark: 'point' })).rejects.toThrow(
      'a chart asked to load https://example.org/data.json; charts carry their data inline',
    );
  });
});
