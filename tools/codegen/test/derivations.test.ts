/**
 * Contracts other generators' test suites carry: derivations from simple, union, list and
 * enumeration types and from choice types, the .NET DataSet `ref="s:schema"`, and several inline
 * schemas sharing local names. Each generates code that type-checks under strict and round-trips.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SoapClient, SoapServiceCodec, type Transport } from '@kz/soap';
import { describe, expect, it, vi } from 'vitest';
import { generate, loadServiceMeta } from '../src/index.js';
import { tempDir, typeCheck, writeFiles, wsdl } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

async function build(serviceWsdl: string) {
  const dir = tempDir('derivation');
  writeFiles(dir, { 'service.wsdl': serviceWsdl });
  const out = path.join(dir, 'generated');
  await generate({ wsdl: path.join(dir, 'service.wsdl'), out });
  const meta = await loadServiceMeta(path.join(dir, 'service.wsdl'));
  return { types: readFileSync(path.join(out, 'types.ts'), 'utf8'), errors: typeCheck(out), meta };
}

async function roundTrip(meta: Awaited<ReturnType<typeof loadServiceMeta>>, input: unknown): Promise<unknown> {
  const codec = new SoapServiceCodec(meta);
  let received: unknown;
  const transport: Transport = {
    async send(request) {
      received = (await codec.decodeRequest(Buffer.from(request.body ?? []))).input;
      const body = codec.encodeResponse(meta.operations.Op as never, received, '1.1');
      return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) };
    },
  };
  const output = await new SoapClient(meta, { useContractEndpoints: true, transport }).invoke('Op', input);
  expect(output).toEqual(received);
  return received;
}

const TNS = 'urn:derive';
const schema = (body: string) =>
  `<xs:schema targetNamespace="${TNS}" elementFormDefault="qualified">${body}</xs:schema>`;

describe('derivations from simple, union, list and enumeration types', () => {
  it('simpleContent extension and restriction emit valid types', async () => {
    const { types, errors, meta } = await build(
      wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas: schema(`
          <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:enumeration value="A"/><xs:enumeration value="B"/></xs:restriction></xs:simpleType>
          <xs:simpleType name="CodeOrInt"><xs:union memberTypes="tns:Code xs:int"/></xs:simpleType>
          <xs:simpleType name="Codes"><xs:list itemType="tns:Code"/></xs:simpleType>
          <xs:complexType name="Coded"><xs:simpleContent><xs:extension base="tns:Code"><xs:attribute name="v" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>
          <xs:complexType name="Mixed"><xs:simpleContent><xs:extension base="tns:CodeOrInt"><xs:attribute name="v" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>
          <xs:complexType name="Listed"><xs:simpleContent><xs:extension base="tns:Codes"/></xs:simpleContent></xs:complexType>
          <xs:complexType name="OnlyA"><xs:simpleContent><xs:restriction base="tns:Coded"><xs:enumeration value="A"/></xs:restriction></xs:simpleContent></xs:complexType>
          <xs:complexType name="Tagged"><xs:complexContent><xs:extension base="tns:CodeOrInt"><xs:attribute name="tag" type="xs:string"/></xs:extension></xs:complexContent></xs:complexType>
          <xs:complexType name="Pick"><xs:choice><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:int"/></xs:choice></xs:complexType>
          <xs:complexType name="PickMore"><xs:complexContent><xs:extension base="tns:Pick"><xs:sequence><xs:element name="c" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
          <xs:element name="Req"><xs:complexType><xs:sequence>
            <xs:element name="coded" type="tns:Coded"/><xs:element name="mixed" type="tns:Mixed"/>
            <xs:element name="listed" type="tns:Listed"/><xs:element name="onlyA" type="tns:OnlyA"/>
            <xs:element name="tagged" type="tns:Tagged"/><xs:element name="pick" type="tns:PickMore"/>
          </xs:sequence></xs:complexType></xs:element>`),
      }),
    );
    expect(errors).toEqual([]);
    expect(types).not.toMatch(/extends (Code|CodeOrInt|Codes)\b/);
    const value = {
      coded: { $value: 'A', v: 'x' },
      mixed: { $value: '7', v: 'y' },
      listed: { $value: ['A', 'B'] },
      onlyA: { $value: 'A' },
      tagged: { $value: 'B', tag: 't' },
      pick: { b: 2, c: 'z' },
    };
    expect(await roundTrip(meta, value)).toEqual(value);
  });
});

describe('the .NET DataSet pattern', () => {
  it('ref="s:schema" followed by xs:any is an any-typed member', async () => {
    const { types, errors, meta } = await build(
      wsdl({
        tns: TNS,
        input: 'tns:Req',
        output: 'tns:Req',
        schemas: `<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" targetNamespace="${TNS}" elementFormDefault="qualified">
          <s:element name="Req"><s:complexType><s:sequence>
            <s:element name="data"><s:complexType><s:sequence><s:element ref="s:schema"/><s:any/></s:sequence></s:complexType></s:element>
          </s:sequence></s:complexType></s:element></s:schema>`,
      }),
    );
    expect(errors).toEqual([]);
    expect(types).toMatch(/schema: AnyXml;/);
    const value = { data: { schema: { $xml: '<x>1</x>' }, $any: [{ $xml: '<diffgr xmlns="urn:d">2</diffgr>' }] } };
    const received = (await roundTrip(meta, value)) as { data: { schema: unknown; $any: unknown[] } };
    expect(received.data.schema).toEqual({ $xml: '<x>1</x>' });
    expect(received.data.$any).toHaveLength(1);
  });
});

describe('several inline schemas', () => {
  it.each([
    ['without a location', '<xs:import namespace="urn:a"/>'],
    [
      'with a location only a server resolves (the inline sibling wins)',
      '<xs:import namespace="urn:a" schemaLocation="Service.svc?xsd=xsd0"/>',
    ],
  ])('a sibling imported %s', async (_, importA) => {
    const { errors, meta } = await build(siblings(importA));
    expect(errors).toEqual([]);
    expect(meta.operations.Op?.input).toMatchObject({ name: 'Item', ns: 'urn:b' });
  });

  it('same local names in different namespaces, parts in a sibling schema: resolved by namespace', async () => {
    const { types, errors, meta } = await build(siblings('<xs:import namespace="urn:a"/>'));
    expect(errors).toEqual([]);
    expect(meta.operations.Op?.input).toMatchObject({ name: 'Item', ns: 'urn:b' });
    expect(meta.operations.Op?.output).toMatchObject({ name: 'Item', ns: 'urn:a' });
    expect(types).toContain('export interface Item {');
  });
});

/** Two inline schemas declaring the same local names; the second refers to the first. */
function siblings(importA: string): string {
  return `<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:a="urn:a" xmlns:b="urn:b" xmlns:tns="urn:svc" targetNamespace="urn:svc">
  <wsdl:types>
    <xs:schema targetNamespace="urn:a" elementFormDefault="qualified">
      <xs:complexType name="Item"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:element name="Item" type="a:Item"/>
    </xs:schema>
    <xs:schema targetNamespace="urn:b" elementFormDefault="qualified">
      ${importA}
      <xs:complexType name="Item"><xs:sequence><xs:element name="y" type="xs:int"/><xs:element ref="a:Item"/></xs:sequence></xs:complexType>
      <xs:element name="Item" type="b:Item"/>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="In"><wsdl:part name="p" element="b:Item"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="p" element="a:Item"/></wsdl:message>
  <wsdl:portType name="Port"><wsdl:operation name="Op"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Op"><soap:operation soapAction="urn:op"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="P" binding="tns:Binding"><soap:address location="http://127.0.0.1/s"/></wsdl:port></wsdl:service>
</wsdl:definitions>`;
}
