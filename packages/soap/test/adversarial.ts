/**
 * Adversarial document shapes for the complexity tests: each shape is a function of a size
 * parameter n, and the document grows linearly with n. A decoder that is linear in its input
 * takes about 8 times as long at 8n; one with a quadratic path in that shape about 64 times.
 */
import type { ServiceMeta } from '../src/index.js';

export const ADV = 'urn:kz:adversarial';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** A small service whose Result type has a leaf of each kind, repeated items, a wrapper, anyType and xsi:type. */
export const adversarialMeta: ServiceMeta = {
  service: 'Adversarial',
  soapVersions: ['1.1'],
  defaultEndpoint: 'http://127.0.0.1:9/adversarial',
  types: {
    Get: {
      kind: 'complex',
      elements: [{ prop: 'query', name: 'query', ns: ADV, type: 'Result', min: 0, max: 1 }],
    },
    GetResponse: {
      kind: 'complex',
      elements: [{ prop: 'result', name: 'result', ns: ADV, type: 'Result', min: 0, max: 1 }],
    },
    Result: {
      kind: 'complex',
      elements: [
        { prop: 'count', name: 'count', ns: ADV, type: 'xs:long', min: 0, max: 1 },
        { prop: 'amount', name: 'amount', ns: ADV, type: 'xs:decimal', min: 0, max: 1 },
        { prop: 'name', name: 'name', ns: ADV, type: 'xs:string', min: 0, max: 1 },
        { prop: 'state', name: 'state', ns: ADV, type: 'State', min: 0, max: 1 },
        { prop: 'items', name: 'item', ns: ADV, type: 'Item', min: 0, max: -1 },
        { prop: 'list', name: 'list', ns: ADV, type: 'Item', min: 0, max: 1, item: { name: 'Item', ns: ADV } },
        { prop: 'payload', name: 'payload', ns: ADV, type: 'xs:anyType', min: 0, max: 1 },
      ],
      attributes: [{ prop: 'code', name: 'code', ns: '', type: 'xs:string', required: false }],
    },
    Item: {
      kind: 'complex',
      qname: { ns: ADV, name: 'Item' },
      elements: [{ prop: 'name', name: 'name', ns: ADV, type: 'xs:string', min: 0, max: 1 }],
      attributes: [{ prop: 'id', name: 'id', ns: '', type: 'xs:int', required: false }],
      derived: ['SpecialItem'],
    },
    SpecialItem: {
      kind: 'complex',
      qname: { ns: ADV, name: 'SpecialItem' },
      elements: [
        { prop: 'name', name: 'name', ns: ADV, type: 'xs:string', min: 0, max: 1 },
        { prop: 'extra', name: 'extra', ns: ADV, type: 'xs:string', min: 0, max: 1 },
      ],
      attributes: [{ prop: 'id', name: 'id', ns: '', type: 'xs:int', required: false }],
    },
    State: { kind: 'simple', base: 'string', enum: ['OPEN', 'CLOSED'] },
  },
  operations: {
    Get: {
      name: 'Get',
      soapAction: `${ADV}/Get`,
      input: { name: 'Get', ns: ADV, type: 'Get' },
      output: { name: 'GetResponse', ns: ADV, type: 'GetResponse' },
      safe: true,
    },
  },
};

/** The content of one adversarial Result: declarations on the wrapper, attributes and content of the result. */
export interface ShapeParts {
  /** Extra attributes (namespace declarations) on the operation element. */
  outer?: string;
  /** Attributes of the result element. */
  attributes?: string;
  inner: string;
}

export interface Shape {
  name: string;
  build(n: number): ShapeParts;
  /** The decoder's maximum depth to use (shapes that test depth itself). */
  maxDepth?: number;
}

const repeat = (n: number, item: (i: number) => string): string => {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(item(i));
  return parts.join('');
};

/**
 * Prefixes p0..p(n-1) in scope: a chain of <w> elements declaring up to 2000 each (one element
 * may not carry more than the scanner's cap of 2048 attributes).
 */
function declaringChain(n: number): { open: string; close: string } {
  const levels = Math.ceil(n / 2000);
  let open = '';
  for (let level = 0; level < levels; level++) {
    const from = level * 2000;
    open += `<w${repeat(Math.min(2000, n - from), (i) => ` xmlns:p${from + i}="urn:p${from + i}"`)}>`;
  }
  return { open, close: '</w>'.repeat(levels) };
}

export const shapes: readonly Shape[] = [
  {
    // The issue's case: many prefixes in scope, and many elements that each declare more.
    name: 'namespace declarations per element',
    build: (n) => {
      const scope = declaringChain(n >> 1);
      const items = repeat(n >> 1, (i) => `<item xmlns:q${i}="urn:q${i}" xmlns:r="urn:r"><name>x</name></item>`);
      return { inner: `<name>x</name>${scope.open}${items}${scope.close}` };
    },
  },
  {
    name: 'many prefixes in scope, many raw-captured elements',
    build: (n) => {
      const scope = declaringChain(n >> 1);
      const elements = repeat(n >> 1, (i) => `<p${i}:e p${i}:a="v">t</p${i}:e>`);
      return { inner: `<payload>${scope.open}${elements}${scope.close}</payload>` };
    },
  },
  {
    // At the default cap of 2048 attributes per element (one element with more is refused).
    name: 'attributes per element (2000 each)',
    build: (n) => {
      const item = `<item ${repeat(2000, (i) => `a${i}="1" `)}><name>x</name></item>`;
      return { inner: repeat(Math.max(1, Math.round(n / 2000)), () => item) };
    },
  },
  {
    name: 'attributes on one element (over the cap)',
    build: (n) => ({ inner: `<item ${repeat(2049 + n, (i) => `a${i}="1" `)}><name>x</name></item>` }),
  },
  {
    name: 'depth',
    maxDepth: 1 << 30,
    build: (n) => ({ inner: `<payload>${'<d>'.repeat(n)}${'</d>'.repeat(n)}</payload>` }),
  },
  {
    name: 'deep subtrees at the depth limit',
    build: (n) => ({
      inner: `<payload>${repeat(Math.max(1, Math.floor(n / 200)), () => `${'<d>'.repeat(200)}${'</d>'.repeat(200)}`)}</payload>`,
    }),
  },
  {
    name: 'long names',
    build: (n) => {
      const name = `n${'a'.repeat(n)}`;
      return { inner: `<payload><${name} ${name}="1">x</${name}></payload>` };
    },
  },
  {
    name: 'long attribute values',
    build: (n) => ({ attributes: ` code="${repeat(n >> 4, () => 'abcdefghijk&amp;z ')}"`, inner: '' }),
  },
  {
    name: 'long text',
    build: (n) => ({ inner: `<name>${repeat(n >> 4, () => 'abcdefghijk&lt;\r\n ')}</name>` }),
  },
  {
    name: 'long text in raw capture',
    build: (n) => ({ inner: `<payload>${repeat(n >> 4, () => 'abcde p0:fgh &lt;\r\n ')}</payload>` }),
  },
  {
    name: 'long numbers (xs:long)',
    build: (n) => ({ inner: `<count>${'1'.repeat(n)}</count>` }),
  },
  {
    name: 'long numbers (xs:decimal)',
    build: (n) => ({ inner: `<amount>${'1'.repeat(n)}.5</amount>` }),
  },
  {
    name: 'many siblings',
    build: (n) => ({ inner: repeat(n >> 5, (i) => `<item id="${i % 1000}"><name>item ${i}</name></item>`) }),
  },
  {
    name: 'many xsi:type',
    build: (n) => ({
      outer: ` xmlns:a="${ADV}" xmlns:xsi="${XSI}"`,
      inner: repeat(n >> 6, () => `<item xsi:type="a:SpecialItem"><name>x</name><extra>y</extra></item>`),
    }),
  },
];

/** A response envelope of GetResponse around a shape. */
export function responseEnvelope(parts: ShapeParts): string {
  return `<s:Envelope xmlns:s="${SOAP11}"><s:Body><GetResponse xmlns="${ADV}"${parts.outer ?? ''}><result${
    parts.attributes ?? ''
  }>${parts.inner}</result></GetResponse></s:Body></s:Envelope>`;
}

/** A request envelope of Get around a shape. */
export function requestEnvelope(parts: ShapeParts): string {
  return `<s:Envelope xmlns:s="${SOAP11}"><s:Body><Get xmlns="${ADV}"${parts.outer ?? ''}><query${
    parts.attributes ?? ''
  }>${parts.inner}</query></Get></s:Body></s:Envelope>`;
}

/** The shape's n whose response envelope is about `bytes` long (documents grow linearly with n). */
export function sizeFor(shape: Shape, bytes: number): number {
  const probe = 4096;
  const length = responseEnvelope(shape.build(probe)).length;
  return Math.max(16, Math.round((probe * bytes) / length));
}
