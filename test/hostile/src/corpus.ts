/**
 * Hostile variants of valid SOAP messages: byte-level damage, parser attacks, schema
 * violations found by walking the document with the service's metadata, and transport-level
 * nonsense. Every case here must end in a typed error.
 */
import type {
  FullComplexTypeMeta as ComplexTypeMeta,
  FullElementMeta as ElementMeta,
  ServiceMeta,
  SoapVersion,
} from '@kz/soap';
import { withMetaDefaults } from '@kz/soap';
import { clone, type Node, parseTree, serialize, walk } from './tree.js';

export interface HostileCase {
  name: string;
  body: Buffer;
  status: number;
  contentType: string;
  /**
   * When a decoded value is the right outcome (a response keeps what it does not know), the
   * check it must pass; otherwise only a typed error is.
   */
  accept?: (value: unknown) => boolean;
}

/** True when a string anywhere in `value` is `text` (or, with `within`, contains it). */
export function holdsString(value: unknown, text: string, within = false): boolean {
  if (typeof value === 'string') return within ? value.includes(text) : value === text;
  if (Array.isArray(value)) return value.some((item) => holdsString(item, text, within));
  if (value !== null && typeof value === 'object')
    return Object.values(value).some((item) => holdsString(item, text, within));
  return false;
}

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

const xmlType = (version: SoapVersion) =>
  version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';

function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** Damage to the bytes or the syntax of a valid document. */
/**
 * @param heavy add the costly cases (deep nesting, megabyte-sized content)
 * @param sizeLimit the receiver's size limit is below 1 MB, so oversized content must be refused
 */
export function syntaxCases(document: string, version: SoapVersion, heavy: boolean, sizeLimit = true): HostileCase[] {
  const ct = xmlType(version);
  const xml = document.trimEnd();
  const body = bytes(xml);
  // Damage goes inside the payload, right after its start tag (not into a leading comment).
  const bodyTag = /<(\w+:)?Body[^>]*>/.exec(xml);
  if (!bodyTag) throw new Error('sample has no Body');
  const at = xml.indexOf('>', xml.indexOf('<', bodyTag.index + bodyTag[0].length)) + 1;
  const insert = (text: string) => `${xml.slice(0, at)}${text}${xml.slice(at)}`;
  const cases: HostileCase[] = [];
  const add = (name: string, data: Buffer | string, status = 200, contentType = ct) =>
    cases.push({ name, body: typeof data === 'string' ? bytes(data) : data, status, contentType });
  for (const fraction of [0.1, 0.25, 0.5, 0.75, 0.9])
    add(`truncated at ${fraction * 100}%`, body.subarray(0, Math.floor(body.length * fraction)));
  add('truncated before the last byte', body.subarray(0, body.length - 1));
  const firstText = Buffer.byteLength(xml.slice(0, at));
  add(
    'invalid UTF-8 byte 0xFF',
    Buffer.concat([body.subarray(0, firstText), Buffer.from([0xff]), body.subarray(firstText)]),
  );
  add(
    'overlong UTF-8 sequence',
    Buffer.concat([body.subarray(0, firstText), Buffer.from([0xc0, 0xbc]), body.subarray(firstText)]),
  );
  add(
    'lone continuation byte',
    Buffer.concat([body.subarray(0, firstText), Buffer.from([0x80]), body.subarray(firstText)]),
  );
  add(
    'truncated multi-byte character',
    Buffer.concat([body.subarray(0, firstText), Buffer.from([0xd0]), body.subarray(firstText)]),
  );
  const root = xml.indexOf('<', xml.startsWith('<?xml') ? xml.indexOf('?>') : 0);
  const inject = (prefix: string) => `${prefix}${xml.slice(root)}`;
  add('XXE external entity', inject('<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>'));
  add('XXE parameter entity', inject('<!DOCTYPE e [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>'));
  add(
    'billion laughs',
    inject(
      `<!DOCTYPE l [<!ENTITY a "ha">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]>`,
    ),
  );
  add('quadratic blowup', inject(`<!DOCTYPE q [<!ENTITY x "${'x'.repeat(50_000)}">]>`));
  add('undefined entity reference', insert('&nbsp;'));
  add('bare ampersand', insert('a & b'));
  add('reference to a forbidden character', insert('&#1;'));
  add('unbound prefix', insert('<zz:oops/>'));
  add('mismatched end tag', xml.replace(/<\/([A-Za-z0-9_:.-]+)>$/, '</Other>'));
  add('second root element', `${xml}<again/>`);
  add('text after the root', `${xml}trailing`);
  add('unclosed CDATA', insert('<![CDATA[never closed'));
  add('double dash in comment', insert('<!-- a -- b -->'));
  add('XML declaration late', insert('<?xml version="1.0"?>'));
  add('declared UTF-16', `<?xml version="1.0" encoding="UTF-16"?>${xml.slice(root)}`);
  add('garbage before the document', `\u0000\u0001${xml}`);
  add('control character in text', insert('\u0007'));
  add('just "<"', '<');
  add('only whitespace', ' \n\t ');
  if (heavy) add('deep nesting (5000 levels)', insert(`${'<d>'.repeat(5000)}${'</d>'.repeat(5000)}`));
  if (heavy && sizeLimit) {
    add('flood of numeric references (1 MB)', insert(`<big>${'&#65;'.repeat(210_000)}</big>`));
    add('huge text node (2 MB)', insert(`<big>${'x'.repeat(2 * 1024 * 1024)}</big>`));
    add('huge attribute (2 MB)', insert(`<big a="${'x'.repeat(2 * 1024 * 1024)}"/>`));
    add('100k attributes', insert(`<many ${Array.from({ length: 100_000 }, (_, i) => `a${i}="1"`).join(' ')}/>`));
  }
  return cases;
}

export interface Located {
  node: Node;
  parent: Node | undefined;
  element: ElementMeta;
}

/** The payload's elements with their metadata, found by walking the tree with the schema. */
export function annotate(envelope: Node, meta: ServiceMeta, operation: string): Located[] {
  const output = meta.operations[operation]?.output;
  const body = envelope.children.find((c) => c.local === 'Body');
  const payload = body?.children[0];
  if (!output || !payload) return [];
  const located: Located[] = [];
  const visit = (node: Node, type: string) => {
    const complex = meta.types[type];
    if (complex?.kind !== 'complex') return;
    for (const child of node.children) {
      const element = (withMetaDefaults(complex) as ComplexTypeMeta).elements.find(
        (e) => e.name === child.local && e.ns === child.ns,
      );
      if (!element) continue;
      located.push({ node: child, parent: node, element });
      if (element.item) for (const item of child.children) visit(item, element.type);
      else visit(child, element.type);
    }
  };
  visit(payload, output.type);
  return located;
}

const INVALID_LEXICAL: Record<string, string> = {
  int: 'twelve',
  long: '9223372036854775808',
  short: '40000',
  decimal: '1,5',
  double: '1.2.3',
  boolean: 'yes',
  dateTime: '26.03.2018 10:00',
  date: '2018-13-45x',
  base64Binary: '***not base64***',
};

/**
 * Schema violations: every case decodes syntactically and breaks the contract. On the response
 * side a value outside an enumeration is kept (services add codes): that case must decode with
 * the value as received; on the request side it is refused like the others.
 */
export function schemaCases(
  xml: string,
  version: SoapVersion,
  meta: ServiceMeta,
  operation: string,
  limit = 12,
  side: 'response' | 'request' = 'response',
): HostileCase[] {
  const ct = xmlType(version);
  const tree = parseTree(xml);
  const cases: HostileCase[] = [];
  const add = (
    name: string,
    mutate: (copy: Node, at: (n: Node) => Node) => boolean,
    accept?: HostileCase['accept'],
  ) => {
    const copy = clone(tree);
    const map = new Map<Node, Node>();
    const pairs = [...walk(tree)].map((w) => w.node);
    const copies = [...walk(copy)].map((w) => w.node);
    for (const [i, n] of pairs.entries()) map.set(n, copies[i] as Node);
    if (mutate(copy, (n) => map.get(n) as Node))
      cases.push({ name, body: bytes(serialize(copy)), status: 200, contentType: ct, ...(accept ? { accept } : {}) });
  };
  const located = annotate(tree, meta, operation);
  let leafCases = 0;
  for (const { node, element } of located) {
    if (leafCases >= limit) break;
    const type = element.type;
    const simple = meta.types[type];
    const invalid = type.startsWith('xs:')
      ? INVALID_LEXICAL[type.slice(3)]
      : simple?.kind === 'simple' && simple.enum
        ? 'NOT_AN_ENUM_VALUE'
        : undefined;
    if (invalid === undefined || node.children.length > 0) continue;
    leafCases++;
    const kept = invalid === 'NOT_AN_ENUM_VALUE' && side === 'response';
    add(
      `${element.name}: "${invalid}" for ${type}${kept ? ' (kept as received)' : ''}`,
      (_copy, at) => {
        at(node).text = invalid;
        return true;
      },
      kept ? (value) => holdsString(value, invalid) : undefined,
    );
  }
  if (side === 'response') {
    // A renamed element (the service's name differs from our guess) is never lost silently: a
    // typed error, or kept as unknown content carrying its name.
    for (const { node, element } of located.slice(0, 6)) {
      const renamed = `${element.name}Renamed`;
      add(
        `<${element.name}> renamed <${renamed}>`,
        (_copy, at) => {
          at(node).local = renamed;
          return true;
        },
        (value) => holdsString(value, renamed, true),
      );
    }
  }
  const required = located.find(({ element }) => element.min > 0 && element.choice === undefined);
  if (required) {
    add(`required <${required.element.name}> removed`, (_copy, at) => {
      const parent = at(required.parent as Node);
      parent.children = parent.children.filter((c) => c !== at(required.node));
      return true;
    });
  }
  const single = located.find(({ element }) => element.max === 1);
  if (single) {
    add(`single <${single.element.name}> duplicated`, (_copy, at) => {
      const parent = at(single.parent as Node);
      parent.children.splice(parent.children.indexOf(at(single.node)), 0, clone(at(single.node)));
      return true;
    });
  }
  const notNillable = located.find(({ element }) => !element.nillable);
  if (notNillable) {
    add(`xsi:nil on non-nillable <${notNillable.element.name}>`, (_copy, at) => {
      at(notNillable.node).attributes.push({
        ns: 'http://www.w3.org/2001/XMLSchema-instance',
        local: 'nil',
        value: 'true',
      });
      at(notNillable.node).children = [];
      at(notNillable.node).text = '';
      return true;
    });
  }
  const leaf = located.find(({ node }) => node.children.length === 0 && node.text !== '');
  if (leaf) {
    add(`element inside simple <${leaf.element.name}>`, (_copy, at) => {
      at(leaf.node).children.push({ ns: '', local: 'intruder', attributes: [], text: 'x', children: [] });
      return true;
    });
  }
  add('payload in the wrong namespace', (copy) => {
    const payload = copy.children.find((c) => c.local === 'Body')?.children[0];
    if (!payload) return false;
    payload.ns = 'urn:not-the-service';
    return true;
  });
  add('payload renamed', (copy) => {
    const payload = copy.children.find((c) => c.local === 'Body')?.children[0];
    if (!payload) return false;
    payload.local = `${payload.local}Unexpected`;
    return true;
  });
  add('empty Body', (copy) => {
    const body = copy.children.find((c) => c.local === 'Body');
    if (!body) return false;
    body.children = [];
    return true;
  });
  add('no Body', (copy) => {
    copy.children = copy.children.filter((c) => c.local !== 'Body');
    return true;
  });
  add('Envelope in a foreign namespace', (copy) => {
    copy.ns = 'urn:not-soap';
    return true;
  });
  return cases;
}

/** Whole-response nonsense that does not depend on the service. */
export function transportCases(version: SoapVersion): HostileCase[] {
  const ct = xmlType(version);
  const other = version === '1.1' ? SOAP12 : SOAP11;
  const fault11 = `<s:Envelope xmlns:s="${SOAP11}"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>boom</faultstring></s:Fault></s:Body></s:Envelope>`;
  const fault12 = `<s:Envelope xmlns:s="${SOAP12}"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text xml:lang="en">boom</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>`;
  const ownFault = version === '1.1' ? fault11 : fault12;
  const otherFault = version === '1.1' ? fault12 : fault11;
  return [
    {
      name: 'HTML error page, status 200',
      body: bytes('<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>'),
      status: 200,
      contentType: 'text/html',
    },
    {
      name: 'HTML error page, status 500',
      body: bytes('<html><body>Runtime Error</body></html>'),
      status: 500,
      contentType: 'text/html',
    },
    {
      name: 'HTML error page labelled text/xml',
      body: bytes('<html><body>Runtime Error</body></html>'),
      status: 200,
      contentType: ct,
    },
    { name: 'empty body, status 200', body: Buffer.alloc(0), status: 200, contentType: ct },
    { name: 'empty body, status 500', body: Buffer.alloc(0), status: 500, contentType: ct },
    { name: 'JSON, status 200', body: bytes('{"result":"ok"}'), status: 200, contentType: 'application/json' },
    { name: 'JSON, status 400', body: bytes('{"error_message":"bad"}'), status: 400, contentType: 'application/json' },
    { name: 'JSON labelled as XML', body: bytes('{"result":"ok"}'), status: 200, contentType: ct },
    {
      name: `SOAP ${version === '1.1' ? '1.2' : '1.1'} fault to a ${version} client`,
      body: bytes(otherFault),
      status: 500,
      contentType: ct,
    },
    {
      name: `SOAP ${version === '1.1' ? '1.2' : '1.1'} envelope to a ${version} client`,
      body: bytes(`<s:Envelope xmlns:s="${other}"><s:Body/></s:Envelope>`),
      status: 200,
      contentType: ct,
    },
    { name: 'a proper fault, status 500', body: bytes(ownFault), status: 500, contentType: ct },
    { name: 'a proper fault, status 200', body: bytes(ownFault), status: 200, contentType: ct },
    { name: 'plain text, status 502', body: bytes('Bad Gateway'), status: 502, contentType: 'text/plain' },
    {
      name: 'binary noise',
      body: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 97 + 13) % 256)),
      status: 200,
      contentType: ct,
    },
  ];
}
