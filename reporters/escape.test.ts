import { describe, expect, it } from 'vitest';
import { html, stripInvalidXmlChars, xmlAttr, xmlText } from './escape.js';

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
