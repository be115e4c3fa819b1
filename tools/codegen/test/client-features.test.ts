/**
 * Client features of the per-package config: `bind` fills input elements from the constructor
 * (the methods' input types leave them out) and `unwrapResults` returns a .NET answer's single
 * `<operation>Result`; both checked on the wire and by the type checker.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Transport } from '@kz/soap';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir, typeCheck, writeFiles, XS } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

const run = promisify(execFile);
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');
const TNS = 'urn:bank';

/** GetThing takes the bound bankCode and answers one GetThingResult; Echo answers two elements (not unwrapped). */
const WSDL = `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="${XS}" xmlns:tns="${TNS}" targetNamespace="${TNS}" name="Bank">
  <wsdl:types><xs:schema targetNamespace="${TNS}" elementFormDefault="qualified">
    <xs:element name="GetThing"><xs:complexType><xs:sequence>
      <xs:element name="bankCode" type="xs:string"/><xs:element name="id" type="xs:int"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:element name="GetThingResponse"><xs:complexType><xs:sequence>
      <xs:element name="GetThingResult" type="xs:string" minOccurs="0"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:element name="Echo"><xs:complexType><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="EchoResponse"><xs:complexType><xs:sequence>
      <xs:element name="EchoResult" type="xs:string"/><xs:element name="note" type="xs:string" minOccurs="0"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="GetThingIn"><wsdl:part name="p" element="tns:GetThing"/></wsdl:message>
  <wsdl:message name="GetThingOut"><wsdl:part name="p" element="tns:GetThingResponse"/></wsdl:message>
  <wsdl:message name="EchoIn"><wsdl:part name="p" element="tns:Echo"/></wsdl:message>
  <wsdl:message name="EchoOut"><wsdl:part name="p" element="tns:EchoResponse"/></wsdl:message>
  <wsdl:portType name="Port">
    <wsdl:operation name="GetThing"><wsdl:input message="tns:GetThingIn"/><wsdl:output message="tns:GetThingOut"/></wsdl:operation>
    <wsdl:operation name="Echo"><wsdl:input message="tns:EchoIn"/><wsdl:output message="tns:EchoOut"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="GetThing"><soap:operation soapAction="urn:GetThing"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
    <wsdl:operation name="Echo"><soap:operation soapAction="urn:Echo"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="BankService"><wsdl:port name="P" binding="tns:Binding"><soap:address location="http://127.0.0.1/bank"/></wsdl:port></wsdl:service>
</wsdl:definitions>`;

/** A transport that keeps the request and answers `body`. */
function answering(body: string): Transport & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async send(request) {
      sent.push(String(request.body));
      return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) };
    },
  };
}

const envelope = (inner: string) =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${inner}</s:Body></s:Envelope>`;

async function generate(dir: string, contract: Record<string, unknown>) {
  writeFiles(dir, {
    'specs/Bank.wsdl': WSDL,
    'kz-codegen.json': JSON.stringify({ contracts: [{ wsdl: 'specs/Bank.wsdl', out: 'out', ...contract }] }),
  });
  return run(process.execPath, [CLI, 'generate'], { cwd: dir, timeout: 30_000 });
}

describe('bind and unwrapResults', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('features');
    await generate(dir, { bind: ['bankCode'], unwrapResults: true });
  }, 120_000);

  it('fills the bound element on the wire and returns the single Result', async () => {
    const { BankServiceClient } = await import(pathToFileURL(path.join(dir, 'out/client.ts')).href);
    const transport = answering(
      envelope(`<GetThingResponse xmlns="${TNS}"><GetThingResult>found</GetThingResult></GetThingResponse>`),
    );
    const client = new BankServiceClient({
      endpoint: 'http://127.0.0.1:9/bank',
      transport,
      bound: { bankCode: 'ALSC' },
    });
    expect(await client.getThing({ id: 7 })).toBe('found');
    expect(transport.sent[0]).toMatch(/<(\w+:)?bankCode>ALSC<\/(\w+:)?bankCode><(\w+:)?id>7</);
  });

  it('leaves an answer with more than the Result as it is, and an input without the element untouched', async () => {
    const { BankServiceClient } = await import(pathToFileURL(path.join(dir, 'out/client.ts')).href);
    const transport = answering(
      envelope(`<EchoResponse xmlns="${TNS}"><EchoResult>hi</EchoResult><note>n</note></EchoResponse>`),
    );
    const client = new BankServiceClient({
      endpoint: 'http://127.0.0.1:9/bank',
      transport,
      bound: { bankCode: 'ALSC' },
    });
    expect(await client.echo({ text: 'hi' })).toEqual({ EchoResult: 'hi', note: 'n' });
    expect(transport.sent[0]).not.toContain('bankCode');
  });

  it('types say it: the bound element is not an input, the constructor requires it, the result is unwrapped', () => {
    const client = readFileSync(path.join(dir, 'out/client.ts'), 'utf8');
    expect(client).toContain('getThing(input: Omit<GetThing, "bankCode">');
    expect(client).toContain('Promise<GetThingResponse["GetThingResult"]>');
    expect(client).toContain('export type BankServiceBound = Required<Pick<GetThing, "bankCode">>;');
    writeFiles(dir, {
      'out/usage.ts': `import { BankServiceClient } from './client.js';
const client = new BankServiceClient({ endpoint: 'http://127.0.0.1:9/bank', bound: { bankCode: 'ALSC' } });
export const thing: Promise<string | undefined> = client.getThing({ id: 1 });
// @ts-expect-error the bound element is not an input
client.getThing({ id: 1, bankCode: 'X' });
// @ts-expect-error the constructor needs the bound values
new BankServiceClient({ endpoint: 'http://127.0.0.1:9/bank' });
`,
    });
    expect(typeCheck(path.join(dir, 'out'))).toEqual([]);
  }, 120_000);

  it('a bad feature in the config is a usage error', async () => {
    const bad = tempDir('features-bad');
    const error = (await generate(bad, { bind: 'bankCode' }).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(/bind must be a non-empty list/);
  });
});
