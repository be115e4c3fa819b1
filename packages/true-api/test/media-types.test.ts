/**
 * Every operation of the spec through the typed client against a 127.0.0.1 echo server: each
 * request goes out as its documented media type (JSON, text/plain, multipart/form-data with a
 * binary content part) and each answer is read as its documented media type (JSON, text, ZIP);
 * an answer of another Content-Type is a DecodeError, never data.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createTestIdentity } from '@kz/signing/testing';
import { DecodeError, ValidationError } from '@kz/soap';
import { type LocalServer, startLocalServer } from '@kz/soap/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationMeta as generated, type OperationMeta } from '../src/generated/operations.js';
import { createTrueApiClient, type TrueApiClient } from '../src/index.js';

interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  body: Buffer;
}
interface Answer {
  status: number;
  contentType?: string;
  body: string | Uint8Array;
}

const ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
let server: LocalServer;
let client: TrueApiClient;
let next: Answer | undefined;
const received: Received[] = [];

beforeAll(async () => {
  server = await startLocalServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const reply = (a: Answer) => {
        res.writeHead(a.status, a.contentType ? { 'content-type': a.contentType } : {}).end(a.body);
      };
      if (path.endsWith('/auth/key'))
        return reply({ status: 200, contentType: 'application/json', body: '{"uuid":"u-1","data":"Y2hhbGxlbmdl"}' });
      if (path.endsWith('/auth/simpleSignIn'))
        return reply({ status: 200, contentType: 'application/json', body: '{"token":"t-1"}' });
      received.push({
        method: req.method ?? '',
        path,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks),
      });
      reply(next ?? { status: 500, body: '' });
    });
  });
  client = createTrueApiClient({ endpoint: `${server.url}/api/v3/true-api`, signer: createTestIdentity().signer });
  await client.login();
});
afterAll(() => server.close());

type OperationId = keyof typeof generated;
const operationMeta: Record<OperationId, OperationMeta> = generated;

/** The answer an operation documents first, as the echo server sends it. */
function documentedAnswer(id: OperationId): { answer: Answer; expected: unknown } {
  const type = operationMeta[id].responseMediaTypes[0];
  if (type === undefined) return { answer: { status: 201, body: '' }, expected: undefined };
  if (type === 'application/json') {
    return {
      answer: { status: 200, contentType: 'application/json;charset=UTF-8', body: '{"echo":[1,"два"]}' },
      expected: { echo: [1, 'два'] },
    };
  }
  if (type === 'text/plain')
    return {
      answer: { status: 200, contentType: 'text/plain;charset=UTF-8', body: 'UEQ5NGJXdz0=' },
      expected: 'UEQ5NGJXdz0=',
    };
  if (type === 'application/zip')
    return { answer: { status: 200, contentType: 'application/zip', body: ZIP }, expected: 'zip' };
  throw new Error(`no answer for ${type}`);
}

/** A body of the operation's request media type. */
function bodyFor(id: OperationId): unknown {
  switch (operationMeta[id].requestMediaType) {
    case undefined:
      return undefined;
    case 'application/json':
      return { any: 'json' };
    case 'text/plain':
      return 'MIIB-signature-text';
    case 'multipart/form-data':
      return { content: new Blob([Buffer.from('<file/>').toString('base64')]), signature: 'MIIB-signature' };
    default:
      throw new Error(`no body for ${operationMeta[id].requestMediaType}`);
  }
}

/** Path parameters filled with harmless values (the decision enum with one of its own). */
const pathParams = (path: string) =>
  Object.fromEntries(
    [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => [name, name === 'decision' ? 'approve' : `p-${name}`]),
  );

/** Calls an operation by its route: the generic form of what a typed call does. */
function callOperation(id: OperationId) {
  const op = operationMeta[id];
  const body = bodyFor(id);
  const request = client.operations.request as unknown as (
    method: string,
    url: string,
    init: Record<string, unknown>,
  ) => Promise<{ data?: unknown; response: Response }>;
  return request(op.method.toUpperCase(), op.path, {
    params: { path: pathParams(op.path) },
    ...(body === undefined ? {} : { body }),
  });
}

const ids = (Object.keys(operationMeta) as OperationId[]).filter((id) => id !== 'getAuthKey' && id !== 'simpleSignIn');

describe('every operation is sent and read as its documented media types', () => {
  it('the spec has 46 operations, with the media types the seed documents', () => {
    expect(Object.keys(operationMeta)).toHaveLength(46);
    const by = (pick: (op: OperationMeta) => boolean) =>
      (Object.keys(operationMeta) as OperationId[]).filter((id) => pick(operationMeta[id])).sort();
    expect(by((op) => op.requestMediaType === 'multipart/form-data')).toEqual(['createFormalOutgoingDocument']);
    expect(by((op) => op.requestMediaType === 'text/plain')).toEqual([
      'signIncomingDocumentDecisionTitle',
      'signOutgoingDocumentWithdrawTitle',
    ]);
    expect(by((op) => op.responseMediaTypes.length === 1 && op.responseMediaTypes[0] === 'text/plain')).toHaveLength(8);
  });

  it.each(ids)('%s', async (id) => {
    const op = operationMeta[id];
    const { answer, expected } = documentedAnswer(id);
    next = answer;
    const before = received.length;
    const { data } = await callOperation(id);
    const request = received[before];
    expect(received.length).toBe(before + 1);
    expect(request?.method).toBe(op.method.toUpperCase());

    const type = request?.contentType ?? '';
    switch (op.requestMediaType) {
      case undefined:
        expect(request?.body.length).toBe(0);
        break;
      case 'application/json':
        expect(type).toMatch(/^application\/json/);
        expect(JSON.parse(request?.body.toString('utf8') ?? '')).toEqual({ any: 'json' });
        break;
      case 'text/plain':
        expect(type).toMatch(/^text\/plain/);
        expect(request?.body.toString('utf8')).toBe('MIIB-signature-text');
        break;
      case 'multipart/form-data': {
        expect(type).toMatch(/^multipart\/form-data; boundary=/);
        const form = await new Response(new Uint8Array(request?.body ?? []), {
          headers: { 'content-type': type },
        }).formData();
        const content = form.get('content');
        expect(content).toBeInstanceOf(File);
        expect(await (content as File).text()).toBe(Buffer.from('<file/>').toString('base64'));
        expect(form.get('signature')).toBe('MIIB-signature');
        break;
      }
    }

    if (expected === 'zip') {
      expect(data).toBeInstanceOf(Blob);
      expect(new Uint8Array(await (data as Blob).arrayBuffer())).toEqual(ZIP);
    } else {
      expect(data).toEqual(expected);
    }
  });
});

describe('typed calls need no casts or serializers at the call site', () => {
  it('a signature upload as text, a title read as text, the formal document as a form with a file part', async () => {
    next = { status: 201, body: '' };
    const signed = await client.operations.POST('/edo-api/outgoing-documents/{documentId}/events/signature', {
      params: { path: { documentId: 'd-1' } },
      body: 'MIIB-signature-text',
    });
    expect(signed.response.status).toBe(201);
    expect(received.at(-1)?.contentType).toMatch(/^text\/plain/);

    next = { status: 200, contentType: 'text/plain', body: 'PHRpdGxlLz4=' };
    const { data: title } = await client.operations.GET(
      '/edo-api/incoming-documents/{documentId}/events/{decision}/base64',
      {
        params: { path: { documentId: 'd-1', decision: 'reject' } },
      },
    );
    const text: string | undefined = title;
    expect(text).toBe('PHRpdGxlLz4=');

    next = { status: 200, contentType: 'text/plain', body: '3fa85f64-5717-4562-b3fc-2c963f66afa6' };
    const { data: created } = await client.operations.POST('/edo-api/outgoing-documents/formal', {
      body: { content: new Blob(['PD94bWwvPg==']), signature: 'MIIB' },
    });
    // The formal upload answers JSON or text (both documented): each read as what it is.
    expect(created).toBe('3fa85f64-5717-4562-b3fc-2c963f66afa6');
    next = { status: 200, contentType: 'application/json', body: '{"documentId":"d-2"}' };
    const { data: createdJson } = await client.operations.POST('/edo-api/outgoing-documents/formal', {
      body: { content: new Blob(['PD94bWwvPg==']), signature: 'MIIB' },
    });
    expect(createdJson).toEqual({ documentId: 'd-2' });
  });

  it('a text/plain operation refuses a body that is not text, before sending', async () => {
    const before = received.length;
    const error = await client.operations
      .POST('/edo-api/outgoing-documents/{documentId}/events/signature', {
        params: { path: { documentId: 'd-1' } },
        body: { not: 'text' } as unknown as string,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(received.length).toBe(before);
  });
});

describe('an answer of another Content-Type is a DecodeError', () => {
  it.each([
    ['a text operation answering JSON', 'getOutgoingDocumentBase64', 'application/json', '"UEQ5NA=="'],
    ['a JSON operation answering HTML', 'getEdoDocumentInfo', 'text/html', '<html>maintenance</html>'],
    ['a JSON operation answering JSON as text/plain', 'getEdoDocumentInfo', 'text/plain', '{"id":"x"}'],
    ['a JSON operation whose JSON does not parse', 'getEdoDocumentInfo', 'application/json', '{"id":'],
    ['a ZIP operation answering JSON', 'getCisesOrderResult', 'application/json', '{"status":"IN_PROGRESS"}'],
    ['an answer without a Content-Type', 'getDocumentInfo', undefined, '{"id":"x"}'],
  ] as const)('%s', async (_, id, contentType, body) => {
    next = { status: 200, ...(contentType ? { contentType } : {}), body };
    const error = await callOperation(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).operation).toBe(id);
  });
});
