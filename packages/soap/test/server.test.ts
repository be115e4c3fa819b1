/**
 * The server side: policies in a server Pipeline around the dispatch (verify refusals become
 * faults, responses signed after encoding, the phase order), SOAP Header blocks reaching the
 * operation handlers, and startSoapMock's lifecycle.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSoapHandler,
  type DecodedSoapRequest,
  type IncomingSoapRequest,
  KzError,
  type OperationHandlers,
  type OutgoingSoapResponse,
  Pipeline,
  readUsernameToken,
  SERVER_HOOKS_POLICY,
  type ServerExchangeEvent,
  type ServerPolicy,
  SOAP_SECURITY_POLICY,
  SOAP_SERVER_CODEC_POLICY,
  SoapClient,
  SoapFaultError,
  SoapFaultResponse,
  type SoapHeaderBlock,
  SoapServiceCodec,
  usernameToken,
  ValidationError,
} from '../src/index.js';
import { type SoapMock, startLocalServer, startSoapMock } from '../src/testing/index.js';
import { NS, testMeta } from './meta.js';
import { cpuMs } from './timing.js';

const echo: OperationHandlers = {
  Echo: (input: { id: string }) => ({ EchoResult: { id: input.id } }),
};

let mocks: SoapMock[] = [];
afterEach(async () => {
  await Promise.all(mocks.map((mock) => mock.close()));
  mocks = [];
});

async function serve(handlers: OperationHandlers, options: Parameters<typeof startSoapMock>[2] = {}) {
  const mock = await startSoapMock(testMeta, handlers, options);
  mocks.push(mock);
  return mock;
}

function clientOf(mock: SoapMock, options: ConstructorParameters<typeof SoapClient>[1] = {}) {
  return new SoapClient(testMeta, { endpoint: mock.url, ...options });
}

async function refusalOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => 'accepted',
    (error: unknown) => error,
  );
}

/** A verify-phase policy accepting requests whose x-token header is `token`. */
function tokenCheck(token: string, seen?: string[]): ServerPolicy {
  return {
    name: 'token-check',
    sendRequest(request, next) {
      seen?.push(`verify sees operation ${request.operation?.name ?? 'none'}`);
      if (request.headers['x-token'] !== token) throw new SoapFaultResponse('client', 'the token is refused');
      return next(request);
    },
  };
}

const SIG_NS = 'urn:kz:test:sig';

/** A sign-phase policy putting a digest of the encoded envelope in a header block. */
function digestSigner(seen?: string[]): ServerPolicy {
  return {
    name: 'digest-signer',
    async sendRequest(request, next) {
      const response = await next(request);
      seen?.push(`sign sees ${response.body.length > 0 ? 'an encoded body' : 'no body'}`);
      const digest = createHash('sha256').update(response.body).digest('hex');
      response.body = response.body.replace(
        '<soap:Body>',
        `<soap:Header><s:Digest xmlns:s="${SIG_NS}">${digest}</s:Digest></soap:Header><soap:Body>`,
      );
      return response;
    },
  };
}

describe('server policies', () => {
  it('a verify-phase refusal is a client fault; the handler never runs', async () => {
    let handled = 0;
    const events: ServerExchangeEvent[] = [];
    const mock = await serve(
      {
        Echo: (input: { id: string }) => {
          handled++;
          return { EchoResult: { id: input.id } };
        },
      },
      {
        pipeline: [{ policy: tokenCheck('s3cret'), phase: 'verify' }],
        hooks: { onExchange: (event) => events.push(event) },
      },
    );
    const refused = await refusalOf(clientOf(mock, { headers: { 'x-token': 'wrong' } }).invoke('Echo', { id: '1' }));
    expect(refused).toBeInstanceOf(SoapFaultError);
    expect((refused as SoapFaultError).message).toContain('the token is refused');
    expect(handled).toBe(0);
    expect(events).toEqual([
      expect.objectContaining({
        operation: undefined,
        status: 500,
        fault: { side: 'client', reason: 'the token is refused' },
      }),
    ]);

    const accepted = await clientOf(mock, { headers: { 'x-token': 's3cret' } }).invoke('Echo', { id: '7' });
    expect(accepted).toEqual({ EchoResult: { id: '7' } });
    expect(handled).toBe(1);
    expect(events[1]).toEqual(expect.objectContaining({ operation: 'Echo', input: { id: '7' }, status: 200 }));
  });

  it('a policy failing with a secret in its error answers "internal error" and reports it to onError only', async () => {
    const reported: unknown[] = [];
    const failing: ServerPolicy = {
      name: 'failing',
      sendRequest() {
        throw new Error('database password hunter2 rejected');
      },
    };
    const mock = await serve(echo, {
      pipeline: [{ policy: failing, phase: 'verify' }],
      onError: (error) => reported.push(error),
    });
    const response = await fetch(mock.url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: clientOf(mock).encodeRequest('Echo', { id: '1' }),
    });
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(text).toContain('internal error');
    expect(text).not.toContain('hunter2');
    expect(reported).toHaveLength(1);
    expect((reported[0] as Error).message).toContain('hunter2');
  });

  it('a sign-phase policy signs the encoded response; faults are not signed', async () => {
    const seen: string[] = [];
    const mock = await serve(
      {
        Echo: (input: { id: string }) => {
          if (input.id === '0') throw new SoapFaultResponse('client', 'id 0 is not allowed');
          return { EchoResult: { id: input.id } };
        },
      },
      { pipeline: [{ policy: digestSigner(seen), phase: 'sign' }] },
    );
    const post = (id: string) =>
      fetch(mock.url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: clientOf(mock).encodeRequest('Echo', { id }),
      }).then((response) => response.text());

    const signed = await post('5');
    const digest = /<s:Digest xmlns:s="urn:kz:test:sig">([0-9a-f]{64})<\/s:Digest>/.exec(signed)?.[1];
    expect(digest).toBeDefined();
    const unsigned = signed.replace(/<soap:Header>.*<\/soap:Header>/, '');
    expect(createHash('sha256').update(unsigned).digest('hex')).toBe(digest);
    expect(seen).toEqual(['sign sees an encoded body']);

    const fault = await post('0');
    expect(fault).toContain('id 0 is not allowed');
    expect(fault).not.toContain('Digest');
  });

  it('meets the phases in the reverse order of a client: observe, verify, retry, sign, serialize, handler', async () => {
    const seen: string[] = [];
    const tracer = (name: string): ServerPolicy => ({
      name,
      async sendRequest(request, next) {
        seen.push(`${name} in (${request.operation?.name ?? 'not decoded'})`);
        const response = await next(request);
        seen.push(`${name} out (${response.body ? 'encoded' : 'not encoded'})`);
        return response;
      },
    });
    const mock = await serve(
      {
        Echo: (input: { id: string }) => {
          seen.push('handler');
          return { EchoResult: { id: input.id } };
        },
      },
      {
        pipeline: [
          { policy: tracer('sign'), phase: 'sign' },
          { policy: tracer('verify'), phase: 'verify' },
          { policy: tracer('observe'), phase: 'observe' },
          { policy: tracer('after-codec'), after: SOAP_SERVER_CODEC_POLICY },
        ],
      },
    );
    await clientOf(mock).invoke('Echo', { id: '1' });
    expect(seen).toEqual([
      'observe in (not decoded)',
      'verify in (not decoded)',
      'sign in (not decoded)',
      'after-codec in (Echo)',
      'handler',
      'after-codec out (not encoded)',
      'sign out (encoded)',
      'verify out (encoded)',
      'observe out (encoded)',
    ]);
  });

  it('a server Pipeline lists its phases in the order a request meets them', () => {
    const pass = (name: string): ServerPolicy => ({ name, sendRequest: (request, next) => next(request) });
    const pipeline = new Pipeline<IncomingSoapRequest, OutgoingSoapResponse>([], { side: 'server' })
      .add(pass('codec'), { phase: 'serialize' })
      .add(pass('sign'), { phase: 'sign' })
      .add(pass('hooks'), { phase: 'observe' })
      .add(pass('verify'), { phase: 'verify' })
      .add(pass('audit'), { before: 'verify' });
    expect(pipeline.side).toBe('server');
    expect(pipeline.list()).toEqual([
      { name: 'hooks', phase: 'observe' },
      { name: 'audit', phase: 'verify' },
      { name: 'verify', phase: 'verify' },
      { name: 'sign', phase: 'sign' },
      { name: 'codec', phase: 'serialize' },
    ]);
    expect(pipeline.clone().side).toBe('server');
  });

  it('exposes its pipeline: the codec and hooks policies are there by name', () => {
    const handler = createSoapHandler(testMeta, echo, { hooks: {} });
    expect(handler.pipeline.list()).toEqual([
      { name: SERVER_HOOKS_POLICY, phase: 'observe' },
      { name: SOAP_SERVER_CODEC_POLICY, phase: 'serialize' },
    ]);
  });

  it('answers only the SOAP version it is given', async () => {
    const mock = await serve(echo, { soapVersion: '1.2' });
    const refused = await refusalOf(clientOf(mock, { soapVersion: '1.1' }).invoke('Echo', { id: '1' }));
    expect((refused as SoapFaultError).message).toContain('this service speaks SOAP 1.2');
    expect(await clientOf(mock, { soapVersion: '1.2' }).invoke('Echo', { id: '2' })).toEqual({
      EchoResult: { id: '2' },
    });
  });
});

describe('SOAP headers reach the operation handlers', () => {
  it('gives each Header block as standalone XML with its name and namespace, and the HTTP headers', async () => {
    let received: DecodedSoapRequest | undefined;
    const mock = await serve({
      Echo: (input: { id: string }, request: DecodedSoapRequest) => {
        received = request;
        return { EchoResult: { id: input.id } };
      },
    });
    const trace = 'trace-header';
    const client = clientOf(mock, {
      security: usernameToken({ username: 'alice', password: 'pa<ss' }),
      headers: { 'x-trace': 'abc' },
      pipeline: [
        {
          before: SOAP_SECURITY_POLICY,
          policy: {
            name: trace,
            sendRequest(request, next) {
              request.envelope?.headers.push(`<t:Trace xmlns:t="urn:kz:trace" t:level="2">t:deep</t:Trace>`);
              return next(request);
            },
          },
        },
      ],
    });
    await client.invoke('Echo', { id: '3' });
    expect(received?.operation.name).toBe('Echo');
    expect(received?.input).toEqual({ id: '3' });
    expect(received?.headers['x-trace']).toBe('abc');
    const blocks = received?.soapHeaders ?? [];
    expect(blocks.map((b: SoapHeaderBlock) => [b.ns, b.name])).toEqual([
      ['urn:kz:trace', 'Trace'],
      ['http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd', 'Security'],
    ]);
    expect(blocks[0]?.xml).toBe('<t:Trace xmlns:t="urn:kz:trace" t:level="2">t:deep</t:Trace>');
    expect(readUsernameToken(blocks)).toEqual({ username: 'alice', password: 'pa<ss' });
  });

  it('a block using a prefix declared on the Envelope carries the declaration itself', async () => {
    let blocks: readonly SoapHeaderBlock[] = [];
    const mock = await serve({
      Echo: (input: { id: string }, request: DecodedSoapRequest) => {
        blocks = request.soapHeaders;
        return { EchoResult: { id: input.id } };
      },
    });
    const body =
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:h="urn:h" xmlns:t="${NS}">` +
      '<soap:Header><h:Session>42</h:Session></soap:Header>' +
      '<soap:Body><t:Echo><t:id>1</t:id></t:Echo></soap:Body></soap:Envelope>';
    const response = await fetch(mock.url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    expect(response.status).toBe(200);
    expect(blocks).toEqual([{ ns: 'urn:h', name: 'Session', xml: '<h:Session xmlns:h="urn:h">42</h:Session>' }]);
  });

  it('a request without a Header gives no blocks, and no UsernameToken', async () => {
    let blocks: readonly SoapHeaderBlock[] | undefined;
    const mock = await serve({
      Echo: (input: { id: string }, request: DecodedSoapRequest) => {
        blocks = request.soapHeaders;
        return { EchoResult: { id: input.id } };
      },
    });
    await clientOf(mock).invoke('Echo', { id: '1' });
    expect(blocks).toEqual([]);
    expect(readUsernameToken(blocks ?? [])).toBeUndefined();
  });
});

describe('collecting Header blocks is linear in the request', () => {
  /** n blocks, each in its own namespace, using prefixes of the 2000 the Envelope declares. */
  function envelope(n: number): Buffer {
    let declarations = '';
    for (let i = 0; i < 2000; i++) declarations += ` xmlns:p${i}="urn:p${i}"`;
    let blocks = '';
    for (let i = 0; i < n; i++) {
      const p = `p${i % 2000}`;
      blocks += `<h:B${i} xmlns:h="urn:h${i}" ${p}:a="${p}:v"><h:c>${p}:text</h:c></h:B${i}>`;
    }
    return Buffer.from(
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="${NS}"${declarations}>` +
        `<soap:Header>${blocks}</soap:Header><soap:Body><t:Echo><t:id>1</t:id></t:Echo></soap:Body></soap:Envelope>`,
    );
  }

  it('n and 8n blocks: the cost grows about 8 times', async () => {
    const codec = new SoapServiceCodec(testMeta);
    const fastest = async (body: Buffer) => {
      let best = Number.POSITIVE_INFINITY;
      let count = 0;
      for (let run = 0; run < 5; run++) {
        const started = cpuMs();
        count = (await codec.decodeRequest(body)).headers.length;
        best = Math.min(best, cpuMs() - started);
      }
      return { best, count };
    };
    const n = 1000;
    const small = envelope(n);
    const large = envelope(8 * n);
    await fastest(small); // warm-up
    let ratio = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 3 && ratio >= 24; attempt++) {
      const a = await fastest(small);
      const b = await fastest(large);
      expect([a.count, b.count]).toEqual([n, 8 * n]);
      ratio = b.best / Math.max(a.best, 0.05);
    }
    expect(ratio).toBeLessThan(24);
  }, 120_000);
});

describe('startSoapMock', () => {
  it('serves on 127.0.0.1 at the contract path, 404 elsewhere, and releases its port when closed', async () => {
    const mock = await startSoapMock(testMeta, echo);
    const { hostname, port, pathname } = new URL(mock.url);
    expect(hostname).toBe('127.0.0.1');
    expect(pathname).toBe('/test');
    expect(mock.origin).toBe(`http://127.0.0.1:${port}`);
    expect(await clientOf(mock).invoke('Echo', { id: '9' })).toEqual({ EchoResult: { id: '9' } });
    expect((await fetch(`${mock.origin}/other`)).status).toBe(404);

    await mock[Symbol.asyncDispose]();
    await mock.close(); // closing again is harmless
    const refused = await refusalOf(fetch(mock.url));
    expect(refused).toBeInstanceOf(Error);
    // The port is free again: another server can listen on it.
    const other = net.createServer();
    await new Promise<void>((resolve, reject) => {
      other.once('error', reject);
      other.listen(Number(port), '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });

  it('closes while a keep-alive connection is open', async () => {
    const mock = await startSoapMock(testMeta, echo);
    const client = clientOf(mock);
    await client.invoke('Echo', { id: '1' });
    const started = performance.now();
    await mock.close();
    expect(performance.now() - started).toBeLessThan(2000);
    client.close();
  });

  it('serves further services at their own paths, each with its own options', async () => {
    const events: string[] = [];
    const mock = await serve(echo, {
      path: '/one',
      hooks: { onExchange: (event) => events.push(`one ${event.operation}`) },
      services: [
        {
          path: '/two',
          meta: testMeta,
          handlers: { Echo: (input: { id: string }) => ({ EchoResult: { id: String(Number(input.id) + 1) } }) },
          options: { hooks: { onExchange: (event) => events.push(`two ${event.operation}`) } },
        },
      ],
    });
    expect(mock.url).toBe(`${mock.origin}/one`);
    expect(await clientOf(mock).invoke('Echo', { id: '1' })).toEqual({ EchoResult: { id: '1' } });
    const two = new SoapClient(testMeta, { endpoint: `${mock.origin}/two` });
    expect(await two.invoke('Echo', { id: '1' })).toEqual({ EchoResult: { id: '2' } });
    expect(events).toEqual(['one Echo', 'two Echo']);
  });
});

describe('mistakes of the server side are errors of the family, answered as server faults', () => {
  const bad = { EchoResult: { id: 'not a number', state: 'BOGUS' } };

  it('encodeResponse: output that breaks the schema is a ValidationError listing every issue', () => {
    const codec = new SoapServiceCodec(testMeta);
    let thrown: unknown;
    try {
      codec.encodeResponse(testMeta.operations.Echo!, bad, '1.1');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const error = thrown as ValidationError;
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.service).toBe(testMeta.service);
    expect(error.operation).toBe('Echo');
    expect(error.message).toMatch(/^\w+\.Echo: invalid response: /);
    expect(error.issues.map((issue) => issue.field)).toEqual(['EchoResult.id', 'EchoResult.state']);
  });

  it('a handler returning such output: the caller gets "internal error", onError the ValidationError', async () => {
    const reported: unknown[] = [];
    const mock = await serve({ Echo: () => bad }, { onError: (error) => reported.push(error) });
    const refused = await refusalOf(clientOf(mock).invoke('Echo', { id: '1' }));
    expect((refused as SoapFaultError).reason).toBe('internal error');
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(ValidationError);
  });

  it('a pipeline whose codec policy was removed: onError gets KzError CONFIG_ERROR naming it', async () => {
    const reported: unknown[] = [];
    const handler = createSoapHandler(testMeta, echo, { onError: (error) => reported.push(error) });
    handler.pipeline.remove(SOAP_SERVER_CODEC_POLICY);
    const server = await startLocalServer(handler);
    try {
      const answer = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: new SoapClient(testMeta, { endpoint: server.url }).encodeRequest('Echo', { id: '1' }),
      });
      expect(answer.status).toBe(500);
      expect(await answer.text()).toContain('internal error');
    } finally {
      await server.close();
    }
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(KzError);
    expect((reported[0] as KzError).code).toBe('CONFIG_ERROR');
    expect((reported[0] as KzError).message).toContain(SOAP_SERVER_CODEC_POLICY);
  });

  it('startSoapMock with two services at one path: KzError CONFIG_ERROR naming the path', async () => {
    const refused = await refusalOf(
      startSoapMock(testMeta, echo, { path: '/same', services: [{ path: '/same', meta: testMeta, handlers: echo }] }),
    );
    expect(refused).toBeInstanceOf(KzError);
    expect((refused as KzError).code).toBe('CONFIG_ERROR');
    expect((refused as KzError).message).toContain('two services at /same');
  });
});
