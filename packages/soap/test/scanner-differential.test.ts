/**
 * Our scanner against saxes (a strict, well-tested parser) on the same documents: both must
 * accept the same well-formed inputs with the same events, and both must refuse the malformed
 * ones. Inputs: every fixture in the repo plus generated and hand-written edge cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { describe, expect, it } from 'vitest';
import { parseXmlSync } from '../src/index.js';

type Event = string;

/** Our events for `xml`, given as a string, or as its UTF-8 bytes (the scanner's byte mode). */
function ours(xml: string, asBytes = false): Event[] | 'error' {
  const events: Event[] = [];
  let text = '';
  const flush = () => {
    if (text) events.push(`T${text}`);
    text = '';
  };
  try {
    parseXmlSync(asBytes ? Buffer.from(xml, 'utf8') : xml, {
      open(ns, local, attributes) {
        flush();
        const attrs = Object.values(attributes)
          .map((a) => `{${a.uri}}${a.local}=${a.value}`)
          .sort();
        events.push(`O{${ns}}${local} ${attrs.join(' ')}`);
      },
      text: (t) => {
        text += t;
      },
      close() {
        flush();
        events.push('C');
      },
    });
  } catch {
    return 'error';
  }
  return events;
}

function theirs(xml: string): Event[] | 'error' {
  const events: Event[] = [];
  let text = '';
  let depth = 0;
  const flush = () => {
    if (text && depth > 0) events.push(`T${text}`);
    text = '';
  };
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag: SaxesTagNS) => {
    flush();
    depth++;
    const attrs = Object.values(tag.attributes)
      .map(
        (a) =>
          `{${a.uri === 'http://www.w3.org/2000/xmlns/' ? a.uri : a.uri}}${a.prefix === 'xmlns' ? a.local : a.name === 'xmlns' ? 'xmlns' : a.local}=${a.value}`,
      )
      .sort();
    events.push(`O{${tag.uri}}${tag.local} ${attrs.join(' ')}`);
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });
  parser.on('closetag', () => {
    flush();
    depth--;
    events.push('C');
  });
  parser.on('doctype', () => {
    throw new Error('doctype');
  });
  parser.on('error', (e) => {
    throw e;
  });
  try {
    parser.write(xml.replace(/^\uFEFF/, '')).close();
  } catch {
    return 'error';
  }
  return events;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
function fixtures(): [string, string][] {
  const out: [string, string][] = [];
  for (const pkg of readdirSync(path.join(ROOT, 'packages'))) {
    const dir = path.join(ROOT, 'packages', pkg, 'test', 'fixtures');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
    } catch {
      continue;
    }
    for (const f of files) out.push([`${pkg}/${f}`, readFileSync(path.join(dir, f), 'utf8')]);
  }
  return out;
}

const edgeCases: [string, string][] = [
  ['attributes and namespaces', '<a xmlns="urn:a" xmlns:b="urn:b" b:x="1" y=\'2\'><b:c/><c xmlns=""/></a>'],
  ['entities and references', '<a t="&lt;&amp;&#x41;&#66;">&quot;&apos;&#1040;&#x1F600;</a>'],
  ['CDATA and comments', '<a><!-- c --><![CDATA[<x>&amp;]]>tail<?pi data?></a>'],
  ['whitespace in attributes', '<a v="a\tb\nc"/>'],
  ['CRLF in text', '<a>x\r\ny\rz</a>'],
  ['declaration and BOM', '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<a/>\n'],
  ['unbound prefix', '<a><p:b/></a>'],
  ['mismatched end', '<a><b></a>'],
  ['unquoted attribute', '<a x=1/>'],
  ['duplicate attribute', '<a x="1" x="2"/>'],
  ['duplicate expanded attribute', '<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>'],
  ['undefined entity', '<a>&foo;</a>'],
  ['bare ampersand', '<a>a & b</a>'],
  ['lt in attribute', '<a x="<"/>'],
  ['text after root', '<a/>x'],
  ['second root', '<a/><b/>'],
  ['double dash in comment', '<a><!-- a -- b --></a>'],
  [']]> in text', '<a>x]]>y</a>'],
  ['control character', '<a>\u0001</a>'],
  ['reference to a forbidden char', '<a>&#0;</a>'],
  ['late declaration', '<a><?xml version="1.0"?></a>'],
  ['name starting with digit', '<1a/>'],
  ['missing space between attributes', '<a x="1"y="2"/>'],
  ['truncated', '<a><b>t'],
  ['doctype', '<!DOCTYPE a><a/>'],
  ['non-ASCII names, values and text', '<ж:а xmlns:ж="urn:ж" ж:б="в&amp;г">д·е<ё_1/>😀</ж:а>'],
  ['non-ASCII name with a middle dot', '<a·b/>'],
  ['non-ASCII character that is no name character', '<a\u00A0b/>'],
  ['U+FFFE in text', '<a>x\uFFFEy</a>'],
  ['U+FFFF in an attribute', '<a x="\uFFFF"/>'],
  ['mismatched non-ASCII end', '<ж><б></ж>'],
];

describe('scanner agrees with saxes', () => {
  it.each([...fixtures(), ...edgeCases])('%s', (_name, xml) => {
    const a = ours(xml);
    const b = theirs(xml);
    if (b === 'error') expect(a).toBe('error');
    else expect(a).toEqual(b);
    // Bytes are scanned through their Latin-1 view and decoded piece by piece: the same events.
    expect(ours(xml, true)).toEqual(a);
  });

  it('on random well-formed documents', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
    const texts = ['plain', ' spaced ', 'a&amp;b', '&lt;tag&gt;', 'кириллица', '😀', '', '&#x41;'];
    const build = (depth: number): string => {
      const name = pick(['a', 'p:b', 'c', 'q:d']);
      const attrs = random() < 0.4 ? ` x="${pick(texts)}"` : '';
      if (depth > 4 || random() < 0.3) return `<${name}${attrs}>${pick(texts)}</${name}>`;
      const children = Array.from({ length: 1 + Math.floor(random() * 3) }, () => build(depth + 1)).join(
        pick(['', '\n  ']),
      );
      return `<${name}${attrs}>${children}</${name}>`;
    };
    for (let i = 0; i < 300; i++) {
      const xml = `<root xmlns:p="urn:p" xmlns:q="urn:q" xmlns="urn:d">${build(0)}</root>`;
      expect(ours(xml)).toEqual(theirs(xml));
      expect(ours(xml, true)).toEqual(theirs(xml));
    }
  });
});
