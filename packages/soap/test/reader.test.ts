/** The safe XML reader: the defences DESIGN.md asks for, and yielding on large inputs. */
import { describe, expect, it } from 'vitest';
import { parseXml, parseXmlSync, XmlSyntaxError } from '../src/index.js';

function texts(xml: string | Uint8Array): string {
  let out = '';
  parseXmlSync(xml, { open() {}, text: (t) => (out += t), close() {} });
  return out;
}

describe('refuses what a hostile document could use', () => {
  it.each([
    ['XXE external entity', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'],
    ['billion laughs', '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>'],
    ['a bare DOCTYPE', '<!DOCTYPE html><r/>'],
    ['an undefined entity', '<r>&nbsp;</r>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['truncated input', '<a><b>text'],
    ['two roots', '<a/><b/>'],
    ['a non-UTF-8 declaration', '<?xml version="1.0" encoding="windows-1251"?><r/>'],
    ['an empty document', '   '],
  ])('%s', (_name, xml) => {
    expect(() => texts(xml)).toThrow(XmlSyntaxError);
  });

  it('invalid UTF-8 bytes', () => {
    expect(() => texts(Buffer.from([0x3c, 0x72, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x72, 0x3e]))).toThrow(/not valid UTF-8/);
  });

  it('nesting deeper than the cap', () => {
    const deep = `${'<a>'.repeat(300)}${'</a>'.repeat(300)}`;
    expect(() => parseXmlSync(deep, { open() {}, text() {}, close() {} })).toThrow(/nesting deeper than 256/);
    expect(() => parseXmlSync(deep, { open() {}, text() {}, close() {} }, { maxDepth: 400 })).not.toThrow();
  });

  it('documents over the size cap', () => {
    expect(() =>
      parseXmlSync(`<r>${'x'.repeat(2000)}</r>`, { open() {}, text() {}, close() {} }, { maxBytes: 1000 }),
    ).toThrow(/exceeds the 1000-byte limit/);
  });
});

describe('reads what it should', () => {
  it('expands only the predefined and numeric references', () => {
    expect(texts('<r>&lt;&amp;&gt;&quot;&apos;&#1040;&#x4E2D;</r>')).toBe('<&>"\'А中');
  });

  it('keeps CDATA content verbatim', () => {
    expect(texts('<r><![CDATA[<action a="1">&amp;</action>]]></r>')).toBe('<action a="1">&amp;</action>');
  });

  it('accepts a UTF-8 BOM and declaration', () => {
    expect(
      texts(
        Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          Buffer.from('<?xml version="1.0" encoding="UTF-8"?><r>ok</r>'),
        ]),
      ),
    ).toBe('ok');
  });

  it('resolves namespaces in scope, including inherited defaults', () => {
    const seen: [string, string][] = [];
    parseXmlSync('<a xmlns="urn:a" xmlns:b="urn:b"><b:x><y/></b:x></a>', {
      open: (ns, local) => seen.push([ns, local]),
      text() {},
      close() {},
    });
    expect(seen).toEqual([
      ['urn:a', 'a'],
      ['urn:b', 'x'],
      ['urn:a', 'y'],
    ]);
  });
});

describe('large documents', () => {
  it('yield to the event loop while parsing: no stall near the whole parse time', async () => {
    const xml = `<r>${'<i>0123456789</i>'.repeat(400_000)}</r>`;
    const started = performance.now();
    let last = started;
    let longestGap = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 0);
    let count = 0;
    await parseXml(xml, { open: () => count++, text() {}, close() {} });
    clearInterval(timer);
    const total = performance.now() - started;
    expect(count).toBe(400_001);
    expect(ticks).toBeGreaterThanOrEqual(2);
    // Parsed in one go, the longest gap would be about the whole parse; slices keep it far shorter.
    expect(longestGap).toBeLessThan(Math.max(50, total / 2));
  });

  it('do not split a surrogate pair across slices', async () => {
    const emoji = '😀'.repeat(70_000);
    let text = '';
    await parseXml(`<r>${emoji}</r>`, { open() {}, text: (t) => (text += t), close() {} });
    expect(text).toBe(emoji);
  });
});
