/**
 * rpc/encoded (SOAP encoding) end to end: a PHP/gSOAP-style contract (corpus-encoded/people.wsdl,
 * SOAP 1.1 and 1.2 bindings) is generated and type-checked strict; values round-trip through our
 * own service codec and through multi-referenced answers; and a node-soap server built from the
 * same WSDL receives exactly what the generated client sent, and its answers decode back to what
 * it sent.
 */

import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServiceMeta, SoapClient, SoapServiceCodec, type Transport } from '@kz/soap';
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, loadServiceMeta } from '../src/index.js';
import { tempDir, typeCheck } from './support.js';

const WSDL = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus-encoded', 'people.wsdl');

interface Person {
  name: string;
  age: number;
  email?: string;
  nicknames?: string[];
}

/** The generated client class, loaded from the generated folder. */
type PeopleClient = {
  findPeople(input: { people: Person[]; tags: string[]; limit: number }): Promise<{ found: Person[]; count: number }>;
  greet(input: { person: Person }): Promise<{ greeting: string }>;
  soap: SoapClient;
};

let out = '';
let meta: ServiceMeta;
let Client: new (options: { endpoint: string; soapVersion?: '1.1' | '1.2' }) => PeopleClient;

beforeAll(async () => {
  out = path.join(tempDir('encoded'), 'generated');
  await generate({ wsdl: WSDL, out });
  meta = await loadServiceMeta(WSDL);
  Client = (await import(path.join(out, 'client.ts'))).PeopleServiceClient;
}, 30_000);

const people: Person[] = [
  { name: 'Ann & <Bo>', age: 31, email: 'ann@example.kz', nicknames: ['a', ''] },
  { name: 'Сәкен', age: -1 },
];

describe('generation', () => {
  it('types soapenc arrays as T[] and compiles under strict', { timeout: 30_000 }, () => {
    const types = readFileSync(path.join(out, 'types.ts'), 'utf8');
    expect(types).toContain('people: Person[];');
    expect(types).toContain('tags: string[];');
    expect(types).toContain('nicknames?: string[];');
    expect(types).toContain('email?: string;');
    expect(typeCheck(out)).toEqual([]);
    expect(meta.soapVersions).toEqual(['1.1', '1.2']);
    expect(meta.operations.findPeople?.encoded).toBe(true);
  });
});

describe('round trip through our own service codec', () => {
  it('encode -> decode equals the input, SOAP 1.1 and 1.2', async () => {
    const codec = new SoapServiceCodec(meta);
    for (const version of ['1.1', '1.2'] as const) {
      let received: unknown;
      const transport: Transport = {
        async send(request) {
          const decoded = await codec.decodeRequest(Buffer.from(request.body ?? []));
          received = decoded.input;
          const input = decoded.input as { people: Person[] };
          const answer = { found: input.people, count: input.people.length };
          const body = codec.encodeResponse(decoded.operation, answer, decoded.version);
          return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) };
        },
      };
      const client = new SoapClient(meta, { useContractEndpoints: true, transport, soapVersion: version });
      const input = { people, tags: ['x', 'y'], limit: 10 };
      expect(await client.invoke('findPeople', input)).toEqual({ found: people, count: 2 });
      expect(received).toEqual(input);
    }
  });

  it('decodes an answer with multi-references (Axis / .NET style)', async () => {
    const answer = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><ns1:findPeopleResponse soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="urn:people"><found href="#id0"/><count href="#id3"/></ns1:findPeopleResponse><multiRef id="id0" soapenc:root="0" xsi:type="soapenc:Array" soapenc:arrayType="ns2:Person[2]" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns2="urn:people"><item href="#id1"/><item href="#id2"/></multiRef><multiRef id="id3" soapenc:root="0" xsi:type="xsd:int" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">2</multiRef><multiRef id="id1" soapenc:root="0" xsi:type="ns3:Person" xmlns:ns3="urn:people" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"><name xsi:type="xsd:string">Ann</name><age xsi:type="xsd:int">31</age><nicknames href="#id4"/></multiRef><multiRef id="id2" soapenc:root="0" xsi:type="ns4:Person" xmlns:ns4="urn:people"><name xsi:type="xsd:string">Bo</name><age xsi:type="xsd:int">2</age><nicknames href="#id4"/></multiRef><multiRef id="id4" soapenc:root="0" xsi:type="soapenc:Array" soapenc:arrayType="xsd:string[1]" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"><item xsi:type="xsd:string">shared</item></multiRef></soapenv:Body></soapenv:Envelope>`;
    const transport: Transport = {
      send: async () => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(answer) }),
    };
    const client = new SoapClient(meta, { useContractEndpoints: true, transport });
    expect(await client.invoke('findPeople', { people: [], tags: [], limit: 1 })).toEqual({
      found: [
        { name: 'Ann', age: 31, nicknames: ['shared'] },
        { name: 'Bo', age: 2, nicknames: ['shared'] },
      ],
      count: 2,
    });
  });
});

/**
 * node-soap's view of a value, made plain: an element with attributes is `{ attributes, $value }`,
 * a soapenc array `{ attributes, item }` (one item or several), leaves strings or numbers.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value === undefined ? value : String(value);
  const record = value as Record<string, unknown>;
  if ('$value' in record) return plain(record.$value);
  const keys = Object.keys(record).filter((k) => k !== 'attributes');
  // An element with attributes and no content: an empty string.
  if (keys.length === 0 && 'attributes' in record) return '';
  if (keys.length === 1 && keys[0] === 'item') {
    const items = record.item;
    return (Array.isArray(items) ? items : [items]).map(plain);
  }
  const result: Record<string, unknown> = {};
  for (const key of keys) result[key] = plain(record[key]);
  return result;
}

/** Our value with every leaf as its lexical form, to compare with what node-soap parsed. */
function lexical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lexical);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, lexical(v)]));
  return String(value);
}

describe('interoperability with a node-soap server built from the same WSDL', () => {
  let server: http.Server;
  let base = '';
  const received: { operation: string; version: string; args: unknown }[] = [];
  /** What node-soap answers: in its own representation (arrays of a struct member as { item }). */
  const answers = {
    found: [
      { name: 'Zed "the" <Z>', age: 9, nicknames: { item: ['q', 'r'] } },
      { name: 'Yu', age: 8, email: 'yu@example.kz' },
    ],
    count: 2,
  };
  const handlers = (version: string) => ({
    findPeople(args: unknown) {
      received.push({ operation: 'findPeople', version, args });
      return answers;
    },
    greet(args: { person: { name: { $value: string } } }) {
      received.push({ operation: 'greet', version, args });
      return { greeting: `hello, ${args.person.name.$value}` };
    },
  });

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const xml = readFileSync(WSDL, 'utf8');
    const services = { PeopleService: { PeoplePort: handlers('1.1'), PeoplePort12: handlers('1.2') } };
    soap.listen(server, { path: '/people', services, xml });
    soap.listen(server, { path: '/people12', services, xml, forceSoap12Headers: true });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  for (const version of ['1.1', '1.2'] as const) {
    it(`SOAP ${version}: node-soap receives exactly what we sent, its answers decode to what it sent`, {
      timeout: 15_000,
    }, async () => {
      received.length = 0;
      const endpoint = `${base}${version === '1.1' ? '/people' : '/people12'}`;
      const client = new Client({ endpoint, soapVersion: version });
      try {
        const input = { people, tags: ['x', 'y & z'], limit: 10 };
        const output = await client.findPeople(input);
        const args = received[0]?.args as Record<string, unknown>;
        expect(received[0]?.version).toBe(version);
        expect(plain({ people: args.people, tags: args.tags, limit: args.limit })).toEqual(lexical(input));
        expect(output.found[0]).toEqual({ name: 'Zed "the" <Z>', age: 9, nicknames: ['q', 'r'] });
        expect(lexical(output)).toEqual(plain(answers));

        const greeting = await client.greet({ person: { name: 'Ann', age: 3 } });
        expect(plain((received[1]?.args as Record<string, unknown> | undefined)?.person)).toEqual({
          name: 'Ann',
          age: '3',
        });
        expect(greeting).toEqual({ greeting: 'hello, Ann' });
      } finally {
        client.soap.close();
      }
    });
  }
});
