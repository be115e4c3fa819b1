/**
 * WSDL shapes beyond one HTTP port: operations the service starts, abstract WSDLs, several ports
 * at different addresses, and bindings whose transport is not HTTP. What can be generated is,
 * and one line says what was left out.
 */
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { generate, loadServiceMeta } from '../src/index.js';
import { tempDir, typeCheck, writeFiles } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

const HEAD = `<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tns="urn:shapes" targetNamespace="urn:shapes" name="Shapes">
  <wsdl:types><xs:schema targetNamespace="urn:shapes" elementFormDefault="qualified">
    <xs:element name="Ping"><xs:complexType><xs:sequence><xs:element name="n" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="Pong"><xs:complexType><xs:sequence><xs:element name="m" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="Alert"><xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="Ping"><wsdl:part name="p" element="tns:Ping"/></wsdl:message>
  <wsdl:message name="Pong"><wsdl:part name="p" element="tns:Pong"/></wsdl:message>
  <wsdl:message name="Alert"><wsdl:part name="p" element="tns:Alert"/></wsdl:message>`;

const bindingOf = (
  name: string,
  port: string,
  ops: string[],
  soap = 'soap',
  transport = 'http://schemas.xmlsoap.org/soap/http',
) =>
  `<wsdl:binding name="${name}" type="tns:${port}"><${soap}:binding style="document" transport="${transport}"/>${ops
    .map(
      (op) =>
        `<wsdl:operation name="${op}"><${soap}:operation soapAction="urn:${op}"/><wsdl:input><${soap}:body use="literal"/></wsdl:input>${op === 'Send' ? '' : `<wsdl:output><${soap}:body use="literal"/></wsdl:output>`}</wsdl:operation>`,
    )
    .join('')}</wsdl:binding>`;

async function build(body: string) {
  const dir = tempDir('shapes');
  writeFiles(dir, { 'service.wsdl': `${HEAD}${body}</wsdl:definitions>` });
  const notes: string[] = [];
  const out = path.join(dir, 'generated');
  await generate({ wsdl: path.join(dir, 'service.wsdl'), out, onNote: (line) => notes.push(line) });
  return { notes, errors: typeCheck(out), meta: await loadServiceMeta(path.join(dir, 'service.wsdl')) };
}

describe('operations without an input', () => {
  it('notification and solicit-response: types generated, no method, one line each', async () => {
    const { notes, errors, meta } = await build(`
      <wsdl:portType name="Port">
        <wsdl:operation name="Call"><wsdl:input message="tns:Ping"/><wsdl:output message="tns:Pong"/></wsdl:operation>
        <wsdl:operation name="Send"><wsdl:input message="tns:Ping"/></wsdl:operation>
        <wsdl:operation name="Notify"><wsdl:output message="tns:Alert"/></wsdl:operation>
        <wsdl:operation name="Solicit"><wsdl:output message="tns:Alert"/><wsdl:input message="tns:Ping"/></wsdl:operation>
      </wsdl:portType>
      ${bindingOf('B', 'Port', ['Call', 'Send'])}
      <wsdl:service name="S"><wsdl:port name="P" binding="tns:B"><soap:address location="http://127.0.0.1/s"/></wsdl:port></wsdl:service>`);
    expect(errors).toEqual([]);
    expect(Object.keys(meta.operations)).toEqual(['Call', 'Send']);
    expect(meta.operations.Send?.output).toBeUndefined();
    expect(meta.types.Alert).toBeDefined();
    expect(notes).toEqual([
      expect.stringMatching(/^operation Notify is a notification .*no client method$/),
      expect.stringMatching(/^operation Solicit is solicit-response .*no client method$/),
    ]);
  });

  it('an abstract WSDL (portType, no binding) generates its operations and says what it assumed', async () => {
    const { notes, errors, meta } = await build(`
      <wsdl:portType name="Port"><wsdl:operation name="Call"><wsdl:input message="tns:Ping"/><wsdl:output message="tns:Pong"/></wsdl:operation></wsdl:portType>`);
    expect(errors).toEqual([]);
    expect(Object.keys(meta.operations)).toEqual(['Call']);
    expect(meta.defaultEndpoint).toBeUndefined();
    expect(notes).toEqual([expect.stringMatching(/^no SOAP binding \(an abstract WSDL\)/)]);
  });
});

describe('ports', () => {
  it('several ports at different addresses: each operation defaults to its own', async () => {
    const { notes, errors, meta } = await build(`
      <wsdl:portType name="A"><wsdl:operation name="Call"><wsdl:input message="tns:Ping"/><wsdl:output message="tns:Pong"/></wsdl:operation></wsdl:portType>
      <wsdl:portType name="B"><wsdl:operation name="Send"><wsdl:input message="tns:Ping"/></wsdl:operation></wsdl:portType>
      ${bindingOf('BA', 'A', ['Call'])}${bindingOf('BB', 'B', ['Send'])}
      <wsdl:service name="S">
        <wsdl:port name="PA" binding="tns:BA"><soap:address location="https://api.example.test/a"/></wsdl:port>
        <wsdl:port name="PB" binding="tns:BB"><soap:address location="https://api-3t.example.test/b"/></wsdl:port>
      </wsdl:service>`);
    expect(errors).toEqual([]);
    expect(notes).toEqual([]);
    expect(meta.defaultEndpoint).toBe('https://api.example.test/a');
    expect(meta.operations.Call?.endpoint).toBeUndefined();
    expect(meta.operations.Send?.endpoint).toBe('https://api-3t.example.test/b');
  });

  it('beside an HTTP binding, a net.tcp binding is left out, in one line', async () => {
    const { notes, errors, meta } = await build(`
      <wsdl:portType name="A"><wsdl:operation name="Call"><wsdl:input message="tns:Ping"/><wsdl:output message="tns:Pong"/></wsdl:operation></wsdl:portType>
      ${bindingOf('Http', 'A', ['Call'])}
      ${bindingOf('Tcp', 'A', ['Call'], 'soap12', 'http://schemas.microsoft.com/soap/tcp')}
      <wsdl:service name="S">
        <wsdl:port name="T" binding="tns:Tcp"><soap12:address location="net.tcp://localhost:808/s"/></wsdl:port>
        <wsdl:port name="H" binding="tns:Http"><soap:address location="http://127.0.0.1/s"/></wsdl:port>
      </wsdl:service>`);
    expect(errors).toEqual([]);
    expect(meta.soapVersions).toEqual(['1.1']);
    expect(meta.defaultEndpoint).toBe('http://127.0.0.1/s');
    expect(meta.operations.Call?.endpoint).toBeUndefined();
    expect(notes).toEqual([
      'binding Tcp: its transport http://schemas.microsoft.com/soap/tcp is not HTTP; left out (the HTTP bindings are generated)',
    ]);
  });

  it('a binding whose transport is not HTTP is named in one line', async () => {
    const { notes, errors, meta } = await build(`
      <wsdl:portType name="A"><wsdl:operation name="Call"><wsdl:input message="tns:Ping"/><wsdl:output message="tns:Pong"/></wsdl:operation></wsdl:portType>
      ${bindingOf('Pipe', 'A', ['Call'], 'soap12', 'http://schemas.microsoft.com/soap/named-pipe')}
      <wsdl:service name="S"><wsdl:port name="P" binding="tns:Pipe"><soap12:address location="net.pipe://localhost/s"/></wsdl:port></wsdl:service>`);
    expect(errors).toEqual([]);
    expect(meta.soapVersions).toEqual(['1.2']);
    expect(meta.defaultEndpoint).toBeUndefined();
    expect(notes).toEqual([
      expect.stringMatching(
        /^binding Pipe: its transport http:\/\/schemas\.microsoft\.com\/soap\/named-pipe is not HTTP; its operations are generated/,
      ),
      expect.stringMatching(/^no port has an HTTP address \(net\.pipe:\/\/localhost\/s\)/),
    ]);
  });
});
