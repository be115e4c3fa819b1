/**
 * Names from the document (element and attribute names, prefixes, xsi:type values) never reach
 * Object.prototype in the decoder, and nothing the document controls makes an error long.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, SoapClient, SoapServiceCodec, type Transport } from '../src/index.js';
import { ADV, adversarialMeta } from './adversarial.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

function replay(body: string): Transport {
  return { send: async () => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) }) };
}

function response(result: string, outer = ''): string {
  return `<s:Envelope xmlns:s="${SOAP11}"><s:Body><GetResponse xmlns="${ADV}"${outer}>${result}</GetResponse></s:Body></s:Envelope>`;
}

async function get(body: string, strict = false): Promise<unknown> {
  const client = new SoapClient(adversarialMeta, { useContractEndpoints: true, transport: replay(body), strict });
  return client.invoke('Get', {}).catch((error: unknown) => error);
}

describe('proto-named names in responses', () => {
  it.each(PROTO_NAMES)('xsi:type %s, bare and prefixed, does not select a type', async (name) => {
    const value = await get(
      response(
        `<result><item xsi:type="${name}"><name>1</name></item><item xsi:type="a:${name}"><name>2</name></item></result>`,
        ` xmlns:a="${ADV}" xmlns:xsi="${XSI}"`,
      ),
    );
    expect(value).toEqual({ result: { items: [{ name: '1' }, { name: '2' }] } });
  });

  it.each(PROTO_NAMES)(
    'xsi:type="%s:Item" with the prefix undeclared is an error, not a prototype lookup',
    async (name) => {
      const value = await get(
        response(`<result><payload xsi:type="${name}:Item">x</payload></result>`, ` xmlns:xsi="${XSI}"`),
      );
      expect(value).toBeInstanceOf(DecodeError);
      expect((value as DecodeError).message).toContain(`undeclared prefix ${name}`);
    },
  );

  it.each(PROTO_NAMES)('an attribute named %s on a known element is ignored, not assigned', async (name) => {
    const value = (await get(response(`<result ${name}="x" code="c"><name>n</name></result>`))) as {
      result: Record<string, unknown>;
    };
    expect(value.result.code).toBe('c');
    expect(value.result.name).toBe('n');
    expect(Object.getPrototypeOf(value.result)).toBe(Object.prototype);
  });

  it.each(PROTO_NAMES)('elements named %s inside raw content stay raw XML', async (name) => {
    const value = await get(
      response(`<result><payload><${name} xmlns:${name}="urn:p" ${name}:a="1">t</${name}></payload></result>`),
    );
    expect(value).toEqual({
      result: { payload: { $xml: `<${name} xmlns="${ADV}" xmlns:${name}="urn:p" ${name}:a="1">t</${name}>` } },
    });
  });

  it.each(PROTO_NAMES)('a request with a %s-named element and prefix decodes on the server side', async (name) => {
    const codec = new SoapServiceCodec(adversarialMeta);
    const request = `<s:Envelope xmlns:s="${SOAP11}"><s:Body><Get xmlns="${ADV}" xmlns:${name}="urn:p"><query><${name}:x/><name>q</name></query></Get></s:Body></s:Envelope>`;
    const decoded = await codec.decodeRequest(request);
    expect((decoded.input as { query: { name: string } }).query.name).toBe('q');
  });
});

describe('errors stay short whatever the document holds', () => {
  const long = 'x'.repeat(300_000);
  it.each([
    ['a long number', response(`<result><count>${'9'.repeat(300_000)}</count></result>`)],
    ['a long enumeration value (strict)', response(`<result><state>${long}</state></result>`)],
    ['a long name inside a simple value', response(`<result><name><${long}/></name></result>`)],
    ['a long payload name', response('').replace('GetResponse', long).replace('GetResponse', long)],
    ['a long payload namespace', response('').replace(`xmlns="${ADV}"`, `xmlns="urn:${long}"`)],
    ['a long unclosed name', response(`<result><${long}></result>`)],
    ['a long int attribute', response(`<result><item id="${'9'.repeat(300_000)}"/></result>`)],
  ])('%s', async (name, body) => {
    const error = await get(body, name.includes('(strict)'));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).message.length).toBeLessThan(2000);
    expect((error as DecodeError).path.length).toBeLessThan(2000);
  });
});
