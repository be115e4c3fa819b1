/**
 * The per-package config (kz-codegen.json): one command generates and checks every contract of a
 * package; WSDLs naming one shared module declare the types (and fault classes) they have in
 * common once, there; a bad config is a one-line usage error (exit 2).
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { ServiceMeta } from '@kz/soap';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir, typeCheck, writeFiles, XS } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

const run = promisify(execFile);
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');

async function cli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A common schema both WSDLs import: a Party type, an enumeration and a fault element. */
const COMMON = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="${XS}" xmlns:c="urn:common" targetNamespace="urn:common" elementFormDefault="qualified">
  <xs:simpleType name="Kind"><xs:restriction base="xs:string"><xs:enumeration value="A"/><xs:enumeration value="B"/></xs:restriction></xs:simpleType>
  <xs:complexType name="Party"><xs:sequence>
    <xs:element name="name" type="xs:string"/><xs:element name="kind" type="c:Kind" minOccurs="0"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="ErrorInfo"><xs:sequence><xs:element name="code" type="xs:string"/></xs:sequence></xs:complexType>
  <xs:element name="ServiceFault" type="c:ErrorInfo"/>
</xs:schema>`;

/** One WSDL of the service: its own request and response, the common Party and fault. */
function serviceWsdl(name: string): string {
  const tns = `urn:${name}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="${XS}" xmlns:tns="${tns}" xmlns:c="urn:common" targetNamespace="${tns}" name="${name}">
  <wsdl:types><xs:schema targetNamespace="${tns}" elementFormDefault="qualified">
    <xs:import namespace="urn:common" schemaLocation="common.xsd"/>
    <xs:element name="${name}Req"><xs:complexType><xs:sequence><xs:element name="party" type="c:Party"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="${name}Res"><xs:complexType><xs:sequence><xs:element name="party" type="c:Party"/></xs:sequence></xs:complexType></xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="In"><wsdl:part name="p" element="tns:${name}Req"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="p" element="tns:${name}Res"/></wsdl:message>
  <wsdl:message name="Fault"><wsdl:part name="f" element="c:ServiceFault"/></wsdl:message>
  <wsdl:portType name="Port"><wsdl:operation name="${name}Op"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/><wsdl:fault name="serviceFault" message="tns:Fault"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="${name}Op"><soap:operation soapAction="urn:op"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output><wsdl:fault name="serviceFault"><soap:fault name="serviceFault" use="literal"/></wsdl:fault></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="${name}Service"><wsdl:port name="P" binding="tns:Binding"><soap:address location="http://127.0.0.1/${name}"/></wsdl:port></wsdl:service>
</wsdl:definitions>`;
}

const CONFIG = {
  contracts: [
    { wsdl: 'specs/First.wsdl', out: 'src/generated/first', shared: 'common' },
    { wsdl: 'specs/Second.wsdl', out: 'src/generated/second', shared: 'common' },
  ],
  shared: { common: 'src/generated/common' },
};

describe('a config with a shared module', () => {
  let dir: string;
  const read = (file: string) => readFileSync(path.join(dir, 'src/generated', file), 'utf8');

  beforeAll(async () => {
    dir = tempDir('config');
    writeFiles(dir, {
      'specs/common.xsd': COMMON,
      'specs/First.wsdl': serviceWsdl('First'),
      'specs/Second.wsdl': serviceWsdl('Second'),
      'kz-codegen.json': JSON.stringify(CONFIG),
    });
    const { code, stderr } = await cli(dir, 'generate');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 120_000);

  it('declares a type both WSDLs use once, in the shared module, and each WSDL re-exports it', () => {
    const declared = (file: string, name: string) =>
      (read(file).match(new RegExp(`export (interface|type) ${name}\\b`, 'g')) ?? []).length;
    for (const name of ['Party', 'Kind', 'ErrorInfo']) {
      expect(declared('common/types.ts', name), name).toBe(1);
      expect(declared('first/types.ts', name), name).toBe(0);
      expect(declared('second/types.ts', name), name).toBe(0);
    }
    expect(read('first/types.ts')).toMatch(/import type \{[^}]*\bParty\b[^}]*\} from '\.\.\/common\/types\.js'/);
    expect(read('first/types.ts')).toMatch(/export type \{[^}]*\bParty\b/);
    // What only one WSDL has stays in its own module.
    expect(declared('first/types.ts', 'FirstReq')).toBe(1);
    expect(read('common/types.ts')).not.toContain('FirstReq');
  });

  it('emits the shared fault class once, and each WSDL registers it', () => {
    expect(read('common/faults.ts')).toContain('export class ServiceFault extends SoapFaultError<ErrorInfo>');
    for (const member of ['first', 'second']) {
      const faults = read(`${member}/faults.ts`);
      expect(faults).not.toContain('class ServiceFault');
      expect(faults).toContain("import { ServiceFault } from '../common/faults.js'");
      expect(faults).toContain('faultClasses: readonly SoapFaultClass[] = [ServiceFault]');
    }
  });

  it('gives both services the one metadata object of a shared type, and type-checks', async () => {
    const load = async (member: string) =>
      (await import(pathToFileURL(path.join(dir, 'src/generated', member, 'schema.ts')).href))
        .serviceMeta as ServiceMeta;
    const [first, second] = [await load('first'), await load('second')];
    expect(first.types.Party).toBeDefined();
    expect(first.types.Party).toBe(second.types.Party);
    expect(first.types.FirstReq).toBeDefined();
    expect(second.types.FirstReq).toBeUndefined();
    expect(typeCheck(path.join(dir, 'src/generated'))).toEqual([]);
  }, 120_000);

  it('--check passes on fresh output and names a stale shared file', async () => {
    expect((await cli(dir, 'generate', '--check')).code).toBe(0);
    const file = path.join(dir, 'src/generated/common/types.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// edited\n`);
    const stale = await cli(dir, 'generate', '--config', 'kz-codegen.json', '--check');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(file);
    expect((await cli(dir, 'generate')).code).toBe(0);
    expect((await cli(dir, 'generate', '--check')).code).toBe(0);
  });
});

describe('metadata is compact', () => {
  it('interns each namespace once and omits the defaults', async () => {
    const dir = tempDir('compact');
    writeFiles(dir, {
      'specs/common.xsd': COMMON,
      'specs/First.wsdl': serviceWsdl('First'),
    });
    const { code } = await cli(dir, 'generate', '--wsdl', 'specs/First.wsdl', '--out', 'out');
    expect(code).toBe(0);
    const schema = readFileSync(path.join(dir, 'out/schema.ts'), 'utf8');
    expect(schema.match(/"urn:common"/g)).toHaveLength(1);
    expect(schema).toMatch(/^const ns\d+ = "urn:common";$/m);
    // party: prop = name, min = max = 1, not safe: none written.
    expect(schema).toMatch(/\{name:"party",ns:ns\d+,type:"Party"\}/);
    expect(schema).not.toMatch(/\bmin:1\b|\bmax:1\b|safe:false|"prop"/);
    const meta = (await import(pathToFileURL(path.join(dir, 'out/schema.ts')).href)).serviceMeta as ServiceMeta;
    expect(meta.operations.FirstOp?.safe).toBeUndefined();
  });
});

describe('a bad config is a usage error (exit 2, one line naming the file)', () => {
  const cases: [string, string | undefined, RegExp][] = [
    ['missing file', undefined, /nope\.json: no such file/],
    ['not JSON', '{ contracts: ', /kz-codegen\.json: is not JSON/],
    ['no contracts', '{}', /"contracts" must be a non-empty array/],
    ['unknown field', '{"contracts":[{"wsdl":"a.wsdl","out":"x","outt":"y"}]}', /contracts\[0\]: unknown field "outt"/],
    ['two inputs', '{"contracts":[{"wsdl":"a.wsdl","xsd":"b.xsd","out":"x"}]}', /exactly one of "wsdl", "xsd"/],
    ['no out', '{"contracts":[{"wsdl":"a.wsdl"}]}', /contracts\[0\]\.out must be an output folder/],
    [
      'unknown shared module',
      '{"contracts":[{"wsdl":"a.wsdl","out":"x","shared":"common"}]}',
      /contracts\[0\]\.shared must name a module of "shared"/,
    ],
    [
      'a shared module of one contract',
      '{"contracts":[{"wsdl":"a.wsdl","out":"x","shared":"c"}],"shared":{"c":"common"}}',
      /shared\.c needs at least two contracts/,
    ],
    [
      'one folder twice',
      '{"contracts":[{"wsdl":"a.wsdl","out":"x"},{"xsd":"b.xsd","out":"x"}]}',
      /two outputs go to x/,
    ],
  ];

  it.each(cases)('%s', async (_name, content, message) => {
    const dir = tempDir('bad-config');
    if (content !== undefined) writeFiles(dir, { 'kz-codegen.json': content });
    const args = content === undefined ? ['--config', 'nope.json'] : ['--config', 'kz-codegen.json'];
    const { code, stdout, stderr } = await cli(dir, 'generate', ...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses --config together with an input or --out', async () => {
    const dir = tempDir('bad-config');
    const { code, stderr } = await cli(dir, 'generate', '--config', 'kz-codegen.json', '--wsdl', 'a.wsdl');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--config names the inputs and outputs: give no --wsdl/);
  });

  it('without a config or an input flag, says what to give', async () => {
    const { code, stderr } = await cli(tempDir('no-config'), 'generate');
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing input: give --wsdl, --xsd or --openapi \(or run where a kz-codegen\.json is\)/);
  });
});
