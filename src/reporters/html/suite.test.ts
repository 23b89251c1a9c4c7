import { describe, expect, it } from 'vitest';
import { chartSuite } from '../test-fixtures.js';
import { suiteSection } from './suite.js';

const broken = async (): Promise<string> => {
  throw new Error('vega <broke> & stopped');
};

describe('suiteSection', () => {
  it('reports a chart that cannot be drawn in its place and keeps the rest of the suite', async () => {
    const section = await suiteSection(chartSuite, 1, broken);
    const notes = section.match(/<p class="muted">This chart could not be drawn: vega &lt;broke&gt; &amp; stopped<\/p>/g);
    expect(notes).toHaveLength(4);
    expect(section).not.toContain('<svg');
    expect(section).toContain('<table class="assertions">');
    expect(section).toContain('<table class="samples">');
    expect(section.startsWith('<section class="suite passed" id="suite-2" data-suite="1">')).toBe(true);
  });
});
