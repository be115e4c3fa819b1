/** SoapClient against misbehaving peers: faults, HTML, version mismatches, transport failures, redaction. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DecodeError,
  HttpError,
  type RequestEvent,
  type ResponseEvent,
  SoapClient,
  SoapFaultError,
  SoapServiceCodec,
  type Transport,
  TransportError,
  ValidationError,
} from '../src/index.js';
import { type LocalServer, startLocalServer, xmlDifference } from '../src/testing/index.js';
import { NS, testMeta } from './meta.js';

function replay(body: string, status = 200, contentType = 'text/xml; charset=utf-8'): Transport {
  return { send: async () => ({ status, headers: { 'content-type': contentType }, body: Buffer.from(body) }) };
}

const codec = new SoapServiceCodec(testMeta);
const echo = {
  id: '21374509837942784',
  amount: '0.10',
  tags: ['a', ''],
  state: 'OK',
  note: null,
  payload: { $xml: '<x xmlns="urn:x">1</x>' },
};

describe('encoding and decoding through a service', () => {
  it('round-trips every kind of field and keeps the wire shape', async () => {
    let sent = '';
    const transport: Transport = {
      async send(request) {
        sent = Buffer.from(request.body ?? []).toString();
        const decoded = await codec.decodeRequest(sent);
        const response = codec.encodeResponse(testMeta.operations.Echo!, { EchoResult: decoded.input }, '1.1');
        return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(response) };
      },
    };
    const client = new SoapClient(testMeta, { useContractEndpoints: true, transport });
    expect(await client.invoke('Echo', echo)).toEqual({ EchoResult: echo });
    const expected = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><t:Echo xmlns:t="${NS}">
      <t:id>21374509837942784</t:id><t:amount>0.10</t:amount><t:tags><t:string>a</t:string><t:string></t:string></t:tags>
      <state>OK</state><t:note xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/><t:payload><x xmlns="urn:x">1</x></t:payload>
      </t:Echo></s:Body></s:Envelope>`;
    expect(xmlDifference(sent, expected)).toBeUndefined();
  });

  it('reports every invalid field at once, before sending', async () => {
    let calls = 0;
    const client = new SoapClient(testMeta, {
      useContractEndpoints: true,
      transport: {
        send: async () => {
          calls++;
          throw new Error('unreachable');
        },
      },
    });
    const error = (await client
      .invoke('Echo', { amount: 7.5, state: 'OPEN', extra: 1 })
      .catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field).sort()).toEqual(['amount', 'extra', 'id', 'state']);
    expect(calls).toBe(0);
  });
});

describe('responses that are not what was asked for', () => {
  const call = (transport: Transport, version: '1.1' | '1.2' = '1.1') =>
    new SoapClient(testMeta, { useContractEndpoints: true, transport, soapVersion: version })
      .invoke('Echo', { id: '1' })
      .catch((e: unknown) => e);

  it('a SOAP 1.1 fault with detail', async () => {
    const fault = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>
      <faultcode>soap:Server</faultcode><faultstring>Session closed</faultstring>
      <detail><ns2:SessionClosedException xmlns:ns2="esf"><message>closed</message></ns2:SessionClosedException></detail>
      </soap:Fault></soap:Body></soap:Envelope>`;
    const error = (await call(replay(fault, 500))) as SoapFaultError;
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toMatchObject({
      faultCode: 'soap:Server',
      reason: 'Session closed',
      httpStatus: 500,
      service: 'TestService',
      operation: 'Echo',
    });
    expect(error.detail).toMatch(
      /^<ns2:SessionClosedException [^>]*xmlns:ns2="esf"[^>]*><message>closed<\/message><\/ns2:SessionClosedException>$/,
    );
  });

  it('a SOAP 1.2 fault with subcodes', async () => {
    const fault = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>
      <env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:BadBank</env:Value></env:Subcode></env:Code>
      <env:Reason><env:Text xml:lang="ru">Не найден банк</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`;
    const error = await call(replay(fault, 400, 'application/soap+xml'), '1.2');
    expect(error).toMatchObject({ faultCode: 'env:Sender', faultSubcodes: ['m:BadBank'], reason: 'Не найден банк' });
  });

  it('a SOAP 1.2 envelope to a 1.1 client, and the reverse', async () => {
    const v12 = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>`;
    expect(await call(replay(v12))).toMatchObject({
      code: 'DECODE_ERROR',
      message: expect.stringContaining('SOAP 1.2 envelope'),
    });
    const v11 = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>`;
    expect(await call(replay(v11, 200, 'application/soap+xml'), '1.2')).toMatchObject({
      message: expect.stringContaining('SOAP 1.1 envelope'),
    });
  });

  it('an HTML error page with status 200 is a DecodeError, with 502 an HttpError with a bounded excerpt', async () => {
    const html = `<html><body>${'Gateway error '.repeat(200)}</body></html>`;
    expect(await call(replay(html, 200, 'text/html'))).toBeInstanceOf(DecodeError);
    const error = (await call(replay(html, 502, 'text/html'))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(502);
    expect(error.bodyExcerpt.length).toBeLessThanOrEqual(512);
  });

  it('an empty body, JSON, the wrong element, a missing required field', async () => {
    expect(await call(replay('', 200))).toMatchObject({
      code: 'DECODE_ERROR',
      message: expect.stringContaining('empty'),
    });
    expect(await call(replay('{"error":1}', 200, 'application/json'))).toBeInstanceOf(DecodeError);
    const wrong = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Other xmlns="${NS}"/></s:Body></s:Envelope>`;
    expect(await call(replay(wrong))).toMatchObject({ code: 'DECODE_ERROR', path: 'Envelope/Body/Other' });
    const missing = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><EchoResponse xmlns="${NS}"><EchoResult><amount>1</amount></EchoResult></EchoResponse></s:Body></s:Envelope>`;
    expect(await call(replay(missing))).toMatchObject({
      message: expect.stringContaining('required element <id> is missing'),
    });
  });

  it('a duplicate single element and a value outside its enumeration', async () => {
    const dup = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><EchoResponse xmlns="${NS}"><EchoResult><id>1</id><id>2</id></EchoResult></EchoResponse></s:Body></s:Envelope>`;
    expect(await call(replay(dup))).toMatchObject({ message: expect.stringContaining('occurs more than once') });
    // Responses keep values outside an enumeration (see unknown.test.ts); strict refuses them.
    const badEnum = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><EchoResponse xmlns="${NS}"><EchoResult><id>1</id><state xmlns="">OPEN</state></EchoResult></EchoResponse></s:Body></s:Envelope>`;
    expect(await call(replay(badEnum))).toEqual({ EchoResult: { id: '1', state: 'OPEN' } });
    const strict = new SoapClient(testMeta, { useContractEndpoints: true, transport: replay(badEnum), strict: true });
    expect(await strict.invoke('Echo', { id: '1' }).catch((e: unknown) => e)).toMatchObject({
      message: expect.stringContaining('not one of OK, CLOSED'),
    });
  });
});

describe('transport failures', () => {
  let server: LocalServer;
  let socketClosed: () => void = () => {};
  const slowBodySocketClosed = new Promise<void>((resolve) => {
    socketClosed = resolve;
  });
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      req.resume();
      if (req.url === '/reset') req.socket.destroy();
      else if (req.url === '/big') res.writeHead(200, { 'content-type': 'text/xml' }).end('<a>'.padEnd(10_000, 'x'));
      else if (req.url === '/redirect') res.writeHead(302, { location: '/elsewhere' }).end();
      else if (req.url === '/slow-body') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.write('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">');
        req.socket.once('close', () => socketClosed());
      } else if (req.url === '/half') {
        res.writeHead(200, { 'content-type': 'text/xml', 'content-length': '1000' });
        res.write('<s:Envelope');
        setTimeout(() => res.socket?.destroy(), 20);
      }
      // any other URL: never answers
    });
  });
  afterAll(() => server.close());

  const call = (
    path: string,
    options: { timeoutMs?: number; signal?: AbortSignal; maxResponseBytes?: number } = {},
  ) => {
    const { signal, ...rest } = options;
    const client = new SoapClient(testMeta, { endpoint: `${server.url}${path}`, ...rest });
    return client
      .invoke('Echo', { id: '1' }, signal ? { signal } : {})
      .catch((e: unknown) => e)
      .finally(() => client.close());
  };

  it('connection refused: not delivered', async () => {
    const client = new SoapClient(testMeta, { endpoint: 'http://127.0.0.1:1/x' });
    const error = await client.invoke('Echo', { id: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', maybeDelivered: false });
  });

  it('reset before the answer: maybe delivered', async () => {
    expect(await call('/reset')).toMatchObject({ code: 'CONNECTION_FAILED', maybeDelivered: true });
  });

  it('reset mid-body', async () => {
    expect(await call('/half')).toMatchObject({
      code: 'CONNECTION_FAILED',
      message: expect.stringContaining('interrupted'),
    });
  });

  it('slow headers hit the timeout', async () => {
    const started = Date.now();
    expect(await call('/silent', { timeoutMs: 100 })).toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an AbortSignal cancels', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    expect(await call('/silent', { signal: controller.signal })).toMatchObject({ code: 'ABORTED' });
  });

  it('a slow body hits the timeout and the socket is released', async () => {
    expect(await call('/slow-body', { timeoutMs: 150 })).toMatchObject({ code: 'TIMEOUT', maybeDelivered: true });
    await expect(slowBodySocketClosed).resolves.toBeUndefined();
  });

  it('a redirect is not followed: a POST is never replayed elsewhere', async () => {
    expect(await call('/redirect')).toMatchObject({ code: 'HTTP_ERROR', status: 302 });
  });

  it('an oversized response is cut off', async () => {
    expect(await call('/big', { maxResponseBytes: 1000 })).toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
  });
});

describe('hooks see redacted traffic', () => {
  it('secrets of the security policy never reach hooks or errors', async () => {
    const secret = 'p@ss<word>&1';
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const fault = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode>
      <faultstring>bad password p@ss&lt;word&gt;&amp;1</faultstring></s:Fault></s:Body></s:Envelope>`;
    const client = new SoapClient(testMeta, {
      useContractEndpoints: true,
      transport: replay(fault, 500),
      headers: { authorization: `Basic ${Buffer.from(`u:${secret}`).toString('base64')}` },
      security: {
        headers: () => [`<Token>${secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</Token>`],
        secrets: () => [secret],
      },
      hooks: { onRequest: (e) => requests.push(e), onResponse: (e) => responses.push(e) },
    });
    const error = (await client.invoke('Echo', { id: '1' }).catch((e: unknown) => e)) as SoapFaultError;
    const seen = JSON.stringify({
      requests,
      responses,
      message: error.message,
      reason: error.reason,
      stack: error.stack,
    });
    expect(requests[0]?.body).toContain('<Token>***</Token>');
    expect(requests[0]?.headers.authorization).toBe('***');
    expect(seen).not.toContain('p@ss');
    expect(seen).not.toContain(Buffer.from(secret).toString('base64'));
  });
});
