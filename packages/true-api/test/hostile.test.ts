/**
 * True API against servers on 127.0.0.1 that answer 200 with what is not JSON (an HTML proxy
 * page, a truncated body, corrupt gzip or deflate) or with far too much: typed errors from the
 * family with bounded, redacted excerpts, from the login and from every call, on both transports
 * (the default node:http one and a fetch); the response cap enforced while the body streams.
 * Polling stops on abort with ABORTED and leaves no listener per poll; CSV columns from the
 * service cannot reach an object's prototype.
 */
import { getEventListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { createTestIdentity } from '@kz/signing/testing';
import { DEFAULT_MAX_RESPONSE_BYTES, DecodeError, TransportError } from '@kz/soap';
import { type LocalServer, startLocalServer } from '@kz/soap/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrueApiClient, recordsOf, type TrueApiClientOptions } from '../src/index.js';
import { startTrueApiMock } from '../src/testing/index.js';

const identity = createTestIdentity({ commonName: 'ТЕСТ УОТ' });
const MB = 1000 * 1000;
const TOKEN = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url')}.c2lnbmF0dXJl`;

type Answer = (req: IncomingMessage, res: ServerResponse) => void;
const json =
  (value: unknown): Answer =>
  (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));

/** Answers the login, then `answer` for every other call; echoes the bearer token into its bodies. */
let server: LocalServer;
let answer: Answer = json({});
let loginAnswer: Answer | undefined;
let streamed = 0;
beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    req.resume();
    if (req.url?.endsWith('/auth/key')) return (loginAnswer ?? json({ uuid: 'u-1', data: 'challenge' }))(req, res);
    if (req.url?.endsWith('/auth/simpleSignIn')) return json({ token: TOKEN })(req, res);
    answer(req, res);
  });
});
afterAll(() => server.close());

const fetchVariants: [string, Partial<TrueApiClientOptions>][] = [
  ['node:http transport', {}],
  ['fetch', { fetch: globalThis.fetch }],
];
const client = (options: Partial<TrueApiClientOptions> = {}) =>
  createTrueApiClient({ endpoint: `${server.url}/api/v3/true-api`, signer: identity.signer, ...options });

const html = (req: IncomingMessage) =>
  `<html><body><h1>502 Proxy</h1><p>${req.headers.authorization} ${'x'.repeat(5000)}</p></body></html>`;

const BROKEN: Record<string, Answer> = {
  'an HTML proxy page': (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html(req)),
  'an HTML page labelled JSON': (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(html(req)),
  'a truncated JSON body': (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(`{"results":[{"cis":"${TOKEN}"},{"cis":`),
  'corrupt gzip': (_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      .end(Buffer.concat([gzipSync('{"a":1}').subarray(0, 12), Buffer.from('garbage garbage garbage')])),
  'corrupt deflate': (_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' })
      .end(Buffer.from('definitely not deflate')),
  'invalid UTF-8': (_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
};

function expectTypedAndClean(error: unknown, operation: string): void {
  expect(error).toBeInstanceOf(DecodeError);
  expect(error).not.toBeInstanceOf(SyntaxError);
  expect(error).toMatchObject({ code: 'DECODE_ERROR', operation, httpStatus: 200, maybeDelivered: true });
  const e = error as DecodeError;
  expect(e.message.length).toBeLessThan(1024);
  expect(`${e.message}${e.stack}${JSON.stringify(e)}`).not.toContain(TOKEN.split('.')[1]);
  expect(e.cause).toBeUndefined();
}

describe.each(fetchVariants)('a 200 that is not JSON (%s)', (_name, variant) => {
  it.each(Object.entries(BROKEN))('%s: from a call', async (_case, broken) => {
    answer = broken;
    const error = await client(variant)
      .operations.GET('/cises/history', { params: { query: { cis: 'x' } } } as never)
      .catch((e: unknown) => e);
    expectTypedAndClean(error, 'getCisesHistory');
  });

  it.each(Object.entries(BROKEN))('%s: from the login', async (_case, broken) => {
    loginAnswer = broken;
    try {
      const error = await client(variant)
        .login()
        .catch((e: unknown) => e);
      expectTypedAndClean(error, 'getAuthKey');
    } finally {
      loginAnswer = undefined;
    }
  });

  it('valid gzip and deflate bodies are read', async () => {
    for (const [encoding, zip] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
    ] as const) {
      answer = (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding })
          .end(zip(JSON.stringify([{ cis: 'c-1' }])));
      const { data } = await client(variant).operations.POST('/cises/info', { body: ['c-1'] } as never);
      expect(data).toEqual([{ cis: 'c-1' }]);
    }
  });
});

/** Streams `total` bytes of JSON-looking text, stopping when the client goes away. */
function streaming(total: number): Answer {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    const chunk = Buffer.alloc(64 * 1024, '1,');
    streamed = 0;
    const pump = (): void => {
      while (streamed < total && !res.destroyed) {
        streamed += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end('1]');
    };
    res.on('close', () => {
      streamed = Math.min(streamed, total);
    });
    pump();
  };
}

async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMB: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 2);
  const result = await work();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, growthMB: (peak - base) / MB };
}

describe('response caps', () => {
  it("the default cap is @kz/soap's", async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(64 * 1024 * 1024);
  });

  it.each(fetchVariants)('a 100 MB body is refused at the cap, without reading it all (%s)', async (_name, variant) => {
    answer = streaming(100 * MB);
    const trueApi = client({ ...variant, maxResponseBytes: 8 * MB });
    await trueApi.login();
    const { result, growthMB } = await peakRssGrowth(() =>
      trueApi.operations.POST('/cises/info', { body: ['c-1'] } as never).catch((e: unknown) => e),
    );
    expect(result).toBeInstanceOf(TransportError);
    expect(result).toMatchObject({ code: 'RESPONSE_TOO_LARGE', maybeDelivered: true });
    // Bytes still in flight when the client closed are counted on the server: far from 100 MB.
    expect(streamed).toBeLessThan(40 * MB);
    expect(growthMB).toBeLessThan(120);
    console.log(
      `100 MB body, 8 MB cap (${_name}): refused after ${(streamed / MB).toFixed(0)} MB sent, RSS +${growthMB.toFixed(0)} MB`,
    );
  });

  it('the default cap holds for a 100 MB body too', async () => {
    answer = streaming(100 * MB);
    const trueApi = client();
    await trueApi.login();
    const { result, growthMB } = await peakRssGrowth(() =>
      trueApi.operations.POST('/cises/info', { body: ['c-1'] } as never).catch((e: unknown) => e),
    );
    expect(result).toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    expect(streamed).toBeLessThan(100 * MB);
    expect(growthMB).toBeLessThan(300);
    console.log(
      `100 MB body, default cap: refused after ${(streamed / MB).toFixed(0)} MB sent, RSS +${growthMB.toFixed(0)} MB`,
    );
  }, 60_000);
});

describe('polling', () => {
  it('an abort ends the order wait with ABORTED; one abort listener at most over many polls', async () => {
    const slow = await startTrueApiMock({ pollsUntilReady: 100_000 });
    try {
      const trueApi = createTrueApiClient({ endpoint: slow.endpoint, signer: identity.signer });
      const controller = new AbortController();
      let mostListeners = 0;
      const error = await trueApi
        .orderMyCodes(
          { gtin: '00000046229175' },
          {
            intervalMs: 1,
            signal: controller.signal,
            onProgress: (p) => {
              mostListeners = Math.max(mostListeners, getEventListeners(controller.signal, 'abort').length);
              if (p.polls === 60) controller.abort();
            },
          },
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: true });
      expect(mostListeners).toBeLessThanOrEqual(1);
    } finally {
      await slow.close();
    }
  }, 60_000);
});

describe('lookup tables fed by the service are prototype-free', () => {
  it('a CSV column named __proto__ or constructor stays a column', () => {
    const csv = '__proto__,constructor,cis\n{"polluted":1},ctor,c-1\n';
    const [record] = recordsOf({ name: 'codes.csv', data: new TextEncoder().encode(csv) }) as Record<string, unknown>[];
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.hasOwn(record as object, '__proto__')).toBe(true);
    expect((record as Record<string, unknown>).cis).toBe('c-1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an archive file that is not JSON is a DecodeError, not a SyntaxError quoting it', () => {
    const error = (() => {
      try {
        recordsOf({ name: 'codes.json', data: new TextEncoder().encode(`{"cis": "${TOKEN}", oops`) });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DecodeError);
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });
});
