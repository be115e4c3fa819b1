/**
 * Versions follow the API: regenerating after a spec change writes a changeset whose bump and
 * text come from comparing the generated API before and after (before/after specs per case).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { apiSurface, diffApi } from '../src/api-diff.js';
import { tempDir, writeFiles, wsdl } from './support.js';

const run = promisify(execFile);
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');
const TNS = 'urn:test';

const spec = (fields: string, extraTypes = '', doc = 'A request.') =>
  wsdl({
    tns: TNS,
    input: 'tns:Req',
    output: 'tns:Res',
    schemas: `<xs:schema targetNamespace="${TNS}" elementFormDefault="qualified">
      <xs:simpleType name="State"><xs:annotation><xs:documentation>${doc}</xs:documentation></xs:annotation><xs:restriction base="xs:string"><xs:enumeration value="OK"/><xs:enumeration value="CLOSED"/>${extraTypes}</xs:restriction></xs:simpleType>
      <xs:element name="Req"><xs:complexType><xs:sequence>${fields}</xs:sequence></xs:complexType></xs:element>
      <xs:element name="Res"><xs:complexType><xs:sequence><xs:element name="state" type="tns:State"/></xs:sequence></xs:complexType></xs:element>
    </xs:schema>`,
  });

const BASE = '<xs:element name="id" type="xs:string"/><xs:element name="note" type="xs:string" minOccurs="0"/>';

/** Generates `before`, then regenerates with `after` and --changeset; returns the changeset written. */
async function regenerate(before: string, after: string): Promise<string | undefined> {
  const dir = tempDir('api-diff');
  writeFiles(dir, {
    '.changeset/config.json': '{}',
    'pkg/package.json': '{"name":"@kz/example","version":"1.0.0"}',
    'spec.wsdl': before,
  });
  const out = path.join(dir, 'pkg/src/generated');
  await run(process.execPath, [CLI, 'generate', '--wsdl', path.join(dir, 'spec.wsdl'), '--out', out, '--changeset']);
  expect(readdirSync(path.join(dir, '.changeset'))).toEqual(['config.json']);
  writeFileSync(path.join(dir, 'spec.wsdl'), after);
  const { stdout } = await run(process.execPath, [
    CLI,
    'generate',
    '--wsdl',
    path.join(dir, 'spec.wsdl'),
    '--out',
    out,
    '--changeset',
  ]);
  const written = readdirSync(path.join(dir, '.changeset')).filter((f) => f !== 'config.json');
  if (written.length === 0) return undefined;
  expect(stdout).toContain('the API changed');
  expect(written).toHaveLength(1);
  expect(written[0]).toMatch(/^kz-example-api-[0-9a-f]{8}\.md$/);
  return readFileSync(path.join(dir, '.changeset', written[0] as string), 'utf8');
}

describe('kz-codegen --changeset', () => {
  it('a removed field is major', async () => {
    const changeset = await regenerate(spec(BASE), spec('<xs:element name="id" type="xs:string"/>'));
    expect(changeset).toMatch(/^---\n"@kz\/example": major\n---/);
    expect(changeset).toContain('- removed field Req.note');
  }, 30_000);

  it('an optional field made required is major (narrowed)', async () => {
    const changeset = await regenerate(
      spec(BASE),
      spec('<xs:element name="id" type="xs:string"/><xs:element name="note" type="xs:string"/>'),
    );
    expect(changeset).toContain('"@kz/example": major');
    expect(changeset).toContain('- Req.note is now required');
  }, 30_000);

  it('a removed enumeration value is major, an added one minor', async () => {
    const removed = await regenerate(spec(BASE, '<xs:enumeration value="EXPIRED"/>'), spec(BASE));
    expect(removed).toContain('"@kz/example": major');
    expect(removed).toContain('- State: removed value(s) EXPIRED');
    const added = await regenerate(spec(BASE), spec(BASE, '<xs:enumeration value="EXPIRED"/>'));
    expect(added).toContain('"@kz/example": minor');
    expect(added).toContain('- State: added value(s) EXPIRED');
  }, 60_000);

  it('an added optional field is minor', async () => {
    const changeset = await regenerate(
      spec(BASE),
      spec(`${BASE}<xs:element name="extra" type="xs:int" minOccurs="0"/>`),
    );
    expect(changeset).toContain('"@kz/example": minor');
    expect(changeset).toContain('- added field Req.extra');
  }, 30_000);

  it('a changed type is major, also when its TypeScript type stays the same (xs:string -> xs:long)', async () => {
    const changeset = await regenerate(
      spec(BASE),
      spec('<xs:element name="id" type="xs:long"/><xs:element name="note" type="xs:string" minOccurs="0"/>'),
    );
    expect(changeset).toContain('"@kz/example": major');
    expect(changeset).toContain('- Req.id (XML): type xs:string -> xs:long');
  }, 30_000);

  it('a new facet (narrower values) is major', async () => {
    const narrowed = (extra: string) =>
      spec(BASE)
        .replace(
          '<xs:element name="Res">',
          `<xs:simpleType name="Iin"><xs:restriction base="xs:string">${extra}</xs:restriction></xs:simpleType><xs:element name="Res">`,
        )
        .replace('<xs:element name="id" type="xs:string"/>', '<xs:element name="id" type="tns:Iin"/>');
    const changeset = await regenerate(narrowed(''), narrowed('<xs:pattern value="[0-9]{12}"/>'));
    expect(changeset).toContain('"@kz/example": major');
    expect(changeset).toContain('Iin (XML): type');
  }, 30_000);

  it('documentation only is a patch', async () => {
    const changeset = await regenerate(spec(BASE), spec(BASE, '', 'A request, better explained.'));
    expect(changeset).toContain('"@kz/example": patch');
    expect(changeset).toContain('documentation');
  }, 30_000);

  it('no change writes no changeset', async () => {
    expect(await regenerate(spec(BASE), spec(BASE))).toBeUndefined();
  }, 30_000);
});

describe('the wire surface of schema.ts', () => {
  const oldJson = [
    'export const serviceMeta: ServiceMeta = {',
    '  types: {',
    '    "Req": {"kind":"complex","elements":[{"prop":"id","name":"id","ns":"urn:x","type":"xs:string","min":1,"max":1},{"prop":"note","name":"note","ns":"","type":"xs:string","min":0,"max":-1}]},',
    '    "Iin": {"kind":"simple","base":"string","facets":{"patterns":["[0-9]{12}"]}},',
    '  },',
    '};',
  ].join('\n');
  const compact = [
    'const ns1 = "urn:x";',
    'export const serviceMeta: ServiceMeta = {',
    '  types: {',
    '    Req: {kind:"complex",elements:[{name:"id",ns:ns1,type:"xs:string"},{name:"note",type:"xs:string",min:0,max:-1}]},',
    '    Iin: {kind:"simple",base:"string",facets:{patterns:["[0-9]{12}"]}},',
    '  },',
    '};',
  ].join('\n');
  const surface = (text: string) => apiSurface(new Map([['schema.ts', text]]));

  it('reads the JSON of earlier generators and the compact form alike (an upgrade is no API change)', () => {
    expect(diffApi(surface(oldJson), surface(compact))).toEqual([]);
    expect([...surface(compact).keys()]).toEqual(['Req.id (XML)', 'Req.note (XML)', 'Iin (XML)', 'serviceMeta']);
  }, 60_000);

  it('sees a changed occurrence in the compact form', () => {
    const changes = diffApi(
      surface(compact),
      surface(compact.replace('{name:"id",ns:ns1,type:"xs:string"}', '{name:"id",ns:ns1,type:"xs:string",min:0}')),
    );
    expect(changes.map((c) => c.text)).toEqual([expect.stringContaining('Req.id (XML)')]);
  }, 60_000);
});
