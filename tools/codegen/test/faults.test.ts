/**
 * wsdl:fault: each operation's faults in the metadata, one class per fault element with its
 * detail typed, registered on the generated client so a fault raises its own class.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ServiceMeta, SoapFaultError, type Transport } from '@kz/soap';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { generate, loadServiceMeta } from '../src/index.js';
import { tempDir, typeCheck, writeFiles } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

const TNS = 'urn:faults';
const WSDL = `<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${TNS}" targetNamespace="${TNS}" name="Faults">
  <wsdl:types><xs:schema targetNamespace="${TNS}" elementFormDefault="qualified">
    <xs:element name="Get"><xs:complexType><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="GetResponse"><xs:complexType><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="Put"><xs:complexType><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="PutResponse"><xs:complexType/></xs:element>
    <xs:complexType name="Reason"><xs:sequence>
      <xs:element name="code"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="NO_RIGHT"/><xs:enumeration value="EXPIRED"/></xs:restriction></xs:simpleType></xs:element>
      <xs:element name="text" type="xs:string" minOccurs="0"/>
    </xs:sequence></xs:complexType>
    <xs:element name="accessDenied" type="tns:Reason"/>
    <xs:element name="NotFoundFault"><xs:complexType><xs:sequence><xs:element name="id" type="xs:long"/></xs:sequence></xs:complexType></xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="Get"><wsdl:part name="p" element="tns:Get"/></wsdl:message>
  <wsdl:message name="GetResponse"><wsdl:part name="p" element="tns:GetResponse"/></wsdl:message>
  <wsdl:message name="Put"><wsdl:part name="p" element="tns:Put"/></wsdl:message>
  <wsdl:message name="PutResponse"><wsdl:part name="p" element="tns:PutResponse"/></wsdl:message>
  <wsdl:message name="AccessDenied"><wsdl:part name="fault" element="tns:accessDenied"/></wsdl:message>
  <wsdl:message name="NotFound"><wsdl:part name="fault" element="tns:NotFoundFault"/></wsdl:message>
  <wsdl:message name="Typed"><wsdl:part name="fault" type="xs:string"/></wsdl:message>
  <wsdl:portType name="Port">
    <wsdl:operation name="Get"><wsdl:input message="tns:Get"/><wsdl:output message="tns:GetResponse"/>
      <wsdl:fault name="AccessDeniedFault" message="tns:AccessDenied"/><wsdl:fault name="NotFound" message="tns:NotFound"/></wsdl:operation>
    <wsdl:operation name="Put"><wsdl:input message="tns:Put"/><wsdl:output message="tns:PutResponse"/>
      <wsdl:fault name="AccessDeniedFault" message="tns:AccessDenied"/><wsdl:fault name="Odd" message="tns:Typed"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="B" type="tns:Port"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Get"><soap:operation soapAction="urn:get"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
      <wsdl:fault name="AccessDeniedFault"><soap:fault name="AccessDeniedFault" use="literal"/></wsdl:fault><wsdl:fault name="NotFound"><soap:fault name="NotFound" use="literal"/></wsdl:fault></wsdl:operation>
    <wsdl:operation name="Put"><soap:operation soapAction="urn:put"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
      <wsdl:fault name="AccessDeniedFault"><soap:fault name="AccessDeniedFault" use="literal"/></wsdl:fault></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="FaultsService"><wsdl:port name="P" binding="tns:B"><soap:address location="http://127.0.0.1:9/faults"/></wsdl:port></wsdl:service>
</wsdl:definitions>`;

let out = '';
let meta: ServiceMeta;
const notes: string[] = [];

beforeAll(async () => {
  const dir = tempDir('faults');
  writeFiles(dir, { 'service.wsdl': WSDL });
  out = path.join(dir, 'generated');
  await generate({ wsdl: path.join(dir, 'service.wsdl'), out, onNote: (line) => notes.push(line) });
  meta = await loadServiceMeta(path.join(dir, 'service.wsdl'));
});

describe('wsdl:fault in the codegen', () => {
  it("puts each operation's faults in the metadata, with their detail types", () => {
    expect(meta.operations.Get?.faults).toEqual([
      { name: 'AccessDeniedFault', element: { name: 'accessDenied', ns: TNS }, type: 'Reason' },
      { name: 'NotFound', element: { name: 'NotFoundFault', ns: TNS }, type: 'NotFoundFault' },
    ]);
    expect(meta.operations.Put?.faults).toEqual([
      { name: 'AccessDeniedFault', element: { name: 'accessDenied', ns: TNS }, type: 'Reason' },
    ]);
    expect(meta.types.Reason).toBeDefined();
    expect(meta.types.NotFoundFault).toBeDefined();
    expect(notes).toEqual([expect.stringMatching(/^operation Put: fault Odd has no message with an element part/)]);
  });

  it('emits one class per fault element, detail typed (output side), without name clashes', () => {
    const faults = readFileSync(path.join(out, 'faults.ts'), 'utf8');
    expect(faults).toContain('export class AccessDeniedFault extends SoapFaultError<Reason> {');
    // The element NotFoundFault's type has that name already: the class gets another.
    expect(faults).toContain('export class NotFoundFault2 extends SoapFaultError<NotFoundFault> {');
    expect(faults).toContain(
      'export const faultClasses: readonly SoapFaultClass[] = [AccessDeniedFault, NotFoundFault2];',
    );
    expect(readFileSync(path.join(out, 'client.ts'), 'utf8')).toContain('.registerFaults(faultClasses)');
    expect(readFileSync(path.join(out, 'index.ts'), 'utf8')).toContain("export * from './faults.js';");
    // Read like an output: the enumeration is widened.
    expect(readFileSync(path.join(out, 'types.ts'), 'utf8')).toMatch(/code: ReasonCode \| \(string & \{\}\)/);
    expect(typeCheck(out)).toEqual([]);
  });

  it('the generated client raises the class of the fault element in the detail', async () => {
    const module = (await import(path.join(out, 'index.ts'))) as Record<string, unknown>;
    const answer = (detail: string): Transport => ({
      send: async () => ({
        status: 500,
        headers: { 'content-type': 'text/xml' },
        body: Buffer.from(
          `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>no</faultstring><detail>${detail}</detail></s:Fault></s:Body></s:Envelope>`,
        ),
      }),
    });
    const Client = module.FaultsServiceClient as new (o: {
      useContractEndpoints: boolean;
      transport: Transport;
    }) => {
      get(input: unknown): Promise<unknown>;
    };
    const AccessDenied = module.AccessDeniedFault as typeof SoapFaultError<unknown>;
    const NotFound = module.NotFoundFault2 as typeof SoapFaultError<unknown>;
    const denied = await new Client({
      useContractEndpoints: true,
      transport: answer(`<accessDenied xmlns="${TNS}"><code>NEW_CODE</code></accessDenied>`),
    })
      .get({ id: 1 })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AccessDenied);
    expect(denied).toBeInstanceOf(SoapFaultError);
    expect((denied as SoapFaultError<unknown>).detail).toEqual({ code: 'NEW_CODE' });
    const notFound = await new Client({
      useContractEndpoints: true,
      transport: answer(`<f:NotFoundFault xmlns:f="${TNS}"><f:id>9007199254740993</f:id></f:NotFoundFault>`),
    })
      .get({ id: 1 })
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NotFound);
    expect((notFound as SoapFaultError<unknown>).detail).toEqual({ id: '9007199254740993' });
  });

  it('reads the binding faults: each mismatch with the portType is one note, the classes come from the portType', async () => {
    const binding = (body: string) =>
      `<wsdl:binding name="B" type="tns:Port"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>${body}</wsdl:binding>`;
    const io =
      '<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>';
    const mismatched = WSDL.replace(
      /<wsdl:binding[\s\S]*<\/wsdl:binding>/,
      binding(
        // Get: AccessDeniedFault's soap:fault named otherwise and encoded; NotFound not bound.
        `<wsdl:operation name="Get"><soap:operation soapAction="urn:get"/>${io}<wsdl:fault name="AccessDeniedFault"><soap:fault name="Denied" use="encoded"/></wsdl:fault></wsdl:operation>` +
          // Put: AccessDeniedFault without soap:fault; Ghost is no fault of the portType.
          `<wsdl:operation name="Put"><soap:operation soapAction="urn:put"/>${io}<wsdl:fault name="AccessDeniedFault"/><wsdl:fault name="Ghost"><soap:fault name="Ghost" use="literal"/></wsdl:fault></wsdl:operation>`,
      ),
    );
    expect(mismatched).not.toBe(WSDL);
    const dir = tempDir('faults-bound');
    writeFiles(dir, { 'service.wsdl': mismatched });
    const seen: string[] = [];
    await generate({ wsdl: path.join(dir, 'service.wsdl'), out: path.join(dir, 'out'), onNote: (l) => seen.push(l) });
    expect(seen.sort()).toEqual(
      [
        'operation Get: binding B fault AccessDeniedFault is use="encoded": its detail is read by the literal rules',
        'operation Get: binding B fault AccessDeniedFault: its soap:fault is named Denied; the wsdl:fault name is used',
        'operation Get: fault NotFound is not bound in binding B; its class is generated from the portType all the same',
        'operation Put: binding B fault AccessDeniedFault has no soap:fault; read as use="literal"',
        'operation Put: binding B fault Ghost is not a fault of the portType operation; ignored',
        'operation Put: fault Odd has no message with an element part; its detail stays raw XML',
      ].sort(),
    );
    const bound = await loadServiceMeta(path.join(dir, 'service.wsdl'));
    expect(bound.operations.Get?.faults?.map((f) => f.name)).toEqual(['AccessDeniedFault', 'NotFound']);
    expect(bound.operations.Put?.faults?.map((f) => f.name)).toEqual(['AccessDeniedFault']);
  });

  it('refuses an operation declaring one fault name twice', async () => {
    const twice = WSDL.replace(
      '<wsdl:fault name="NotFound" message="tns:NotFound"/></wsdl:operation>',
      '<wsdl:fault name="NotFound" message="tns:NotFound"/><wsdl:fault name="NotFound" message="tns:AccessDenied"/></wsdl:operation>',
    );
    expect(twice).not.toBe(WSDL);
    const dir = tempDir('faults-twice');
    writeFiles(dir, { 'service.wsdl': twice });
    await expect(loadServiceMeta(path.join(dir, 'service.wsdl'))).rejects.toThrow(
      /service\.wsdl: operation Get declares fault NotFound twice/,
    );
  });

  it('contracts without wsdl:fault generate no faults file and no faults in the metadata', async () => {
    const dir = tempDir('no-faults');
    const plain = WSDL.replace(/<wsdl:fault [^>]*\/>/g, '').replace(
      /<wsdl:fault name="\w+"><soap:fault [^>]*\/><\/wsdl:fault>/g,
      '',
    );
    writeFiles(dir, { 'service.wsdl': plain });
    const files = await generate({ wsdl: path.join(dir, 'service.wsdl'), out: path.join(dir, 'generated') });
    expect(files.files.map((f) => path.basename(f)).sort()).toEqual(['client.ts', 'index.ts', 'schema.ts', 'types.ts']);
    const plainMeta = await loadServiceMeta(path.join(dir, 'service.wsdl'));
    expect(Object.values(plainMeta.operations).some((op) => 'faults' in op)).toBe(false);
  });
});
