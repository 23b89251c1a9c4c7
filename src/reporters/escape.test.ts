import { describe, expect, it } from 'vitest';
import { html, stripInvalidXmlChars, terminalLines, terminalSafe, terminalText, xmlAttr, xmlText } from './escape.js';

describe('stripInvalidXmlChars', () => {
  it('removes C0 controls except tab, LF, CR', () => {
    expect(stripInvalidXmlChars('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg')).toBe('abcdefg');
    expect(stripInvalidXmlChars('a\tb\nc\rd')).toBe('a\tb\nc\rd');
  });

  it('removes lone surrogates and U+FFFE/U+FFFF but keeps pairs and other non-ASCII', () => {
    expect(stripInvalidXmlChars('x\uD83Dy')).toBe('xy');
    expect(stripInvalidXmlChars('x\uDE80y')).toBe('xy');
    expect(stripInvalidXmlChars('x\uFFFEy\uFFFFz')).toBe('xyz');
    expect(stripInvalidXmlChars('🚀 Übergröße 日本')).toBe('🚀 Übergröße 日本');
  });
});

describe('xmlText / xmlAttr', () => {
  it('escapes markup so "]]>" cannot appear', () => {
    expect(xmlText('a & b <c> ]]> "q"')).toBe('a &amp; b &lt;c&gt; ]]&gt; "q"');
  });

  it('escapes both quote styles and keeps whitespace as character references in attributes', () => {
    expect(xmlAttr(`"x" 'y'\tz\nw\r`)).toBe('&quot;x&quot; &apos;y&apos;&#9;z&#10;w&#13;');
  });

  it('escapes an ampersand once, not twice', () => {
    expect(xmlAttr('&amp;')).toBe('&amp;amp;');
  });
});

describe('html', () => {
  it('escapes tags, ampersands and both quotes', () => {
    expect(html(`<img src=x onerror="alert('1')">&`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;',
    );
  });
});

describe('terminalText / terminalLines / terminalSafe', () => {
  it('shows control characters, separators and bidi overrides as escapes, keeps other text', () => {
    expect(terminalText('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(terminalText('\x1b[31mred\x1b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(terminalText('x\u0000\u0007\u007f\u009b2J')).toBe('x\\x00\\x07\\x7f\\x9b2J');
    expect(terminalText('a\u2028b\u2029c\u202ed\u2066e')).toBe('a\\u2028b\\u2029c\\u202ed\\u2066e');
    expect(terminalText('🚀 Übergröße 日本 \\ path')).toBe('🚀 Übergröße 日本 \\ path');
  });

  it('a name with a newline stays on its line', () => {
    const forged = 'ok\n Result     PASSED';
    expect(terminalText(forged).split('\n')).toHaveLength(1);
    expect(terminalLines(`first\n${'\x1b'}[2Ksecond`)).toBe('first\n\\x1b[2Ksecond');
  });

  it('copies an event with every string escaped; an error keeps its lines; numbers and typed arrays stay', () => {
    const flops = new Float64Array([1, 2]);
    const event = { name: 'a\nb', n: 3, list: ['\x1b'], error: { message: 'm\x1b\nline 2', stack: 's' }, flops, none: null };
    const safe = terminalSafe(event);
    expect(safe).toEqual({ name: 'a\\nb', n: 3, list: ['\\x1b'], error: { message: 'm\\x1b\nline 2', stack: 's' }, flops, none: null });
    expect(event.name).toBe('a\nb'); // a copy: the result the other reporters get is untouched
  });

  it('a missing string (undefined at run time) is empty rather than a crash', () => {
    expect(html(undefined as unknown as string)).toBe('');
    expect(terminalText(undefined as unknown as string)).toBe('');
  });
});
