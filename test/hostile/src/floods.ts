/**
 * Resource-shaped attacks on a valid SOAP message: namespace floods, attribute floods, depth,
 * long names, long numbers, and names borrowed from Object.prototype. Each case says how it
 * must end: a typed error, or (when the attack only adds what a decoder may keep or ignore) the
 * same data as the original message. Sizes stay under the suite's 1 MB response cap, so the
 * decoder itself, not the size check, meets each attack.
 */
import type { ServiceMeta, SoapVersion } from '@kz/soap';
import { annotate, type HostileCase } from './corpus.js';
import { clone, type Node, parseTree, serialize, walk } from './tree.js';

export interface FloodCase extends HostileCase {
  /** 'error': a typed error; 'same': either a typed error or the original message's data. */
  expect: 'error' | 'same';
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

const repeat = (n: number, item: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => item(i)).join('');

/** Where the payload element's start tag takes more attributes, and where its content starts. */
function payloadTag(xml: string): { name: string; attributesAt: number; contentAt: number; selfClosing: boolean } {
  const body = /<(\w+:)?Body[^>]*>/.exec(xml);
  if (!body) throw new Error('sample has no Body');
  const start = xml.indexOf('<', body.index + body[0].length);
  const end = xml.indexOf('>', start);
  const selfClosing = xml[end - 1] === '/';
  const name = /^<([^\s/>]+)/.exec(xml.slice(start))?.[1] ?? '';
  return { name, attributesAt: selfClosing ? end - 1 : end, contentAt: end + 1, selfClosing };
}

/** The message with the text of the n-th node (depth-first) replaced, re-serialized. */
function withText(tree: Node, index: number, text: string): string {
  const copy = clone(tree);
  const node = [...walk(copy)][index]?.node as Node;
  node.text = text;
  return serialize(copy);
}

/** @param xml a valid message (response or request) of `operation` */
export function floodCases(xml: string, version: SoapVersion, meta: ServiceMeta, operation: string): FloodCase[] {
  const contentType = version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
  const document = xml.trimEnd();
  const tag = payloadTag(document);
  const cases: FloodCase[] = [];
  const add = (name: string, text: string, expect: FloodCase['expect']) =>
    cases.push({ name, body: Buffer.from(text, 'utf8'), status: 200, contentType, expect });
  const attributes = (text: string) =>
    `${document.slice(0, tag.attributesAt)} ${text}${document.slice(tag.attributesAt)}`;
  // Children go first inside the payload element (a self-closing one is opened up).
  const children = (text: string) =>
    tag.selfClosing
      ? `${document.slice(0, tag.attributesAt)}>${text}</${tag.name}>${document.slice(tag.contentAt)}`
      : `${document.slice(0, tag.contentAt)}${text}${document.slice(tag.contentAt)}`;
  const chain = (levels: number, perLevel: number, inner: string) =>
    `${repeat(levels, (l) => `<kzChain${repeat(perLevel, (i) => ` xmlns:c${l}x${i}="urn:c${l}x${i}"`)}>`)}${inner}${'</kzChain>'.repeat(levels)}`;

  // Namespace floods.
  add(
    'namespace flood: 2000 unused declarations on the payload element',
    attributes(repeat(2000, (i) => ` xmlns:f${i}="urn:f${i}"`)),
    'same',
  );
  add(
    'namespace flood: 4000 unknown elements each declaring two namespaces',
    children(repeat(4000, (i) => `<kzFlood xmlns:q${i}="urn:q${i}" xmlns="urn:kz"/>`)),
    'same',
  );
  add(
    'namespace flood: 8000 prefixes in scope over 4 levels, 2000 elements declaring more inside',
    children(
      chain(
        4,
        2000,
        repeat(2000, (i) => `<c0x${i}:e xmlns:d${i}="urn:d${i}" c1x${i}:a="v"/>`),
      ),
    ),
    'same',
  );
  add(
    'namespace flood: the same prefix redeclared on each of 240 nested elements',
    children(`${repeat(240, (i) => `<kzDeep xmlns:r="urn:r${i}" xmlns="urn:d${i}">`)}${'</kzDeep>'.repeat(240)}`),
    'same',
  );
  add(
    'namespace flood: 30,000 declarations on one element',
    attributes(repeat(30_000, (i) => ` xmlns:g${i}="urn:g"`)),
    'error',
  );

  // Attribute floods.
  add(
    'attribute flood: 1500 unknown attributes on the payload element',
    attributes(repeat(1500, (i) => ` kzA${i}="v"`)),
    'same',
  );
  add(
    'attribute flood: 1500 unknown elements with 60 attributes each',
    children(repeat(1500, () => `<kzAttrs xmlns="urn:kz"${repeat(60, (i) => ` a${i}="1"`)}/>`)),
    'same',
  );
  add('attribute flood: 5000 attributes on one element', attributes(repeat(5000, (i) => ` kzB${i}="v"`)), 'error');
  add(
    'attribute flood: one attribute twice through two prefixes of one namespace',
    attributes('xmlns:k1="urn:kz" xmlns:k2="urn:kz" k1:a="1" k2:a="2"'),
    'error',
  );

  // Depth.
  add('depth: 240 levels of unknown elements', children(`${'<kzD>'.repeat(240)}${'</kzD>'.repeat(240)}`), 'same');
  add('depth: 300 levels of unknown elements', children(`${'<kzD>'.repeat(300)}${'</kzD>'.repeat(300)}`), 'error');

  // Long names.
  const long = `kz${'n'.repeat(300_000)}`;
  add('long names: an unknown element named with 300k characters', children(`<${long}>x</${long}>`), 'same');
  add('long names: an attribute named with 300k characters', attributes(`${long}="v"`), 'same');
  add(
    'long names: a prefix of 300k characters, declared and used',
    children(`<${long}:e xmlns:${long}="urn:kz"/>`),
    'same',
  );
  add('long names: an unbound prefix of 300k characters', children(`<${long}:e/>`), 'error');
  add('long names: an end tag of 300k characters that does not match', children(`<kzE></${long}>`), 'error');

  // Long numbers: each numeric leaf of the message, one at a time (a few per message).
  const tree = parseTree(document);
  const nodes = [...walk(tree)].map((w) => w.node);
  let numbers = 0;
  for (const { node, element } of annotate(tree, meta, operation)) {
    if (numbers >= 4) break;
    if (!/^xs:(long|unsignedLong|integer|\w*Integer|int|short|decimal|double|float)$/.test(element.type)) continue;
    if (node.children.length > 0 || node.text === '') continue;
    numbers++;
    const index = nodes.indexOf(node);
    const name = `long numbers: <${element.name}> (${element.type})`;
    add(`${name} with 400k digits`, withText(tree, index, '9'.repeat(400_000)), 'error');
    add(`${name} with 3000 digits`, withText(tree, index, '1'.repeat(3000)), 'error');
  }

  // Names borrowed from Object.prototype.
  for (const name of PROTO_NAMES) {
    add(`proto names: undeclared prefix ${name}: on an element`, children(`<${name}:e/>`), 'error');
    add(`proto names: undeclared prefix ${name}: on an attribute`, attributes(`${name}:a="v"`), 'error');
    add(
      `proto names: prefix ${name} declared and used`,
      children(`<${name}:e xmlns:${name}="urn:kz" ${name}:a="v"/>`),
      'same',
    );
    add(`proto names: an unknown element named ${name}`, children(`<${name} xmlns="urn:kz">x</${name}>`), 'same');
    add(`proto names: an attribute named ${name}`, attributes(`${name}="v"`), 'same');
    add(`proto names: entity &${name};`, children(`<kzT xmlns="urn:kz">&${name};</kzT>`), 'error');
    add(`proto names: xsi:type="${name}"`, attributes(`xmlns:kzxsi="${XSI}" kzxsi:type="${name}"`), 'same');
    add(
      `proto names: xsi:type="${name}:T" with ${name} undeclared`,
      attributes(`xmlns:kzxsi="${XSI}" kzxsi:type="${name}:T"`),
      'error',
    );
  }
  return cases;
}

/** Removes what a decoder may keep of an attack (unknown elements) to compare with the original's data. */
export function withoutKeptUnknowns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutKeptUnknowns);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (key !== '$unknown') out[key] = withoutKeptUnknowns(field);
  return out;
}
