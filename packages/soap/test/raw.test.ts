/**
 * Raw capture (anyType content, xs:any, unknown elements, fault details): a fragment declares
 * exactly the bindings it uses, and capturing stays linear however many prefixes are in scope.
 */
import { describe, expect, it } from 'vitest';
import { RawXmlWriter } from '../src/codec/raw.js';
import { parseXmlSync } from '../src/index.js';
import { cpuMs } from './timing.js';

/** Captures the first element named `at` (whole, or its content only). */
function capture(xml: string, at: string, includeRoot = true): string {
  let writer: RawXmlWriter | undefined;
  let depth = 0;
  parseXmlSync(xml, {
    open(ns, local, attributes, scope) {
      if (writer && !writer.complete) {
        depth++;
        writer.open(ns, local, attributes, scope);
      } else if (!writer && local === at) {
        writer = new RawXmlWriter(includeRoot);
        depth = 1;
        writer.open(ns, local, attributes, scope);
      }
    },
    text(text) {
      if (writer && !writer.complete && depth > 0) writer.text(text);
    },
    close() {
      if (writer && !writer.complete) {
        depth--;
        writer.close();
      }
    },
  });
  if (!writer?.complete) throw new Error(`no <${at}>`);
  return writer.xml;
}

const ENVELOPE = (inner: string) =>
  `<s:Envelope xmlns:s="urn:s" xmlns="urn:d" xmlns:a="urn:a" xmlns:b="urn:b" xmlns:unused="urn:u" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s:Body>${inner}</s:Body></s:Envelope>`;

describe('a captured fragment declares the bindings it uses, and only those', () => {
  it('element and attribute prefixes, kept as written', () => {
    expect(capture(ENVELOPE('<a:x b:attr="1"><a:y/><z/></a:x>'), 'x')).toBe(
      '<a:x xmlns:a="urn:a" xmlns:b="urn:b" b:attr="1"><a:y></a:y><z xmlns="urn:d"></z></a:x>',
    );
  });

  it('the default namespace, and its undeclaration inside the fragment', () => {
    expect(capture(ENVELOPE('<x><y xmlns=""><z/></y></x>'), 'x')).toBe('<x xmlns="urn:d"><y xmlns=""><z></z></y></x>');
  });

  it('QName values in attributes and text: xsi:type, fault codes', () => {
    expect(capture(ENVELOPE('<a:x xsi:type="b:T"><code>s:Server</code></a:x>'), 'x')).toBe(
      '<a:x xmlns:a="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:b="urn:b" xsi:type="b:T"><code xmlns="urn:d" xmlns:s="urn:s">s:Server</code></a:x>',
    );
  });

  it('a word that looks like a QName but whose prefix is unbound declares nothing', () => {
    expect(capture(ENVELOPE('<a:x>see http://example.kz/a:b or 10:30</a:x>'), 'x')).toBe(
      '<a:x xmlns:a="urn:a">see http://example.kz/a:b or 10:30</a:x>',
    );
  });

  it('content mode keeps the content only, each child standing on its own', () => {
    expect(capture(ENVELOPE('<a:x>t<b:y/><b:z/></a:x>'), 'x', false)).toBe(
      't<b:y xmlns:b="urn:b"></b:y><b:z xmlns:b="urn:b"></b:z>',
    );
  });

  it('a binding redeclared inside the fragment', () => {
    expect(capture(ENVELOPE('<a:x><a:y xmlns:a="urn:other"><a:z/></a:y><a:w/></a:x>'), 'x')).toBe(
      '<a:x xmlns:a="urn:a"><a:y xmlns:a="urn:other"><a:z></a:z></a:y><a:w></a:w></a:x>',
    );
  });

  it('a fragment re-captured from its own text is identical (a fixed point)', () => {
    const once = capture(ENVELOPE('<a:x xsi:type="b:T" b:k="v"><code>s:Server</code><y xmlns=""/></a:x>'), 'x');
    expect(capture(`<wrap>${once}</wrap>`, 'x')).toBe(once);
  });
});

describe('capturing is linear whatever the number of prefixes in scope', () => {
  const declarations = (n: number) => Array.from({ length: n }, (_, i) => ` xmlns:p${i}="urn:p${i}"`).join('');
  const elements = (n: number, prefixes: number) =>
    Array.from({ length: n }, (_, i) => `<p${i % prefixes}:e p${(i * 7) % prefixes}:a="v">t</p${i % prefixes}:e>`).join(
      '',
    );

  function cost(xml: string): number {
    const started = cpuMs();
    capture(xml, 'payload');
    return cpuMs() - started;
  }

  it('1,000 prefixes in scope and 10,000 captured elements cost about what 10 prefixes do', () => {
    const many = `<r${declarations(1000)}><payload>${elements(10_000, 1000)}</payload></r>`;
    const few = `<r${declarations(10)}><payload>${elements(10_000, 10)}</payload></r>`;
    cost(few);
    cost(many);
    let ratio = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 3 && ratio >= 4; attempt++) {
      // Interleaved, minimum of each: load from elsewhere only ever adds time.
      let manyMs = Number.POSITIVE_INFINITY;
      let fewMs = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 7; run++) {
        fewMs = Math.min(fewMs, cost(few));
        manyMs = Math.min(manyMs, cost(many));
      }
      ratio = manyMs / fewMs;
    }
    // Declaring 1,000 distinct prefixes once each makes the output a little longer; a scan of
    // every binding per element (the old way) made it about 50 times slower.
    expect(ratio, `1,000 prefixes / 10 prefixes: ${ratio.toFixed(2)}`).toBeLessThan(4);
  }, 60_000);
});
