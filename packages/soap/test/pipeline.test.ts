/** The request pipeline: placement by phase and name, request ids, retry by `safe`, verify refusals final. */
import { describe, expect, it } from 'vitest';
import {
  HttpError,
  KzError,
  newPipelineRequest,
  Pipeline,
  type PipelinePolicy,
  type RequestEvent,
  SignatureError,
  SoapClient,
  SoapServiceCodec,
  type Transport,
} from '../src/index.js';
import { testMeta } from './meta.js';

const codec = new SoapServiceCodec(testMeta);
const okBody = codec.encodeResponse(testMeta.operations.Echo!, { EchoResult: { id: '1' } }, '1.1');

function passThrough(name: string, seen?: string[]): PipelinePolicy {
  return {
    name,
    sendRequest(request, next) {
      seen?.push(name);
      return next(request);
    },
  };
}

/** A transport answering with `statuses` in turn (then 200 with a valid response), counting sends. */
function scripted(statuses: number[] = []): Transport & { sent: number } {
  const transport = {
    sent: 0,
    async send() {
      const status = statuses[transport.sent++] ?? 200;
      const body = status === 200 ? okBody : 'busy';
      return {
        status,
        headers: { 'content-type': status === 200 ? 'text/xml' : 'text/plain' },
        body: Buffer.from(body),
      };
    },
  };
  return transport;
}

const unsafeMeta = { ...testMeta, operations: { Echo: { ...testMeta.operations.Echo!, safe: false } } };

describe('newPipelineRequest', () => {
  it('starts every request with its own id, attempt 1 of 1, and its own list of secrets', () => {
    const secrets = ['s3cret'];
    const fields = {
      service: 'S',
      operation: 'op',
      safe: true,
      url: 'http://127.0.0.1:1/x',
      method: 'POST',
      headers: {},
      body: undefined,
      timeoutMs: 1000,
      maxResponseBytes: 1024,
      secrets,
    };
    const first = newPipelineRequest(fields);
    const second = newPipelineRequest(fields);
    expect(first.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.requestId).not.toBe(first.requestId);
    expect([first.attempt, first.attempts]).toEqual([1, 1]);
    first.secrets.push('token');
    expect(secrets).toEqual(['s3cret']);
    expect(second.secrets).toEqual(['s3cret']);
    expect(newPipelineRequest({ ...fields, secrets: undefined }).secrets).toEqual([]);
  });
});

describe('Pipeline placement', () => {
  it('orders policies by phase, then by insertion, before and after', () => {
    const pipeline = new Pipeline()
      .add(passThrough('log'), { phase: 'observe' })
      .add(passThrough('codec'), { phase: 'serialize' })
      .add(passThrough('retry'), { phase: 'retry' })
      .add(passThrough('sign'), { phase: 'sign' })
      .add(passThrough('trace'), { before: 'log' })
      .add(passThrough('audit'), { after: 'codec' });
    expect(pipeline.list()).toEqual([
      { name: 'codec', phase: 'serialize' },
      { name: 'audit', phase: 'serialize' },
      { name: 'sign', phase: 'sign' },
      { name: 'retry', phase: 'retry' },
      { name: 'trace', phase: 'observe' },
      { name: 'log', phase: 'observe' },
    ]);
    expect(pipeline.remove('audit')?.name).toBe('audit');
    expect(pipeline.remove('audit')).toBeUndefined();
    expect(pipeline.list().map((p) => p.name)).toEqual(['codec', 'sign', 'retry', 'trace', 'log']);
  });

  it('refuses duplicate names, unknown anchors and phases with CONFIG_ERROR', () => {
    const pipeline = new Pipeline().add(passThrough('a'), { phase: 'sign' });
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof KzError ? error.code : 'not a KzError';
      }
      return 'accepted';
    };
    expect(refusal(() => pipeline.add(passThrough('a'), { phase: 'observe' }))).toBe('CONFIG_ERROR');
    expect(refusal(() => pipeline.add(passThrough('b'), { before: 'missing' }))).toBe('CONFIG_ERROR');
    expect(refusal(() => pipeline.add(passThrough('b'), { after: 'a', phase: 'observe' }))).toBe('CONFIG_ERROR');
    expect(refusal(() => pipeline.add(passThrough('b'), { phase: 'nowhere' as 'sign' }))).toBe('CONFIG_ERROR');
    expect(refusal(() => pipeline.add(passThrough('b'), {}))).toBe('CONFIG_ERROR');
    expect(pipeline.list().map((p) => p.name)).toEqual(['a']);
  });

  it('a clone changes without changing the original', () => {
    const pipeline = new Pipeline().add(passThrough('a'), { phase: 'sign' });
    const copy = pipeline.clone().add(passThrough('b'), { phase: 'observe' });
    expect(pipeline.list().map((p) => p.name)).toEqual(['a']);
    expect(copy.list().map((p) => p.name)).toEqual(['a', 'b']);
  });
});

describe('SoapClient on the pipeline', () => {
  it('builds codec, retry and hooks in phase order, and takes the caller policies where asked', async () => {
    const seen: string[] = [];
    const headerOf: string[] = [];
    const client = new SoapClient(testMeta, {
      endpoint: 'http://127.0.0.1:9/svc',
      transport: {
        async send(request) {
          headerOf.push(request.headers['x-tenant'] ?? '');
          return { status: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(okBody) };
        },
      },
      hooks: { onRequest: () => seen.push('hook') },
      pipeline: [
        { policy: passThrough('first-observer', seen), phase: 'observe' },
        {
          policy: {
            name: 'tenant',
            sendRequest(request, next) {
              request.headers['x-tenant'] = 'kz-1';
              return next(request);
            },
          },
          before: 'retry',
        },
      ],
    });
    expect(client.pipeline.list().map((p) => p.name)).toEqual([
      'soap-codec',
      'tenant',
      'retry',
      'hooks',
      'first-observer',
    ]);
    await client.invoke('Echo', { id: '1' });
    expect(seen).toEqual(['hook', 'first-observer']);
    expect(headerOf).toEqual(['kz-1']);
    client.pipeline.remove('tenant');
    await client.invoke('Echo', { id: '1' });
    expect(headerOf).toEqual(['kz-1', '']);
  });

  it('one request id links the request and response events and the error, with host and attempts', async () => {
    const requests: RequestEvent[] = [];
    const errors: (string | undefined)[] = [];
    const transport = scripted([503, 503, 503]);
    const client = new SoapClient(testMeta, {
      endpoint: 'https://user:pw@esf.example.kz:8443/path?token=x',
      transport,
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      timeoutMs: 1234,
      hooks: {
        onRequest: (event) => requests.push(event),
        onError: (event) => errors.push(event.requestId),
      },
    });
    const error = await client.invoke('Echo', { id: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    const failure = error as HttpError;
    expect(transport.sent).toBe(3);
    expect(failure.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests.map((r) => r.requestId)).toEqual([failure.requestId, failure.requestId, failure.requestId]);
    expect(errors).toEqual([failure.requestId]);
    expect(failure.host).toBe('esf.example.kz:8443');
    expect([failure.attempt, failure.attempts, failure.timeoutMs]).toEqual([3, 3, 1234]);
    // The next call has an id of its own.
    await client.invoke('Echo', { id: '1' });
    const ids = new Set(requests.map((r) => r.requestId));
    expect(ids.size).toBe(2);
  });

  it('an error built from a call error (a facade re-raising it) keeps its request id and where', async () => {
    const client = new SoapClient(testMeta, { endpoint: 'http://127.0.0.1:9/svc', transport: scripted([500]) });
    const failure = (await client.invoke('Echo', { id: '1' }).catch((e: unknown) => e)) as HttpError;
    const wrapped = new KzError(failure, 'NOT_DELIVERED', 'the service refused it');
    expect(failure.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(wrapped).toMatchObject({
      requestId: failure.requestId,
      host: '127.0.0.1:9',
      attempt: 1,
      attempts: 1,
      timeoutMs: 30_000,
      service: failure.service,
      operation: 'Echo',
    });
    expect(new KzError({ service: 'S', operation: 'o' }, 'CONFIG_ERROR', 'no call').requestId).toBeUndefined();
  });

  it('never retries an operation that is not marked safe, whatever the options', async () => {
    const transport = scripted([503, 503]);
    const client = new SoapClient(unsafeMeta, {
      endpoint: 'http://127.0.0.1:9/svc',
      transport,
      retry: { attempts: 5, baseDelayMs: 1 },
    });
    const error = (await client.invoke('Echo', { id: '1' }).catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(transport.sent).toBe(1);
    expect([error.attempt, error.attempts]).toEqual([1, 1]);
  });

  it('a response the verify phase refuses is final: a SignatureError, never retried', async () => {
    const transport = scripted();
    const client = new SoapClient(testMeta, {
      endpoint: 'http://127.0.0.1:9/svc',
      transport,
      retry: { attempts: 5, baseDelayMs: 1 },
      security: {
        secrets: () => [],
        verifyResponse() {
          throw new Error('digest mismatch');
        },
      },
    });
    const error = (await client.invoke('Echo', { id: '1' }).catch((e: unknown) => e)) as SignatureError;
    expect(error).toBeInstanceOf(SignatureError);
    expect(transport.sent).toBe(1);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.pipeline.list().map((p) => `${p.phase}:${p.name}`)).toEqual([
      'serialize:soap-codec',
      'sign:soap-security',
      'retry:retry',
      'verify:soap-verify',
    ]);
  });

  it('a policy may answer without calling the transport', async () => {
    const transport = scripted();
    const client = new SoapClient(testMeta, {
      endpoint: 'http://127.0.0.1:9/svc',
      transport,
      pipeline: [
        {
          phase: 'observe',
          policy: {
            name: 'canned',
            sendRequest: async () => ({
              status: 200,
              headers: { 'content-type': 'text/xml' },
              body: Buffer.from(okBody),
              deadline: performance.now() + 1000,
            }),
          },
        },
      ],
    });
    expect(await client.invoke('Echo', { id: '1' })).toEqual({ EchoResult: { id: '1' } });
    expect(transport.sent).toBe(0);
  });
});
