/**
 * Doc comments of generated code: every exported declaration and member carries one, derived
 * from the contract when it documents nothing, and the contract's own documentation, made safe
 * for a comment, when it does.
 */
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { render, renderOpenApi } from '../src/index.js';
import { tempDir, typeCheck, writeFiles } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

const TNS = 'urn:nodocs';

/** A WSDL without a single documentation element, with one of every kind of declaration. */
function contract(docs: { type?: string; field?: string; operation?: string; value?: string } = {}): string {
  const doc = (text: string | undefined) =>
    text ? `<xs:annotation><xs:documentation>${text}</xs:documentation></xs:annotation>` : '';
  const wsdlDoc = docs.operation ? `<wsdl:documentation>${docs.operation}</wsdl:documentation>` : '';
  return `<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:wsdlx="http://www.w3.org/ns/wsdl-extensions"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${TNS}" targetNamespace="${TNS}" name="NoDocs">
  <wsdl:types><xs:schema targetNamespace="${TNS}" elementFormDefault="qualified">
    <xs:simpleType name="Status"><xs:restriction base="xs:string"><xs:enumeration value="OPEN">${doc(docs.value && `Open: ${docs.value}`)}</xs:enumeration><xs:enumeration value="CLOSED">${doc(docs.value && `Closed: ${docs.value}`)}</xs:enumeration></xs:restriction></xs:simpleType>
    <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{4}"/></xs:restriction></xs:simpleType>
    <xs:complexType name="Amount"><xs:simpleContent><xs:extension base="xs:decimal"><xs:attribute name="currency" type="xs:string" use="required"/></xs:extension></xs:simpleContent></xs:complexType>
    <xs:complexType name="Account">${doc(docs.type)}<xs:sequence>
      <xs:element name="id" type="xs:long">${doc(docs.field)}</xs:element>
      <xs:element name="opened-at" type="xs:dateTime" minOccurs="0"/>
      <xs:element name="tag" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="note" type="xs:string" nillable="true"/>
      <xs:element name="status" type="tns:Status"/>
      <xs:element name="code" type="tns:Code"/>
      <xs:element name="balance" type="tns:Amount"/>
      <xs:element name="owner"><xs:complexType><xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
    </xs:sequence><xs:attribute name="kind" type="xs:string"/></xs:complexType>
    <xs:complexType name="Either"><xs:choice><xs:element name="a" type="xs:int"/><xs:element name="b" type="xs:string"/></xs:choice></xs:complexType>
    <xs:element name="Get"><xs:complexType><xs:sequence><xs:element name="id" type="xs:long"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="GetResponse"><xs:complexType><xs:sequence><xs:element name="account" type="tns:Account"/><xs:element name="either" type="tns:Either"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="Remove"><xs:complexType><xs:sequence><xs:element name="id" type="xs:long"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="RemoveResponse"><xs:complexType/></xs:element>
    <xs:element name="denied"><xs:complexType><xs:sequence><xs:element name="reason" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="Get"><wsdl:part name="p" element="tns:Get"/></wsdl:message>
  <wsdl:message name="GetResponse"><wsdl:part name="p" element="tns:GetResponse"/></wsdl:message>
  <wsdl:message name="Remove"><wsdl:part name="p" element="tns:Remove"/></wsdl:message>
  <wsdl:message name="RemoveResponse"><wsdl:part name="p" element="tns:RemoveResponse"/></wsdl:message>
  <wsdl:message name="Denied"><wsdl:part name="fault" element="tns:denied"/></wsdl:message>
  <wsdl:portType name="Port">
    <wsdl:operation name="Get" wsdlx:safe="true">${wsdlDoc}<wsdl:input message="tns:Get"/><wsdl:output message="tns:GetResponse"/></wsdl:operation>
    <wsdl:operation name="Remove"><wsdl:input message="tns:Remove"/><wsdl:output message="tns:RemoveResponse"/><wsdl:fault name="Denied" message="tns:Denied"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="B" type="tns:Port"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Get"><soap:operation soapAction="urn:get"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
    <wsdl:operation name="Remove"><soap:operation soapAction="urn:remove"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
      <wsdl:fault name="Denied"><soap:fault name="Denied" use="literal"/></wsdl:fault></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="NoDocsService"><wsdl:port name="P" binding="tns:B"><soap:address location="http://127.0.0.1:9/nodocs"/></wsdl:port></wsdl:service>
</wsdl:definitions>`;
}

async function generated(wsdl: string): Promise<{ out: string; files: Map<string, string> }> {
  const dir = tempDir('docs');
  writeFiles(dir, { 'service.wsdl': wsdl });
  const out = path.join(dir, 'generated');
  const files = await render({ wsdl: path.join(dir, 'service.wsdl'), out });
  return { out, files };
}

/** The doc comment of a node (its JSDoc text, tags included), or undefined. */
function docOf(node: ts.Node): string | undefined {
  const jsDoc = ts.getJSDocCommentsAndTags(node).find(ts.isJSDoc);
  if (!jsDoc) return undefined;
  return node.getSourceFile().text.slice(jsDoc.getStart(), jsDoc.getEnd());
}

/** A member's name as written, without the quotes of a string-literal name. */
function nameText(name: ts.DeclarationName | undefined): string {
  if (!name) return '?';
  return ts.isStringLiteral(name) ? name.text : name.getText();
}

const isExported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/**
 * Every exported declaration of a file and every member of its interfaces and classes (what
 * API Extractor reports), by name, with its doc comment (undefined when it has none).
 */
function declarations(name: string, text: string): Map<string, string | undefined> {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const found = new Map<string, string | undefined>();
  for (const statement of source.statements) {
    if (!isExported(statement)) continue;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) found.set(d.name.getText(), docOf(d));
      continue;
    }
    if (
      !ts.isInterfaceDeclaration(statement) &&
      !ts.isTypeAliasDeclaration(statement) &&
      !ts.isClassDeclaration(statement) &&
      !ts.isFunctionDeclaration(statement)
    )
      continue;
    const owner = statement.name?.text ?? '?';
    found.set(owner, docOf(statement));
    const members: readonly ts.Node[] =
      ts.isInterfaceDeclaration(statement) || ts.isClassDeclaration(statement) ? statement.members : [];
    for (const member of members) {
      const memberName = ts.isConstructorDeclaration(member)
        ? 'constructor'
        : nameText((member as ts.NamedDeclaration).name);
      if (memberName.startsWith('#')) continue;
      found.set(`${owner}.${memberName}`, docOf(member));
    }
  }
  return found;
}

function allDeclarations(files: ReadonlyMap<string, string>): Map<string, string | undefined> {
  const all = new Map<string, string | undefined>();
  for (const [file, text] of files) for (const [name, doc] of declarations(file, text)) all.set(name, doc);
  return all;
}

describe('doc comments of generated code', () => {
  it('documents every exported declaration and member of a contract that documents nothing', async () => {
    const { files } = await generated(contract());
    const all = allDeclarations(files);
    // The walk sees every kind: interfaces and members, aliases, the client class, faults, metadata.
    for (const name of [
      'Account.opened-at',
      'Account.kind',
      'Amount.$value',
      'Either',
      'Status',
      'NoDocsServiceOperations.Get',
      'NoDocsServiceClient.soap',
      'NoDocsServiceClient.constructor',
      'NoDocsServiceClient.remove',
      'DeniedFault.element',
      'serviceMeta',
      'faultClasses',
    ])
      expect(all.has(name), name).toBe(true);
    const undocumented = [...all].filter(([, doc]) => doc === undefined).map(([name]) => name);
    expect(undocumented).toEqual([]);
  });

  it('derives the docs from the contract: schema type, namespace, occurrence, facets, operation', async () => {
    const { files } = await generated(contract());
    const all = allDeclarations(files);
    expect(all.get('Account')).toContain(`complexType \`Account\` in namespace \`${TNS}\``);
    expect(all.get('Account.id')).toMatch(/`xs:long` element, required/);
    expect(all.get('Account.opened-at')).toMatch(/`xs:dateTime` element, optional \(minOccurs 0\)/);
    expect(all.get('Account.tag')).toMatch(/List of `xs:string` elements \(minOccurs 0, maxOccurs unbounded\)/);
    expect(all.get('Account.note')).toMatch(/nillable/);
    expect(all.get('Account.kind')).toMatch(/`xs:string` attribute `kind`, optional/);
    expect(all.get('Status')).toMatch(/Restricts `xs:string`; enumeration of 2 values: `OPEN`, `CLOSED`/);
    expect(all.get('Code')).toMatch(/pattern `\[0-9\]\{4\}`/);
    expect(all.get('Get')).toMatch(/the request of operation `Get` \(element `Get`\)/);
    expect(all.get('AccountOwner')).toMatch(/Anonymous XSD complexType: the element `owner` of `Account`/);
    expect(all.get('NoDocsServiceClient.get')).toMatch(
      /Operation `Get` \(document\/literal, SOAPAction `urn:get`\)\. Safe/,
    );
    expect(all.get('NoDocsServiceClient.remove')).toMatch(/never retried automatically/);
    expect(all.get('NoDocsServiceClient.remove')).toMatch(/@throws DeniedFault/);
    expect(all.get('DeniedFault.element')).toMatch(/`<denied>` in namespace `urn:nodocs`/);
  });

  it("uses the contract's documentation, made safe for a comment", async () => {
    const hostile = 'Ends a comment */ here; @deprecated is not a tag; see {@link nothing}.';
    const long = `${'word '.repeat(400)}end`;
    const { out, files } = await generated(
      contract({
        type: `The account. ${hostile}`,
        field: long,
        operation: `Reads an account. ${hostile}`,
        value: `${'state '.repeat(150)}end`,
      }),
    );
    const all = allDeclarations(files);
    expect(all.get('Account')).toContain('The account. Ends a comment *\\/ here; \\@deprecated is not a tag');
    expect(all.get('Account')).not.toContain('complexType');
    expect(all.get('NoDocsServiceClient.get')).toContain('Reads an account. Ends a comment *\\/ here');
    // The documentation replaced the derived line, and was cut short.
    const field = all.get('Account.id') ?? '';
    expect(field).toContain('word word');
    expect(field).not.toContain('`xs:long` element');
    expect(field.length).toBeLessThan(1400);
    expect(field).toContain('…');
    // Each piece is cut on its own: value docs, together longer than one piece may be, stay whole.
    expect(all.get('Status')).toMatch(/- `OPEN`: Open: (state ){150}end\n \* - `CLOSED`: Closed: (state ){150}end/);
    // The comments did not break the code: no tag leaked, and the output still type-checks.
    const source = ts.createSourceFile('types.ts', files.get('types.ts') ?? '', ts.ScriptTarget.Latest, true);
    const account = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === 'Account');
    expect(account && ts.getJSDocTags(account).map((t) => t.tagName.text)).toEqual([]);
    writeFiles(out, Object.fromEntries(files));
    expect(typeCheck(out)).toEqual([]);
  });

  it('documents the roots of OpenAPI types and their members from the spec', async () => {
    const dir = tempDir('docs-openapi');
    writeFiles(dir, {
      'api.yaml': `openapi: 3.1.0
info: { title: Test, version: '1' }
paths:
  /items/{id}:
    get:
      operationId: getItem
      x-kz-safe: true
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } } } }
    delete:
      operationId: deleteItem
      summary: Delete an item */ now
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses: { '204': { description: gone } }
components:
  schemas:
    Item: { type: object, properties: { id: { type: string } } }
`,
    });
    const files = await renderOpenApi(path.join(dir, 'api.yaml'), 'api.yaml');
    const all = allDeclarations(files);
    const undocumented = [...all].filter(([, doc]) => doc === undefined).map(([name]) => name);
    expect(undocumented).toEqual([]);
    expect(all.get('paths./items/{id}')).toMatch(/Path `\/items\/\{id\}`: GET `getItem`, DELETE `deleteItem`/);
    expect(all.get('operations.getItem')).toMatch(/`GET \/items\/\{id\}`; safe \(x-kz-safe\)/);
    expect(all.get('operations.deleteItem')).toContain('Delete an item *\\/ now: `DELETE /items/{id}`.');
    expect(all.get('components.schemas')).toMatch(/Schemas of `components\/schemas`, by name \(1\)/);
    expect(all.get('components.headers')).toMatch(/none in this spec/);
    expect(all.get('OperationMeta.method')).toBeDefined();
  });
});
