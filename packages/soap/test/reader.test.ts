/** The safe XML reader: the defences DESIGN.md asks for, and yielding on large inputs. */
import { describe, expect, it } from 'vitest';
import { parseXml, parseXmlSync, type XmlAttribute, type XmlLimits, XmlSyntaxError } from '../src/index.js';

function texts(xml: string | Uint8Array, limits?: XmlLimits): string {
  let out = '';
  parseXmlSync(xml, { open() {}, text: (t) => (out += t), close() {} }, limits);
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

  it('more attributes on one element than the cap', () => {
    const attributes = (n: number) => Array.from({ length: n }, (_, i) => `a${i}="1"`).join(' ');
    expect(() => texts(`<r ${attributes(2049)}/>`)).toThrow(/more than 2048 attributes/);
    expect(() => texts(`<r ${attributes(2048)}/>`)).not.toThrow();
    expect(() => texts(`<r ${attributes(20)}/>`, { maxAttributes: 10 })).toThrow(/more than 10 attributes/);
  });

  it('documents over the size cap', () => {
    expect(() =>
      parseXmlSync(`<r>${'x'.repeat(2000)}</r>`, { open() {}, text() {}, close() {} }, { maxBytes: 1000 }),
    ).toThrow(/exceeds the 1000-byte limit/);
  });
});

describe('names from the document never reach Object.prototype', () => {
  const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

  it.each(PROTO_NAMES)('an undeclared prefix %s is unbound, on elements and attributes', (name) => {
    expect(() => texts(`<r><${name}:x/></r>`)).toThrow(/unbound namespace prefix/);
    expect(() => texts(`<r ${name}:a="1"/>`)).toThrow(/unbound namespace prefix/);
  });

  it.each(PROTO_NAMES)('a declared prefix %s resolves to its own URI', (name) => {
    const seen: string[] = [];
    parseXmlSync(`<r xmlns:${name}="urn:p"><${name}:x ${name}:a="1"/></r>`, {
      open: (ns, local, attributes) =>
        seen.push(`${ns}|${local}|${Object.getOwnPropertyDescriptor(attributes, `${name}:a`)?.value?.uri ?? ''}`),
      text() {},
      close() {},
    });
    expect(seen).toEqual(['|r|', 'urn:p|x|urn:p']);
  });

  it.each(PROTO_NAMES)('&%s; is an undefined entity', (name) => {
    // (names over 10 characters are refused as too long for a reference before the lookup)
    expect(() => texts(`<r>&${name};</r>`)).toThrow(/undefined entity|must start an entity/);
    expect(() => texts(`<r a="&${name};"/>`)).toThrow(/undefined entity|must start an entity/);
  });

  it.each(PROTO_NAMES)('an attribute named %s is an ordinary attribute', (name) => {
    let attributes: Record<string, XmlAttribute> = {};
    parseXmlSync(`<r ${name}="v" b="w"/>`, {
      open: (_ns, _local, a) => (attributes = a),
      text() {},
      close() {},
    });
    expect(Object.keys(attributes).sort()).toEqual([name, 'b'].sort());
    expect(Object.getOwnPropertyDescriptor(attributes, name)?.value).toMatchObject({ local: name, value: 'v' });
    // Inherits nothing: a lookup of any other such name finds no Object.prototype member.
    for (const other of PROTO_NAMES) if (other !== name) expect(attributes[other]).toBeUndefined();
    expect(Object.prototype.isPrototypeOf.call(Object.prototype, attributes)).toBe(false);
  });
});

describe('error messages stay short whatever the input', () => {
  const long = 'x'.repeat(200_000);
  it.each([
    ['an unclosed element with a long name', `<${long}>`],
    ['a mismatched end tag with a long name', `<a></${long}>`],
    ['a long unbound prefix', `<${long}:a/>`],
    ['a duplicate long attribute', `<a ${long}="1" ${long}="2"/>`],
    ['a reserved binding with a long URI', `<a xmlns:xml="${long}"/>`],
    ['an unquoted long attribute', `<a ${long}=1/>`],
  ])('%s', (_name, xml) => {
    let message = '';
    try {
      texts(xml);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(message.length).toBeLessThan(300);
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

  it('deliver a long text run in pieces without splitting a reference, CR LF, a surrogate pair or "]]>"', () => {
    const step = 32 * 1024;
    const cases: [string, string][] = [
      ['&amp;', '&'],
      ['&#x4E2D;', '中'],
      ['\r\n', '\n'],
      ['😀', '😀'],
      ['a:b c', 'a:b c'],
    ];
    for (const [raw, decoded] of cases) {
      for (let offset = -14; offset <= 2; offset++) {
        const head = 'a'.repeat(step + offset);
        const tail = 'b'.repeat(step + 100);
        let pieces = 0;
        let text = '';
        parseXmlSync(`<r>${head}${raw}${tail}</r>`, {
          open() {},
          text: (t) => {
            pieces++;
            text += t;
          },
          close() {},
        });
        expect(text).toBe(`${head}${decoded}${tail}`);
        expect(pieces).toBeGreaterThan(1);
      }
    }
    for (let offset = -4; offset <= 2; offset++) {
      expect(() => texts(`<r>${'a'.repeat(step + offset)}]]>${'b'.repeat(step)}</r>`)).toThrow(/"]]>" in text/);
    }
  });

  it('quote names read from bytes as they read, not as their Latin-1 view', () => {
    const parse = (xml: string) => parseXmlSync(Buffer.from(xml), { open() {}, text() {}, close() {} });
    expect(() => parse('<ж><б></ж>')).toThrow(/<\/ж> does not close <б>/);
    expect(() => parse('<ж>')).toThrow(/unclosed element <ж>/);
    expect(() => parse('<ж:а/>')).toThrow(/unbound namespace prefix ж/);
  });

  it('deliver a long text run of bytes in pieces without splitting a UTF-8 sequence', () => {
    const step = 32 * 1024;
    for (const char of ['ж', '中', '😀']) {
      for (let offset = -6; offset <= 2; offset++) {
        const head = 'a'.repeat(step + offset);
        const middle = char.repeat(40);
        const tail = 'b'.repeat(step + 100);
        let pieces = 0;
        let text = '';
        parseXmlSync(Buffer.from(`<r>${head}${middle}${tail}</r>`), {
          open() {},
          text: (t) => {
            pieces++;
            text += t;
          },
          close() {},
        });
        expect(text).toBe(`${head}${middle}${tail}`);
        expect(pieces).toBeGreaterThan(1);
      }
    }
  });

  it('do not split a surrogate pair across slices', async () => {
    const emoji = '😀'.repeat(70_000);
    let text = '';
    await parseXml(`<r>${emoji}</r>`, { open() {}, text: (t) => (text += t), close() {} });
    expect(text).toBe(emoji);
  });
});

describe('repeated attribute names and values (read through the scanner caches)', () => {
  /** Every attribute as {uri}local=value, element by element. */
  function attributesOf(xml: string | Uint8Array): string[] {
    const seen: string[] = [];
    parseXmlSync(xml, {
      open: (_ns, local, attributes) => {
        for (const key in attributes) {
          const a = attributes[key] as XmlAttribute;
          seen.push(`${local} ${a.prefix}|{${a.uri}}${a.local}=${a.value}`);
        }
      },
      text() {},
      close() {},
    });
    return seen;
  }

  it('reads each occurrence as written, whether a cache slot is shared or not', () => {
    // Same length and the same characters where the slot is computed from (3rd, 5th, last two).
    const xml = '<r><a v="qqqMqYZ"/><a v="rrrMrYZ"/><a v="qqqMqYZ"/><a v="q&amp;qMqYZ"/><a v="q&amp;qMqYZ"/></r>';
    expect(attributesOf(xml)).toEqual([
      'a |{}v=qqqMqYZ',
      'a |{}v=rrrMrYZ',
      'a |{}v=qqqMqYZ',
      'a |{}v=q&qMqYZ',
      'a |{}v=q&qMqYZ',
    ]);
  });

  it('resolves a repeated prefixed name in the scope of each element, strings and bytes alike', () => {
    const xml = '<r xmlns:p="urn:one"><a p:t="значение"/><b xmlns:p="urn:two" p:t="значение"/><a p:t="x"/></r>';
    const expected = [
      'r xmlns|{http://www.w3.org/2000/xmlns/}p=urn:one',
      'a p|{urn:one}t=значение',
      'b xmlns|{http://www.w3.org/2000/xmlns/}p=urn:two',
      'b p|{urn:two}t=значение',
      'a p|{urn:one}t=x',
    ];
    expect(attributesOf(xml)).toEqual(expected);
    expect(attributesOf(Buffer.from(xml))).toEqual(expected);
  });

  it('still refuses a duplicate and an unbound prefix on a tag whose names were seen before', () => {
    expect(() => attributesOf('<r><a x="1" y="2"/><a x="1" x="2"/></r>')).toThrow(/duplicate attribute x/);
    expect(() => attributesOf('<r xmlns:p="urn:p"><a p:x="1"/><b><a q:x="1"/></b></r>')).toThrow(
      /unbound namespace prefix q/,
    );
    expect(() => attributesOf('<r xmlns:p="urn:p" xmlns:q="urn:p"><a p:x="1"/><a p:x="1" q:x="2"/></r>')).toThrow(
      /duplicate attribute \{urn:p\}x/,
    );
  });
});
