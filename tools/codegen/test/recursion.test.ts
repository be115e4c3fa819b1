/**
 * Recursive and very deep schemas: element references that come back to themselves, and chains
 * far deeper than the call stack, resolve without a stack overflow and in linear time.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServiceMeta, render } from '../src/index.js';
import { tempDir, writeFiles, wsdl } from './support.js';

const TNS = 'urn:deep';
const schema = (body: string) =>
  `<xs:schema targetNamespace="${TNS}" elementFormDefault="qualified">${body}</xs:schema>`;

function contract(schemas: string): string {
  const dir = tempDir('recursion');
  writeFiles(dir, { 'service.wsdl': wsdl({ tns: TNS, schemas, input: 'tns:Root', output: 'tns:Root' }) });
  return path.join(dir, 'service.wsdl');
}

/** The model only (what the stack depth depends on); emitting 10 000 declarations is slow and linear. */
const modelOf = (schemas: string) => loadServiceMeta(contract(schemas));

/** Named types T0 -> T1 -> ... -> T(n-1), the last one pointing back at T0. */
function namedChain(n: number): string {
  const types = Array.from(
    { length: n },
    (_, i) =>
      `<xs:complexType name="T${i}"><xs:sequence><xs:element name="next" type="tns:T${(i + 1) % n}" minOccurs="0"/><xs:element name="v${i}" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType>`,
  );
  return schema(`<xs:element name="Root" type="tns:T0"/>${types.join('')}`);
}

/** Global elements with anonymous types E0 -> E1 -> ... -> E(n-1), each by ref, the last one back to E0. */
function elementChain(n: number): string {
  const elements = Array.from(
    { length: n },
    (_, i) =>
      `<xs:element name="E${i}"><xs:complexType><xs:sequence><xs:element ref="tns:E${(i + 1) % n}" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>`,
  );
  return schema(
    `<xs:element name="Root"><xs:complexType><xs:sequence><xs:element ref="tns:E0"/></xs:sequence></xs:complexType></xs:element>${elements.join('')}`,
  );
}

describe('recursive element references', () => {
  it('an element that contains itself by ref is one type that refers to itself', async () => {
    const file = contract(
      schema(`<xs:element name="Root"><xs:complexType><xs:sequence>
        <xs:element name="label" type="xs:string"/>
        <xs:element ref="tns:Root" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence></xs:complexType></xs:element>`),
    );
    const meta = await loadServiceMeta(file);
    const files = await render({ wsdl: file, out: path.join(path.dirname(file), 'generated') });
    const root = meta.types.Root;
    expect(root?.kind === 'complex' && root.elements.map((e) => [e.prop, e.type])).toEqual([
      ['label', 'xs:string'],
      ['Root', 'Root'],
    ]);
    expect(files.get('types.ts')).toContain('Root?: Root[];');
  });

  it('a 10 000-deep chain of named types closing a cycle', { timeout: 60_000 }, async () => {
    const meta = await modelOf(namedChain(10_000));
    expect(Object.keys(meta.types)).toHaveLength(10_000);
    const last = meta.types.T9999;
    expect(last?.kind === 'complex' && last.elements[0]?.type).toBe('T0');
  });

  it('a 10 000-deep chain of element references closing a cycle', { timeout: 60_000 }, async () => {
    const meta = await modelOf(elementChain(10_000));
    // Root, then one type per element of the chain; the last one refers back to the first.
    expect(Object.keys(meta.types)).toHaveLength(10_001);
    const names = Object.keys(meta.types);
    const last = meta.types[names[names.length - 1] as string];
    expect(last?.kind === 'complex' && last.elements[0]?.type).toBe(names[1]);
  });

  it('a 10 000-deep chain of simple type restrictions', { timeout: 60_000 }, async () => {
    const n = 10_000;
    const simple = Array.from(
      { length: n },
      (_, i) =>
        `<xs:simpleType name="S${i}"><xs:restriction base="${i === n - 1 ? 'xs:int' : `tns:S${i + 1}`}"/></xs:simpleType>`,
    );
    const meta = await modelOf(
      schema(
        `<xs:element name="Root"><xs:complexType><xs:sequence><xs:element name="v" type="tns:S0"/></xs:sequence></xs:complexType></xs:element>${simple.join('')}`,
      ),
    );
    expect(meta.types.S0).toEqual({ kind: 'simple', base: 'int' });
  });

  it('a simple type that restricts itself is refused in one line', async () => {
    await expect(
      modelOf(
        schema(
          `<xs:element name="Root" type="tns:A"/><xs:simpleType name="A"><xs:restriction base="tns:B"/></xs:simpleType><xs:simpleType name="B"><xs:restriction base="tns:A"/></xs:simpleType>`,
        ),
      ),
    ).rejects.toThrow(/simple type [AB] derives from itself/);
  });
});
