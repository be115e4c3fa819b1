/**
 * rpc/encoded (SOAP encoding): what the encoder writes (xsi:type everywhere, arrays with their
 * arrayType, encodingStyle) and how the decoder reads multi-references: resolved wherever they
 * point, cycles and fan-outs refused as DecodeErrors, at a cost linear in the input.
 */
import { describe, expect, it } from 'vitest';
import { TypeRegistry } from '../src/codec/compiled.js';
import type { UnknownReport } from '../src/codec/decode.js';
import { decodeEnvelope, type EncodedBodyMode, EnvelopeDecoder } from '../src/envelope.js';
import { DecodeError, type ServiceMeta, SoapClient, SoapServiceCodec, type Transport } from '../src/index.js';
import { cpuMs } from './timing.js';

const TNS = 'urn:encoded';
const meta: ServiceMeta = {
  service: 'Encoded',
  soapVersions: ['1.1', '1.2'],
  defaultEndpoint: 'http://127.0.0.1:1/encoded',
  types: {
    Person: {
      kind: 'complex',
      qname: { ns: TNS, name: 'Person' },
      elements: [
        { prop: 'name', name: 'name', ns: '', type: 'xs:string', min: 1, max: 1 },
        { prop: 'age', name: 'age', ns: '', type: 'xs:int', min: 1, max: 1 },
        { prop: 'friend', name: 'friend', ns: '', type: 'Person', min: 0, max: 1, nillable: true },
      ],
    },
    Find: {
      kind: 'complex',
      elements: [
        {
          prop: 'people',
          name: 'people',
          ns: '',
          type: 'Person',
          min: 1,
          max: 1,
          item: { name: 'item', ns: '', encoded: true },
        },
        {
          prop: 'tags',
          name: 'tags',
          ns: '',
          type: 'xs:string',
          min: 1,
          max: 1,
          item: { name: 'item', ns: '', encoded: true },
        },
        { prop: 'limit', name: 'limit', ns: '', type: 'xs:int', min: 1, max: 1 },
      ],
    },
    FindResponse: {
      kind: 'complex',
      elements: [
        {
          prop: 'result',
          name: 'result',
          ns: '',
          type: 'Person',
          min: 1,
          max: 1,
          item: { name: 'item', ns: '', encoded: true },
        },
        { prop: 'count', name: 'count', ns: '', type: 'xs:int', min: 1, max: 1 },
      ],
    },
  },
  operations: {
    find: {
      name: 'find',
      soapAction: 'urn:encoded#find',
      input: { name: 'find', ns: TNS, type: 'Find' },
      output: { name: 'findResponse', ns: TNS, type: 'FindResponse' },
      safe: false,
      encoded: true,
    },
  },
};

function replay(body: string): Transport {
  return { send: async () => ({ status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) }) };
}

const ENV_OPEN =
  '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:encoded"><soap:Body soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">';
const ENV_CLOSE = '</soap:Body></soap:Envelope>';

function call(body: string, version: '1.1' | '1.2' = '1.1'): Promise<unknown> {
  const client = new SoapClient(meta, { useContractEndpoints: true, transport: replay(body), soapVersion: version });
  return client.invoke('find', { people: [], tags: [], limit: 1 });
}

/** A .NET / Axis style answer: every Person a multiRef beside the response, referred to by href. */
function multiRefResponse(count: number): string {
  let items = '';
  let refs = '';
  for (let i = 0; i < count; i++) {
    items += `<item href="#p${i}"/>`;
    refs += `<multiRef id="p${i}" soapenc:root="0" xsi:type="t:Person"><name xsi:type="xsd:string">n${i}</name><age xsi:type="xsd:int">${i}</age></multiRef>`;
  }
  return `${ENV_OPEN}<t:findResponse><result xsi:type="soapenc:Array" soapenc:arrayType="t:Person[${count}]">${items}</result><count xsi:type="xsd:int">${count}</count></t:findResponse>${refs}${ENV_CLOSE}`;
}

describe('encoding', () => {
  it('writes xsi:type on every element, arrays with arrayType, and the encodingStyle (SOAP 1.1)', () => {
    const client = new SoapClient(meta, { useContractEndpoints: true, soapVersion: '1.1' });
    const xml = client.encodeRequest('find', {
      people: [{ name: 'A & B', age: 3, friend: null }],
      tags: ['x', 'y'],
      limit: 5,
    });
    expect(xml).toContain('soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"');
    expect(xml).toContain('xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"');
    expect(xml).toContain('xmlns:xsd="http://www.w3.org/2001/XMLSchema"');
    expect(xml).toContain('<people xsi:type="soapenc:Array" soapenc:arrayType="ns1:Person[1]">');
    expect(xml).toContain('<item xsi:type="ns1:Person"><name xsi:type="xsd:string">A &amp; B</name>');
    expect(xml).toContain('<age xsi:type="xsd:int">3</age><friend xsi:nil="true"/>');
    expect(xml).toContain(
      '<tags xsi:type="soapenc:Array" soapenc:arrayType="xsd:string[2]"><item xsi:type="xsd:string">x</item>',
    );
    expect(xml).toContain('<limit xsi:type="xsd:int">5</limit>');
  });

  it('writes SOAP 1.2 encoding: itemType and arraySize', () => {
    const client = new SoapClient(meta, { useContractEndpoints: true, soapVersion: '1.2' });
    const xml = client.encodeRequest('find', { people: [], tags: ['x'], limit: 1 });
    expect(xml).toContain('xmlns:soapenc="http://www.w3.org/2003/05/soap-encoding"');
    expect(xml).toContain(
      '<tags soapenc:itemType="xsd:string" soapenc:arraySize="1"><item xsi:type="xsd:string">x</item></tags>',
    );
  });

  it('round-trips through the service codec, both SOAP versions', async () => {
    const codec = new SoapServiceCodec(meta);
    for (const version of ['1.1', '1.2'] as const) {
      let received: unknown;
      const transport: Transport = {
        async send(request) {
          const decoded = await codec.decodeRequest(Buffer.from(request.body ?? []));
          received = decoded.input;
          const people = (decoded.input as { people: unknown[] }).people;
          const body = codec.encodeResponse(meta.operations.find!, { result: people, count: people.length }, version);
          return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) };
        },
      };
      const client = new SoapClient(meta, { useContractEndpoints: true, transport, soapVersion: version });
      const input = {
        people: [
          { name: 'a', age: 1, friend: { name: 'b', age: 2 } },
          { name: 'c', age: -3 },
        ],
        tags: ['t', ''],
        limit: 7,
      };
      const output = await client.invoke('find', input);
      expect(received).toEqual(input);
      expect(output).toEqual({ result: input.people, count: 2 });
    }
  });
});

describe('multi-references', () => {
  it('resolves SOAP 1.1 href/id, forward and backward, with item names other than <item>', async () => {
    const body = `${ENV_OPEN}<multiRef id="early" xsi:type="t:Person"><name>early</name><age>1</age></multiRef><t:findResponse><result soapenc:arrayType="t:Person[3]"><Person href="#early"/><Person href="#late"/><Person><name>inline</name><age>3</age><friend href="#late"/></Person></result><count href="#n"/></t:findResponse><multiRef id="late" soapenc:root="0"><name>late</name><age>2</age></multiRef><multiRef id="n" xsi:type="xsd:int">3</multiRef>${ENV_CLOSE}`;
    expect(await call(body)).toEqual({
      result: [
        { name: 'early', age: 1 },
        { name: 'late', age: 2 },
        { name: 'inline', age: 3, friend: { name: 'late', age: 2 } },
      ],
      count: 3,
    });
  });

  it('resolves SOAP 1.2 enc:ref/enc:id inside the payload', async () => {
    const body = `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:enc="http://www.w3.org/2003/05/soap-encoding" xmlns:t="urn:encoded"><soap:Body><t:findResponse><result enc:itemType="t:Person" enc:arraySize="2"><item enc:id="a"><name>a</name><age>1</age><friend enc:ref="b"/></item><item enc:ref="a"/></result><count>2</count><extra enc:id="b"><name>b</name><age>9</age></extra></t:findResponse></soap:Body></soap:Envelope>`;
    // An id-bearing element the schema does not know is kept as unknown content; the reference resolves.
    const result = (await call(body, '1.2')) as { result: unknown[] };
    expect(result.result).toEqual([
      { name: 'a', age: 1, friend: { name: 'b', age: 9 } },
      { name: 'a', age: 1, friend: { name: 'b', age: 9 } },
    ]);
  });

  it('honours xsi:type on a referenced element (prefixes declared on the envelope)', async () => {
    const body = `${ENV_OPEN}<t:findResponse><result><item href="#x"/></result><count>1</count></t:findResponse><multiRef id="x" xsi:type="t:Person" xmlns:q="urn:q"><name xsi:type="xsd:string">q:x</name><age>4</age></multiRef>${ENV_CLOSE}`;
    expect(await call(body)).toEqual({ result: [{ name: 'q:x', age: 4 }], count: 1 });
  });

  it('refuses cycles, unknown ids, references to references and outside hrefs with a DecodeError', async () => {
    const cases: [string, RegExp][] = [
      [
        `<t:findResponse><result><item href="#a"/></result><count>1</count></t:findResponse><multiRef id="a"><name>a</name><age>1</age><friend href="#b"/></multiRef><multiRef id="b"><name>b</name><age>2</age><friend href="#a"/></multiRef>`,
        /cycle/,
      ],
      [`<t:findResponse><result><item href="#nope"/></result><count>1</count></t:findResponse>`, /unknown id "nope"/],
      [
        `<t:findResponse><result/><count href="#a"/></t:findResponse><x id="a" href="#b"/><y id="b">1</y>`,
        /itself a reference/,
      ],
      [`<t:findResponse><result/><count href="cid:part1"/></t:findResponse>`, /points outside the message/],
      [`<t:findResponse><result/><count id="a">1</count></t:findResponse><m id="a">2</m>`, /used twice/],
      [`<t:findResponse><result/><count>1</count></t:findResponse><other/>`, /second element <other>/],
    ];
    for (const [inner, message] of cases) {
      const error = await call(`${ENV_OPEN}${inner}${ENV_CLOSE}`).catch((e: unknown) => e);
      expect(error, inner).toBeInstanceOf(DecodeError);
      expect((error as DecodeError).message, inner).toMatch(message);
    }
  });

  it('refuses a fan-out (each element referring twice to the next) before expanding it', async () => {
    const levels = 40;
    let refs = '';
    for (let i = 0; i < levels; i++)
      refs += `<multiRef id="l${i}"><name>x</name><age>1</age><friend href="#l${i + 1}"/><friend href="#l${i + 1}"/></multiRef>`;
    refs += `<multiRef id="l${levels}"><name>end</name><age>0</age></multiRef>`;
    const body = `${ENV_OPEN}<t:findResponse><result><item href="#l0"/></result><count>1</count></t:findResponse>${refs}${ENV_CLOSE}`;
    const started = performance.now();
    const error = await call(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).message).toMatch(/expand the payload beyond/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses a reference chain nested deeper than the limit', async () => {
    let refs = '';
    for (let i = 0; i < 400; i++)
      refs += `<multiRef id="c${i}"><name>x</name><age>1</age><friend href="#c${i + 1}"/></multiRef>`;
    refs += '<multiRef id="c400"><name>end</name><age>0</age></multiRef>';
    const body = `${ENV_OPEN}<t:findResponse><result><item href="#c0"/></result><count>1</count></t:findResponse>${refs}${ENV_CLOSE}`;
    const error = await call(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).message).toMatch(/deeper than 256/);
  });

  it('decodes at a cost linear in the input: n vs 8n, legitimate multi-refs and refused fan-outs', {
    timeout: 30_000,
  }, async () => {
    /** A fan-out within the input: k references to each of the elements of a chain of shared elements. */
    const fanOut = (n: number): string => {
      let refs = '';
      const width = 8;
      for (let i = 0; i < n; i++) {
        let friends = '';
        for (let j = 0; j < width; j++) friends += `<friend href="#f${i + 1}"/>`;
        refs += `<multiRef id="f${i}"><name>x</name><age>1</age>${friends}</multiRef>`;
      }
      refs += `<multiRef id="f${n}"><name>end</name><age>0</age></multiRef>`;
      return `${ENV_OPEN}<t:findResponse><result><item href="#f0"/></result><count>1</count></t:findResponse>${refs}${ENV_CLOSE}`;
    };
    /** The one-pass shape until its last element, which sends the message to the collecting decoder. */
    const lateFallBack = (n: number): string =>
      multiRefResponse(n).replace(`<age xsi:type="xsd:int">${n - 1}</age>`, `<age>${n - 1}</age><extra>x</extra>`);
    const shapes: [string, (n: number) => string, number][] = [
      ['multiRef array', multiRefResponse, 1_000],
      ['fan-out', fanOut, 150],
      ['late fall-back to the collecting decoder', lateFallBack, 1_000],
    ];
    for (const [name, shape, n] of shapes) {
      const time = async (size: number): Promise<number> => {
        const body = shape(size);
        let best = Number.POSITIVE_INFINITY;
        for (let run = 0; run < 3; run++) {
          const started = cpuMs();
          await call(body).catch((e: unknown) => e);
          best = Math.min(best, cpuMs() - started);
        }
        return best;
      };
      await time(n); // warm-up
      let ratio = Number.POSITIVE_INFINITY;
      for (let attempt = 0; attempt < 3 && ratio >= 24; attempt++)
        ratio = (await time(8 * n)) / Math.max(await time(n), 0.5);
      expect(ratio, name).toBeLessThan(24);
    }
  });

  it('decodes a large multiRef array', async () => {
    const result = (await call(multiRefResponse(5000))) as { result: { name: string }[]; count: number };
    expect(result.count).toBe(5000);
    expect(result.result[4999]).toEqual({ name: 'n4999', age: 4999 });
  });
});

describe('one-pass decoding of encoded Bodies', () => {
  const registry = new TypeRegistry(meta);
  const output = meta.operations.find?.output;

  /** Decodes as the client does, noting which decoders it needed, and with the collecting decoder alone. */
  async function both(body: string): Promise<{ modes: EncodedBodyMode[]; value: unknown; reports: UnknownReport[] }[]> {
    const runs = [];
    for (const only of [undefined, 'collect'] as const) {
      const modes: EncodedBodyMode[] = [];
      const reports: UnknownReport[] = [];
      const options = { openEnums: true, onUnknown: (report: UnknownReport) => reports.push(report) };
      const result = await decodeEnvelope(Buffer.from(body), {}, (mode) => {
        modes.push(only ?? mode);
        return new EnvelopeDecoder('1.1', registry, output, options, only ?? mode);
      });
      runs.push({ modes, value: result.kind === 'payload' ? result.value : result, reports });
    }
    return runs;
  }

  const person = (id: string, inner: string, attributes = ''): string =>
    `<multiRef id="${id}" soapenc:root="0" xsi:type="t:Person"${attributes}>${inner}</multiRef>`;
  const oneLevel = (items: string, refs: string, count = '<count>1</count>'): string =>
    `${ENV_OPEN}<t:findResponse><result soapenc:arrayType="t:Person[1]">${items}</result>${count}</t:findResponse>${refs}${ENV_CLOSE}`;

  it('takes the shape services send in one pass, with the value the collecting decoder gives', async () => {
    const bodies = [
      multiRefResponse(3),
      // a reference inside a referenced element, a nil one, a leaf one
      oneLevel(
        '<item href="#a"/>',
        `${person('a', '<name>a</name><age>1</age><friend href="#b"/>')}${person('b', '<name>b</name><age>2</age><friend href="#z"/>')}<multiRef id="z" xsi:nil="true"/><multiRef id="n" xsi:type="xsd:int">7</multiRef>`,
        '<count href="#n"/>',
      ),
      // text the schema does not expect, kept and reported once
      oneLevel('<item href="#a"/>', person('a', '<name>a</name>stray<age>1</age>')),
      // the array itself referenced, its items too
      `${ENV_OPEN}<t:findResponse><result href="#arr"/><count>2</count></t:findResponse><multiRef id="arr" xsi:type="soapenc:Array" soapenc:arrayType="t:Person[2]"><item href="#a"/><item href="#b"/></multiRef>${person('a', '<name>a</name><age>1</age>')}${person('b', '<name>b</name><age>2</age>')}${ENV_CLOSE}`,
    ];
    for (const body of bodies) {
      const [oneStep, collected] = await both(body);
      expect(oneStep?.modes, body).toEqual(['stream']);
      expect(oneStep?.value, body).toEqual(collected?.value);
      expect(oneStep?.reports, body).toEqual(collected?.reports);
    }
    const [run] = await both(bodies[2] as string);
    expect(run?.reports).toHaveLength(1);
  });

  it('leaves every other shape to the collecting decoder, with the same value and reports', async () => {
    const bodies = [
      // an element before its reference
      `${ENV_OPEN}${person('a', '<name>a</name><age>1</age>')}<t:findResponse><result><item href="#a"/></result><count>1</count></t:findResponse>${ENV_CLOSE}`,
      // an id referenced twice: each reference a copy
      oneLevel('<item href="#a"/><item href="#a"/>', person('a', '<name>a</name><age>1</age>')),
      // a reference with attributes of its own
      oneLevel('<item href="#a" xsi:type="t:Person"/>', person('a', '<name>a</name><age>1</age>')),
      // an element the schema does not know, inside a referenced element (kept as raw XML)
      oneLevel('<item href="#a"/>', person('a', '<name>a</name><age>1</age><extra xmlns:q="urn:q">q:v</extra>')),
      // an id inside the payload
      oneLevel('<item id="x"><name>a</name><age>1</age><friend href="#x"/></item>', ''),
      // an unreferenced element beside the payload
      oneLevel('<item><name>a</name><age>1</age></item>', person('a', '<name>a</name><age>1</age>')),
    ];
    for (const body of bodies) {
      const [oneStep, collected] = await both(body).catch((error: unknown) => [{ error }, { error }]);
      if ('error' in (collected as object)) {
        // Refused either way (the cycle above): the same error, from the collecting decoder.
        expect(String((oneStep as { error: unknown }).error), body).toBe(
          String((collected as { error: unknown }).error),
        );
        continue;
      }
      const one = oneStep as { modes: EncodedBodyMode[]; value: unknown; reports: UnknownReport[] };
      const all = collected as { value: unknown; reports: UnknownReport[] };
      expect(one.modes, body).toEqual(['stream', 'collect']);
      expect(one.value, body).toEqual(all.value);
      expect(one.reports, body).toEqual(all.reports);
    }
  });

  it('words a violation as the collecting decoder does', async () => {
    const body = oneLevel('<item href="#a"/>', person('a', '<name>a</name><age>old</age>'));
    const error = await call(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    // The path names the accessor the element stands in for, from the payload down.
    expect((error as DecodeError).message).toMatch(/findResponse\/result\/item\/age/);
  });
});
