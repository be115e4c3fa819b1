/**
 * No silent loss: content a response's schema does not know is kept (`$unknown`), reported
 * (hooks.onUnknown, names only), written back in place on encoding, or refused with `strict`;
 * an expected element replaced by an unknown one is an error naming both; response-side
 * enumerations keep values outside the list while requests stay strict.
 */
import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  SoapClient,
  SoapServiceCodec,
  type Transport,
  type UnknownEvent,
  ValidationError,
} from '../src/index.js';
import { ADV, adversarialMeta } from './adversarial.js';
import { NS, testMeta } from './meta.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

function replay(body: string): Transport {
  return { send: async () => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) }) };
}

const response = (result: string) =>
  `<s:Envelope xmlns:s="${SOAP11}"><s:Body><GetResponse xmlns="${ADV}" xmlns:x="urn:extra"><result>${result}</result></GetResponse></s:Body></s:Envelope>`;

async function get(body: string, options: { strict?: boolean; call?: { strict?: boolean } } = {}) {
  const events: UnknownEvent[] = [];
  const client = new SoapClient(adversarialMeta, {
    transport: replay(body),
    ...(options.strict === undefined ? {} : { strict: options.strict }),
    hooks: { onUnknown: (event) => events.push(event) },
  });
  const value = await client.invoke('Get', {}, options.call ?? {}).catch((error: unknown) => error);
  return { value, events };
}

/** decode -> encode (as a server would answer) -> decode again. */
async function roundTrip(value: unknown): Promise<unknown> {
  const codec = new SoapServiceCodec(adversarialMeta);
  const operation = adversarialMeta.operations.Get;
  if (!operation) throw new Error('no Get');
  const xml = codec.encodeResponse(operation, value, '1.1');
  return (await get(xml)).value;
}

describe('unknown elements are kept, reported and written back in place', () => {
  const body = response(
    '<x:note lang="kk">сәлем</x:note><name>n</name><item><name>a</name></item><x:between><x:deep a="1">t</x:deep></x:between><item><name>b</name></item><trailer/>',
  );

  it('keeps each one losslessly with its position among the known children', async () => {
    const { value, events } = await get(body);
    expect(value).toEqual({
      result: {
        name: 'n',
        items: [{ name: 'a' }, { name: 'b' }],
        $unknown: [
          { $xml: '<x:note xmlns:x="urn:extra" lang="kk">сәлем</x:note>', $position: 0 },
          { $xml: '<x:between xmlns:x="urn:extra"><x:deep a="1">t</x:deep></x:between>', $position: 2 },
          { $xml: `<trailer xmlns="${ADV}"></trailer>`, $position: 3 },
        ],
      },
    });
    expect(events).toEqual([
      {
        requestId: expect.any(String),
        service: 'Adversarial',
        operation: 'Get',
        kind: 'element',
        path: 'GetResponse/result/note',
        name: 'note',
        ns: 'urn:extra',
      },
      {
        requestId: expect.any(String),
        service: 'Adversarial',
        operation: 'Get',
        kind: 'element',
        path: 'GetResponse/result/between',
        name: 'between',
        ns: 'urn:extra',
      },
      {
        requestId: expect.any(String),
        service: 'Adversarial',
        operation: 'Get',
        kind: 'element',
        path: 'GetResponse/result/trailer',
        name: 'trailer',
        ns: ADV,
      },
    ]);
    // Names and paths only: no content reaches the hook.
    expect(JSON.stringify(events)).not.toContain('сәлем');
  });

  it('encoding writes them back in document order, and decoding that again gives the same value', async () => {
    const { value } = await get(body);
    const codec = new SoapServiceCodec(adversarialMeta);
    const xml = codec.encodeResponse(adversarialMeta.operations.Get!, value, '1.1');
    const order = [...xml.matchAll(/<(?:\w+:)?(note|name|item|between|trailer)[\s>]/g)].map((m) => m[1]);
    expect(order).toEqual(['note', 'name', 'item', 'name', 'between', 'item', 'name', 'trailer']);
    expect(await roundTrip(value)).toEqual(value);
  });

  it('content found inside an array wrapper is kept with the wrapper it was in', async () => {
    const { value, events } = await get(
      response('<list><Item><name>a</name></Item><Other>?</Other><Item><name>b</name></Item></list>'),
    );
    expect(value).toEqual({
      result: {
        list: [{ name: 'a' }, { name: 'b' }],
        $unknown: [{ $xml: `<Other xmlns="${ADV}">?</Other>`, $position: 1, $wrapper: 'list' }],
      },
    });
    expect(events.map((e) => e.path)).toEqual(['GetResponse/result/list/Other']);
    expect(await roundTrip(value)).toEqual(value);
  });

  it('text inside element-only content is kept too', async () => {
    const { value, events } = await get(response('<name>n</name>stray &amp; text<count>1</count>'));
    expect(value).toEqual({
      result: { name: 'n', count: '1', $unknown: [{ $xml: 'stray &amp; text', $position: 1 }] },
    });
    expect(events).toMatchObject([{ kind: 'text', name: '#text', path: 'GetResponse/result/#text' }]);
    expect(await roundTrip(value)).toEqual(value);
  });

  it('xs:anyType content stays { $xml } (not unknown)', async () => {
    const { value, events } = await get(response('<payload><x:any>1</x:any></payload>'));
    expect(value).toEqual({ result: { payload: { $xml: '<x:any xmlns:x="urn:extra">1</x:any>' } } });
    expect(events).toEqual([]);
  });

  it('strict, on the client or per call, refuses them with a DecodeError', async () => {
    const strictClient = await get(body, { strict: true });
    expect(strictClient.value).toBeInstanceOf(DecodeError);
    expect((strictClient.value as DecodeError).message).toContain('unknown element <note> (strict decoding)');
    expect((strictClient.value as DecodeError).path).toBe('GetResponse/result/note');
    expect((await get(body, { call: { strict: true } })).value).toBeInstanceOf(DecodeError);
    expect((await get(body, { strict: true, call: { strict: false } })).value).not.toBeInstanceOf(Error);
    const text = await get(response('<name>n</name>stray'), { strict: true });
    expect((text.value as DecodeError).message).toContain('unexpected text in <result>');
  });
});

describe('an expected element replaced by an unknown one is an error naming both', () => {
  it('an array wrapper (.NET ArrayOfX) with no known item but unknown ones', async () => {
    // The shape of the seed's PayD sample read as a Pay response: ResultPaymentInvoiceD items
    // where ResultPaymentInvoice items are expected.
    const { value } = await get(response('<list><ItemD><name>a</name></ItemD></list>'));
    expect(value).toBeInstanceOf(DecodeError);
    expect((value as DecodeError).message).toContain('expected <Item> items, found <ItemD> instead');
    expect((value as DecodeError).path).toBe('GetResponse/result/list');
  });

  it('a wrapper holding only text', async () => {
    const { value } = await get(response('<list>42</list>'));
    expect((value as DecodeError).message).toContain('expected <Item> items, found text instead');
  });

  it('an empty wrapper is still an empty list', async () => {
    expect((await get(response('<list> </list>'))).value).toEqual({ result: { list: [] } });
  });

  it('a type with no known element at all but unknown ones', async () => {
    const body = `<s:Envelope xmlns:s="${SOAP11}"><s:Body><GetResponse xmlns="${ADV}"><resultD><name>n</name></resultD></GetResponse></s:Body></s:Envelope>`;
    const { value } = await get(body);
    expect(value).toBeInstanceOf(DecodeError);
    expect((value as DecodeError).message).toContain('expected <result>, found <resultD> instead');
  });

  it('a required element missing where an unknown one stands', async () => {
    const client = new SoapClient(testMeta, {
      transport: replay(
        `<s:Envelope xmlns:s="${SOAP11}"><s:Body><EchoResponse xmlns="${NS}"><EchoResult><identifier>1</identifier><amount>2</amount></EchoResult></EchoResponse></s:Body></s:Envelope>`,
      ),
    });
    const error = (await client.invoke('Echo', { id: '1' }).catch((e: unknown) => e)) as DecodeError;
    expect(error).toBeInstanceOf(DecodeError);
    expect(error.message).toContain('required element <id> is missing, found <identifier> instead');
  });
});

describe('enumerations: open when reading a response, strict when writing a request', () => {
  it('a response value outside the list is kept as received and reported', async () => {
    const { value, events } = await get(response('<state>SUSPENDED</state>'));
    expect(value).toEqual({ result: { state: 'SUSPENDED' } });
    expect(events).toEqual([
      {
        requestId: expect.any(String),
        service: 'Adversarial',
        operation: 'Get',
        kind: 'enumeration',
        path: 'GetResponse/result/state',
        name: 'State',
        ns: '',
      },
    ]);
  });

  it('with strict it is a DecodeError', async () => {
    const { value } = await get(response('<state>SUSPENDED</state>'), { strict: true });
    expect((value as DecodeError).message).toContain('"SUSPENDED" is not one of OPEN, CLOSED');
  });

  it('a request with a value outside the list is refused before sending', async () => {
    let sent = 0;
    const client = new SoapClient(adversarialMeta, {
      transport: {
        send: async () => {
          sent++;
          throw new Error('unreachable');
        },
      },
    });
    const error = await client.invoke('Get', { query: { state: 'SUSPENDED' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(sent).toBe(0);
  });

  it('a service decoding a request with a value outside the list answers with a client fault', async () => {
    const codec = new SoapServiceCodec(adversarialMeta);
    const request = `<s:Envelope xmlns:s="${SOAP11}"><s:Body><Get xmlns="${ADV}"><query><state>SUSPENDED</state></query></Get></s:Body></s:Envelope>`;
    await expect(codec.decodeRequest(request)).rejects.toMatchObject({ side: 'client' });
  });
});
