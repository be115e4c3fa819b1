/**
 * `kz:alsoAccept`: names the source documents make plausible besides the spec's own are read as
 * the same element (response wrapper, result element, array item), never written.
 */
import path from 'node:path';
import { SoapClient, type Transport } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { generate, loadServiceMeta } from '../src/index.js';
import { tempDir, typeCheck, writeFiles, wsdl } from './support.js';

const TNS = 'urn:test';
const KZ = 'xmlns:kz="urn:kz-clients:codegen"';

const SERVICE = wsdl({
  tns: TNS,
  extraNs: KZ,
  input: 'tns:Req',
  output: 'tns:ReqResponse',
  schemas: `<xs:schema targetNamespace="${TNS}" elementFormDefault="qualified">
    <xs:element name="Req"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
    <xs:element name="ReqResponse" kz:alsoAccept="OtherResponse"><xs:complexType><xs:sequence>
      <xs:element name="ReqResult" kz:alsoAccept="ResultReq ReqResult2" type="tns:ArrayOfItem" minOccurs="0"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:complexType name="ArrayOfItem"><xs:sequence>
      <xs:element name="Item" kz:alsoAccept="ItemOld" type="tns:Item" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType>
    <xs:complexType name="Item"><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:complexType>
  </xs:schema>`,
});

function replying(body: string): Transport {
  return {
    async send() {
      return {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body: Buffer.from(
          `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`,
        ),
      };
    },
  };
}

describe('kz:alsoAccept', () => {
  it('reads the other names as the same response, result and items, and writes only its own', async () => {
    const dir = tempDir('also-accept');
    writeFiles(dir, { 'service.wsdl': SERVICE });
    const out = path.join(dir, 'generated');
    await generate({ wsdl: path.join(dir, 'service.wsdl'), out });
    expect(typeCheck(out)).toEqual([]);
    const meta = await loadServiceMeta(path.join(dir, 'service.wsdl'));
    expect(meta.operations.Op?.output?.aliases).toEqual(['OtherResponse']);

    const call = (body: string) =>
      new SoapClient(meta, { useContractEndpoints: true, transport: replying(body) }).invoke('Op', {});
    const expected = { ReqResult: [{ id: 1 }, { id: 2 }] };
    for (const [response, result, item] of [
      ['ReqResponse', 'ReqResult', 'Item'],
      ['OtherResponse', 'ResultReq', 'ItemOld'],
      ['OtherResponse', 'ReqResult2', 'Item'],
    ]) {
      const body = `<${response} xmlns="${TNS}"><${result}><${item}><id>1</id></${item}><Item><id>2</id></Item></${result}></${response}>`;
      expect(await call(body)).toEqual(expected);
    }
    // A name nobody declared is still not taken for the result.
    await expect(call(`<Unknown xmlns="${TNS}"/>`)).rejects.toThrow(/unexpected <Unknown>/);
  }, 60_000);
});
