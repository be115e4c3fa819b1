/** Helpers: write small contracts to a temp folder, generate, and type-check the output. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A temp folder inside the repo (gitignored), so generated code resolves @kz/soap. */
export function tempDir(prefix: string): string {
  const base = path.join(ROOT, '.tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, `${prefix}-`));
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
}

export const XS = 'http://www.w3.org/2001/XMLSchema';

/** A one-operation document/literal WSDL around the given schema(s) and wrapper elements. */
export function wsdl(options: {
  tns: string;
  schemas: string;
  input: string;
  output: string;
  extraNs?: string;
}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="${XS}" xmlns:tns="${options.tns}" ${options.extraNs ?? ''} targetNamespace="${options.tns}" name="Test">
  <wsdl:types>${options.schemas}</wsdl:types>
  <wsdl:message name="In"><wsdl:part name="p" element="${options.input}"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="p" element="${options.output}"/></wsdl:message>
  <wsdl:portType name="Port"><wsdl:operation name="Op"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Op"><soap:operation soapAction="urn:op"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="TestService"><wsdl:port name="P" binding="tns:Binding"><soap:address location="http://127.0.0.1/test"/></wsdl:port></wsdl:service>
</wsdl:definitions>`;
}

/** Type-checks a folder of generated code with the repo's strict settings; returns the errors. */
export function typeCheck(dir: string): string[] {
  const configPath = path.join(ROOT, 'tsconfig.base.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile.bind(ts.sys));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const files = ts.sys.readDirectory(dir, ['.ts']);
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
