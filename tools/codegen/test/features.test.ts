/**
 * Each XSD feature the peers get wrong, on a small WSDL: the TypeScript it produces, the
 * metadata it produces, and (through @kz/soap) that values survive encode -> decode.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SoapClient, SoapServiceCodec, type Transport } from '@kz/soap';
import { describe, expect, it, vi } from 'vitest';
import { generate, loadServiceMeta } from '../src/index.js';
import { tempDir, typeCheck, writeFiles, wsdl } from './support.js';

// Each test generates and type-checks a package: the first one loads the TypeScript compiler,
// several seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

async function build(files: Record<string, string>, main = 'service.wsdl') {
  const dir = tempDir('feature');
  writeFiles(dir, files);
  const out = path.join(dir, 'generated');
  await generate({ wsdl: path.join(dir, main), out });
  const types = readFileSync(path.join(out, 'types.ts'), 'utf8');
  const errors = typeCheck(out);
  const meta = await loadServiceMeta(path.join(dir, main));
  return { types, errors, meta };
}

/** Sends `input` through a client and decodes it on the service side: what the service receives. */
async function roundTrip(meta: Awaited<ReturnType<typeof loadServiceMeta>>, input: unknown): Promise<unknown> {
  const codec = new SoapServiceCodec(meta);
  let received: unknown;
  const transport: Transport = {
    async send(request) {
      received = (await codec.decodeRequest(Buffer.from(request.body ?? []))).input;
      const op = meta.operations.Op!;
      return {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body: Buffer.from(codec.encodeResponse(op, received, '1.1')),
      };
    },
  };
  const client = new SoapClient(meta, { useContractEndpoints: true, transport });
  const output = await client.invoke('Op', input);
  expect(output).toEqual(received);
  return received;
}

const TNS = 'urn:test';
const schema = (body: string, extra = '') =>
  `<xs:schema targetNamespace="${TNS}" elementFormDefault="qualified" ${extra}>${body}</xs:schema>`;

describe('occurrence: minOccurs, maxOccurs, nillable', () => {
  it('maps to optional, arrays and null', async () => {
    const { types, errors, meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas: schema(`<xs:element name="Req"><xs:complexType><xs:sequence>
          <xs:element name="required" type="xs:string"/>
          <xs:element name="optional" type="xs:int" minOccurs="0"/>
          <xs:element name="many" type="xs:string" maxOccurs="unbounded"/>
          <xs:element name="nullable" type="xs:decimal" nillable="true"/>
          <xs:element name="maybeNull" type="xs:long" minOccurs="0" nillable="true"/>
        </xs:sequence></xs:complexType></xs:element>`),
      }),
    });
    expect(errors).toEqual([]);
    expect(types).toContain('required: string;');
    expect(types).toContain('optional?: number;');
    expect(types).toContain('many: string[];');
    expect(types).toContain('nullable: string | null;');
    expect(types).toContain('maybeNull?: string | null;');
    const value = { required: 'a', many: ['x', 'y'], nullable: null, maybeNull: '9223372036854775807' };
    expect(await roundTrip(meta, value)).toEqual(value);
  });
});

describe('enumerations', () => {
  it('become string-literal unions and are enforced', async () => {
    const { types, errors, meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas: schema(`<xs:simpleType name="Color"><xs:restriction base="xs:string">
            <xs:enumeration value="RED"/><xs:enumeration value="GREEN"/></xs:restriction></xs:simpleType>
          <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="color" type="tns:Color"/></xs:sequence></xs:complexType></xs:element>`),
      }),
    });
    expect(errors).toEqual([]);
    expect(types).toContain("export type Color = 'RED' | 'GREEN';");
    expect(await roundTrip(meta, { color: 'GREEN' })).toEqual({ color: 'GREEN' });
    await expect(roundTrip(meta, { color: 'BLUE' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('are widened with string & {} where a response carries them, strict where a request does', async () => {
    const dir = tempDir('feature');
    writeFiles(dir, {
      'service.wsdl': wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Resp',
        schemas: schema(`<xs:simpleType name="Color"><xs:restriction base="xs:string">
            <xs:enumeration value="RED"/><xs:enumeration value="GREEN"/></xs:restriction></xs:simpleType>
          <xs:simpleType name="Colors"><xs:list itemType="tns:Color"/></xs:simpleType>
          <xs:complexType name="Shared"><xs:sequence><xs:element name="color" type="tns:Color"/></xs:sequence></xs:complexType>
          <xs:complexType name="Plain"><xs:sequence><xs:element name="n" type="xs:int"/></xs:sequence></xs:complexType>
          <xs:element name="Req"><xs:complexType><xs:sequence>
            <xs:element name="color" type="tns:Color"/><xs:element name="shared" type="tns:Shared"/><xs:element name="plain" type="tns:Plain"/>
          </xs:sequence></xs:complexType></xs:element>
          <xs:element name="Resp"><xs:complexType><xs:sequence>
            <xs:element name="color" type="tns:Color"/><xs:element name="colors" type="tns:Color" maxOccurs="unbounded"/>
            <xs:element name="list" type="tns:Colors" minOccurs="0"/>
            <xs:element name="shared" type="tns:Shared"/><xs:element name="plain" type="tns:Plain"/>
          </xs:sequence><xs:attribute name="tone" type="tns:Color"/></xs:complexType></xs:element>`),
      }),
    });
    const out = path.join(dir, 'generated');
    await generate({ wsdl: path.join(dir, 'service.wsdl'), out });
    const types = readFileSync(path.join(out, 'types.ts'), 'utf8');
    const client = readFileSync(path.join(out, 'client.ts'), 'utf8');
    expect(typeCheck(out)).toEqual([]);
    // The request side: strict unions.
    expect(declaration(types, 'Req')).toContain('color: Color;');
    expect(declaration(types, 'Req')).toContain('shared: Shared;');
    expect(declaration(types, 'Shared')).toContain('color: Color;');
    // The response side: widened, and a both-sided type with an enumeration gets an Output variant.
    const resp = declaration(types, 'Resp');
    expect(resp).toContain('tone?: Color | (string & {});');
    expect(resp).toContain('color: Color | (string & {});');
    expect(resp).toContain('colors: (Color | (string & {}))[];');
    expect(resp).toContain('list?: (Colors[number] | (string & {}))[];');
    expect(resp).toContain('shared: SharedOutput;');
    expect(resp).toContain('plain: Plain;');
    expect(declaration(types, 'SharedOutput')).toContain('color: Color | (string & {});');
    expect(types).not.toContain('PlainOutput');
    expect(client).toContain('Promise<Resp>');
    // And the runtime agrees: a response value outside the list is kept, a request one refused.
    const meta = await loadServiceMeta(path.join(dir, 'service.wsdl'));
    const response = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Resp xmlns="${TNS}"><color>BLUE</color><colors>RED</colors><shared><color>BLUE</color></shared><plain><n>1</n></plain></Resp></s:Body></s:Envelope>`;
    const transport: Transport = {
      send: async () => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(response) }),
    };
    const soap = new SoapClient(meta, { useContractEndpoints: true, transport });
    const request = { color: 'RED', shared: { color: 'GREEN' }, plain: { n: 1 } };
    expect(await soap.invoke('Op', request)).toMatchObject({ color: 'BLUE', shared: { color: 'BLUE' } });
    await expect(soap.invoke('Op', { ...request, color: 'BLUE' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

/** The text of an exported interface in generated types.ts. */
function declaration(types: string, name: string): string {
  const start = types.indexOf(`export interface ${name} {`);
  if (start === -1) throw new Error(`no interface ${name}`);
  return types.slice(start, types.indexOf('\n}\n', start));
}

describe('attributes and simpleContent', () => {
  it('keep attributes and the text value', async () => {
    const { types, errors, meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas: schema(`<xs:complexType name="Amount"><xs:simpleContent><xs:extension base="xs:decimal">
            <xs:attribute name="currency" type="xs:string" use="required"/><xs:attribute name="note" type="xs:string"/>
          </xs:extension></xs:simpleContent></xs:complexType>
          <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="amount" type="tns:Amount"/></xs:sequence>
            <xs:attribute name="id" type="xs:long"/></xs:complexType></xs:element>`),
      }),
    });
    expect(errors).toEqual([]);
    expect(types).toMatch(/currency: string;/);
    expect(types).toMatch(/\$value: string;/);
    const value = { id: '12345678901234567', amount: { currency: 'KZT', $value: '7865.08' } };
    expect(await roundTrip(meta, value)).toEqual(value);
  });
});

describe('complexContent extension and xsi:type', () => {
  it('extends the base interface and inherits its elements first', async () => {
    const { types, errors, meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas:
          schema(`<xs:complexType name="Base"><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:complexType>
          <xs:complexType name="Derived"><xs:complexContent><xs:extension base="tns:Base"><xs:sequence>
            <xs:element name="extra" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
          <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="item" type="tns:Base"/>
            <xs:element name="derived" type="tns:Derived"/></xs:sequence></xs:complexType></xs:element>`),
      }),
    });
    expect(errors).toEqual([]);
    expect(types).toContain('export interface Derived extends Base {');
    const value = { item: { $type: 'Derived', id: 1, extra: 'polymorphic' }, derived: { id: 2, extra: 'x' } };
    expect(await roundTrip(meta, value)).toEqual(value);
  });
});

describe('choice', () => {
  it('is a union whose members exclude each other', async () => {
    const { types, errors, meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas:
          schema(`<xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="common" type="xs:string"/>
          <xs:choice><xs:element name="byId" type="xs:int"/><xs:element name="byName" type="xs:string"/></xs:choice>
          </xs:sequence></xs:complexType></xs:element>`),
      }),
    });
    expect(errors).toEqual([]);
    expect(types).toContain('({ byId: number; byName?: never } | { byId?: never; byName: string })');
    expect(await roundTrip(meta, { common: 'c', byName: 'n' })).toEqual({ common: 'c', byName: 'n' });
    await expect(roundTrip(meta, { common: 'c', byId: 1, byName: 'n' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(roundTrip(meta, { common: 'c' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

describe('import and include chains across files', () => {
  it('follows xs:import and chameleon xs:include, relative to each file', async () => {
    const { types, errors, meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        extraNs: 'xmlns:c="urn:common"',
        input: 'tns:Req',
        output: 'tns:Req',
        schemas: schema(
          `<xs:import namespace="urn:common" schemaLocation="types/common.xsd"/>
          <xs:include schemaLocation="types/local.xsd"/>
          <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="party" type="c:Party"/>
            <xs:element name="local" type="tns:Local"/></xs:sequence></xs:complexType></xs:element>`,
          'xmlns:c="urn:common"',
        ),
      }),
      'types/common.xsd': `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:common" xmlns:c="urn:common">
        <xs:include schemaLocation="parts/party.xsd"/></xs:schema>`,
      'types/parts/party.xsd': `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:common">
        <xs:complexType name="Party"><xs:sequence><xs:element name="bin" type="xs:string"/></xs:sequence></xs:complexType></xs:schema>`,
      'types/local.xsd': `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
        <xs:complexType name="Local"><xs:sequence><xs:element name="n" type="xs:int"/></xs:sequence></xs:complexType></xs:schema>`,
    });
    expect(errors).toEqual([]);
    expect(types).toContain('export interface Party {');
    const value = { party: { bin: '000740001234' }, local: { n: 1 } };
    expect(await roundTrip(meta, value)).toEqual(value);
  });

  it('resolves an xs:import without schemaLocation against a schema inline in the same WSDL', async () => {
    const { errors, meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        extraNs: 'xmlns:o="urn:other"',
        input: 'tns:Req',
        output: 'tns:Req',
        schemas: `<xs:schema targetNamespace="urn:other" elementFormDefault="unqualified">
            <xs:complexType name="Code"><xs:sequence><xs:element name="v" type="xs:string"/></xs:sequence></xs:complexType></xs:schema>
          ${schema('<xs:import namespace="urn:other"/><xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="code" type="o:Code"/></xs:sequence></xs:complexType></xs:element>', 'xmlns:o="urn:other"')}`,
      }),
    });
    expect(errors).toEqual([]);
    expect(await roundTrip(meta, { code: { v: 'x' } })).toEqual({ code: { v: 'x' } });
  });
});

describe('recursive types', () => {
  it('are plain self-referencing interfaces', async () => {
    const { types, errors, meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas: schema(`<xs:complexType name="ErrorInfo"><xs:sequence><xs:element name="code" type="xs:string"/>
          <xs:element name="subError" type="tns:ErrorInfo" minOccurs="0"/></xs:sequence></xs:complexType>
          <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="error" type="tns:ErrorInfo"/></xs:sequence></xs:complexType></xs:element>`),
      }),
    });
    expect(errors).toEqual([]);
    expect(types).toContain('subError?: ErrorInfo;');
    const value = { error: { code: 'A', subError: { code: 'B', subError: { code: 'C' } } } };
    expect(await roundTrip(meta, value)).toEqual(value);
  });
});

describe('name collisions across namespaces', () => {
  it('keeps both types, the second tagged with its namespace', async () => {
    const { types, errors, meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        extraNs: 'xmlns:v2="urn:esf:v2"',
        input: 'tns:Req',
        output: 'tns:Req',
        schemas: `${schema(
          `<xs:import namespace="urn:esf:v2"/><xs:complexType name="Invoice"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>
          <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="one" type="tns:Invoice"/><xs:element name="two" type="v2:Invoice"/></xs:sequence></xs:complexType></xs:element>`,
          'xmlns:v2="urn:esf:v2"',
        )}<xs:schema targetNamespace="urn:esf:v2"><xs:complexType name="Invoice"><xs:sequence><xs:element name="b" type="xs:int"/></xs:sequence></xs:complexType></xs:schema>`,
      }),
    });
    expect(errors).toEqual([]);
    expect(types).toContain('export interface Invoice {');
    expect(types).toContain('export interface InvoiceEsfV2 {');
    expect(await roundTrip(meta, { one: { a: 'x' }, two: { b: 2 } })).toEqual({ one: { a: 'x' }, two: { b: 2 } });
  });
});

describe('.NET ArrayOf wrappers', () => {
  it('are unwrapped into arrays and still travel wrapped', async () => {
    const { types, errors, meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas:
          schema(`<xs:complexType name="ArrayOfInt"><xs:sequence><xs:element name="int" type="xs:int" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
          <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="accounts" type="tns:ArrayOfInt" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>`),
      }),
    });
    expect(errors).toEqual([]);
    expect(types).toContain('accounts?: number[];');
    expect(types).not.toContain('ArrayOfInt');
    expect(await roundTrip(meta, { accounts: [333, 444] })).toEqual({ accounts: [333, 444] });
  });
});

describe('lossless leaves', () => {
  it('keeps longs beyond 2^53, decimals, leading zeros and offsets exactly', async () => {
    const { meta } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas: schema(`<xs:element name="Req"><xs:complexType><xs:sequence>
          <xs:element name="invoiceId" type="xs:long"/><xs:element name="sum" type="xs:decimal"/>
          <xs:element name="iin" type="xs:string"/><xs:element name="at" type="xs:dateTime"/>
          <xs:element name="pdf" type="xs:base64Binary"/></xs:sequence></xs:complexType></xs:element>`),
      }),
    });
    const value = {
      invoiceId: '21374509837942784',
      sum: '0.10',
      iin: '000101500123',
      at: '2023-04-27T10:15:30.1234567+06:00',
      pdf: new Uint8Array([0, 1, 2, 255]),
    };
    expect(await roundTrip(meta, value)).toEqual(value);
  });
});

describe('facets', () => {
  it('patterns, lengths and bounds become checks before sending, naming the field', async () => {
    const { meta, errors } = await build({
      'service.wsdl': wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas:
          schema(`<xs:simpleType name="Iin"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{12}"/></xs:restriction></xs:simpleType>
          <xs:simpleType name="Month"><xs:restriction base="xs:int"><xs:minInclusive value="1"/><xs:maxInclusive value="12"/></xs:restriction></xs:simpleType>
          <xs:simpleType name="Code"><xs:restriction base="tns:Iin"><xs:maxLength value="12"/></xs:restriction></xs:simpleType>
          <xs:element name="Req"><xs:complexType><xs:sequence><xs:element name="iin" type="tns:Iin"/>
            <xs:element name="month" type="tns:Month"/><xs:element name="code" type="tns:Code" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>`),
      }),
    });
    expect(errors).toEqual([]);
    expect(meta.types.Code).toMatchObject({ facets: { patterns: ['^(?:[0-9]{12})$'], maxLength: 12 } });
    expect(await roundTrip(meta, { iin: '000101500123', month: 12 })).toEqual({ iin: '000101500123', month: 12 });
    await expect(roundTrip(meta, { iin: '0001015', month: 13, code: 'abc' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      issues: [
        { field: 'iin', message: expect.stringContaining('pattern') },
        { field: 'month', message: expect.stringContaining('at most 12') },
        { field: 'code', message: expect.stringContaining('pattern') },
      ],
    });
  });
});

describe('binding styles', () => {
  const rpcWsdl = (use = 'literal') => `<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:rpc" targetNamespace="urn:rpc" name="Rpc">
  <wsdl:types><xs:schema targetNamespace="urn:rpc"><xs:complexType name="Money"><xs:sequence>
    <xs:element name="amount" type="xs:decimal"/><xs:element name="currency" type="xs:string"/></xs:sequence></xs:complexType></xs:schema></wsdl:types>
  <wsdl:message name="PayIn"><wsdl:part name="account" type="xs:long"/><wsdl:part name="sum" type="tns:Money"/></wsdl:message>
  <wsdl:message name="PayOut"><wsdl:part name="paymentId" type="xs:long"/></wsdl:message>
  <wsdl:portType name="Port"><wsdl:operation name="pay"><wsdl:input message="tns:PayIn"/><wsdl:output message="tns:PayOut"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:Port"><soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="pay"><soap:operation soapAction="urn:rpc#pay"/>
      <wsdl:input><soap:body use="${use}" namespace="urn:rpc:body"/></wsdl:input><wsdl:output><soap:body use="${use}" namespace="urn:rpc:body"/></wsdl:output>
    </wsdl:operation></wsdl:binding>
  <wsdl:service name="RpcService"><wsdl:port name="P" binding="tns:B"><soap:address location="http://127.0.0.1/rpc"/></wsdl:port></wsdl:service>
</wsdl:definitions>`;

  it('rpc/literal: a wrapper named after the operation, one unqualified child per part', async () => {
    const { errors, meta } = await build({ 'service.wsdl': rpcWsdl() });
    expect(errors).toEqual([]);
    expect(meta.operations.pay?.input).toMatchObject({ name: 'pay', ns: 'urn:rpc:body' });
    expect(meta.operations.pay?.output).toMatchObject({ name: 'payResponse', ns: 'urn:rpc:body' });
    const client = new SoapClient(meta, { endpoint: 'http://127.0.0.1:9/' });
    const request = client.encodeRequest('pay', {
      account: '12345678901234567',
      sum: { amount: '10.50', currency: 'KZT' },
    });
    expect(request).toContain('<ns1:pay xmlns:ns1="urn:rpc:body"');
    expect(request).toContain(
      '<account>12345678901234567</account><sum><amount>10.50</amount><currency>KZT</currency></sum>',
    );
    const value = { account: '1', sum: { amount: '0.01', currency: 'USD' } };
    const codec = new SoapServiceCodec(meta);
    const decoded = await codec.decodeRequest(
      request.replace('12345678901234567', '1').replace('10.50', '0.01').replace('KZT', 'USD'),
    );
    expect(decoded.input).toEqual(value);
  });

  it('rpc/encoded: the same wrapper, every element with its xsi:type (more in encoded.test.ts)', async () => {
    const { errors, meta } = await build({ 'service.wsdl': rpcWsdl('encoded') });
    expect(errors).toEqual([]);
    expect(meta.operations.pay?.encoded).toBe(true);
    const request = new SoapClient(meta, { endpoint: 'http://127.0.0.1:9/' }).encodeRequest('pay', {
      account: '1',
      sum: { amount: '0.01', currency: 'USD' },
    });
    expect(request).toMatch(/<account xsi:type="xsd:long">1<\/account><sum xsi:type="ns\d:Money">/);
  });

  it('document messages with several body parts get a clear message', async () => {
    const dir = tempDir('styles');
    const twoParts = wsdl({
      tns: TNS,
      input: 'tns:Req',
      output: 'tns:Req',
      schemas: schema('<xs:element name="Req" type="xs:string"/><xs:element name="Other" type="xs:string"/>'),
    }).replace(
      '<wsdl:part name="p" element="tns:Req"/></wsdl:message>',
      '<wsdl:part name="p" element="tns:Req"/><wsdl:part name="q" element="tns:Other"/></wsdl:message>',
    );
    writeFiles(dir, { 'parts.wsdl': twoParts });
    await expect(generate({ wsdl: path.join(dir, 'parts.wsdl'), out: path.join(dir, 'out2') })).rejects.toThrow(
      /puts 2 parts in the Body/,
    );
  });
});
