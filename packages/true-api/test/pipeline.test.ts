/**
 * True API on the shared request pipeline: the spec's `safe` flags drive retry, a 401 re-sends
 * only safe operations, one request id links hook events and the error, and callers add policies.
 */
import { createTestIdentity } from '@kz/signing/testing';
import type { RequestEvent } from '@kz/soap';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTrueApiClient, type TrueApiClientOptions, TrueApiError } from '../src/index.js';
import { startTrueApiMock, type TrueApiMock } from '../src/testing/index.js';

const identity = createTestIdentity({ commonName: 'ТЕСТ УОТ' });
const SEED_CIS = '010460026601438220071121072610XY36141322';
let mock: TrueApiMock;

beforeAll(async () => {
  mock = await startTrueApiMock({ documentCount: 3 });
});
afterAll(async () => {
  await mock.close();
});
afterEach(() => {
  mock.calls.length = 0;
});

function client(options: Partial<TrueApiClientOptions> = {}) {
  return createTrueApiClient({ baseUrl: mock.baseUrl, signer: identity.signer, ...options });
}

const count = (operation: string) => mock.calls.filter((c) => c.operation === operation).length;
const busy = JSON.stringify({ error_message: 'busy' });

describe('retry follows the spec', () => {
  it('a safe operation is retried on 503 when retry is on', async () => {
    const trueApi = client({ retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    await trueApi.login();
    mock.failNext('getCisesHistory', 503, busy);
    mock.failNext('getCisesHistory', 503, busy);
    const { data } = await trueApi.api.GET('/cises/history', { params: { query: { code: SEED_CIS } } });
    expect(data).toBeDefined();
    expect(count('getCisesHistory')).toBe(3);
  });

  it('a state-changing operation is sent once on 503, whatever the retry options', async () => {
    const trueApi = client({ retry: { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 } });
    await trueApi.login();
    mock.failNext('createCisesOrder', 503, busy);
    const error = (await trueApi.api
      .POST('/cises/my', { body: { gtin: '00000046229175' } })
      .catch((e: unknown) => e)) as TrueApiError;
    expect(error).toBeInstanceOf(TrueApiError);
    expect(error.status).toBe(503);
    expect([error.attempt, error.attempts]).toEqual([1, 1]);
    expect(count('createCisesOrder')).toBe(1);
  });

  it('without retry options nothing is retried', async () => {
    const trueApi = client();
    await trueApi.login();
    mock.failNext('getCisesHistory', 503, busy);
    const error = await trueApi.api
      .GET('/cises/history', { params: { query: { code: SEED_CIS } } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(count('getCisesHistory')).toBe(1);
  });
});

describe('401 and re-login', () => {
  it('a state-changing request refused with 401 is not sent again; the next call logs in anew', async () => {
    const trueApi = client();
    await trueApi.login();
    const logins = mock.state.logins.length;
    mock.state.expireTokens();
    const error = (await trueApi.api
      .POST('/cises/my', { body: { gtin: '00000046229175' } })
      .catch((e: unknown) => e)) as TrueApiError;
    expect(error).toBeInstanceOf(TrueApiError);
    expect(error.status).toBe(401);
    expect(count('createCisesOrder')).toBe(1);
    expect(trueApi.authenticated).toBe(false);
    // The caller decides to send it again: it goes with a new token.
    const { data } = await trueApi.api.POST('/cises/my', { body: { gtin: '00000046229175' } });
    expect(data?.uuid).toBeTruthy();
    expect(mock.state.logins.length).toBe(logins + 1);
    expect(count('createCisesOrder')).toBe(2);
  });

  it('a safe request refused with 401 is sent once more after one renewal', async () => {
    const trueApi = client();
    await trueApi.login();
    mock.state.expireTokens();
    const { data } = await trueApi.api.GET('/cises/history', { params: { query: { code: SEED_CIS } } });
    expect(data).toBeDefined();
    expect(count('getCisesHistory')).toBe(2);
  });
});

describe('the pipeline', () => {
  it('one request id links the hook events and the error, which names host and attempts', async () => {
    const requests: RequestEvent[] = [];
    const failed: (string | undefined)[] = [];
    const trueApi = client({
      timeoutMs: 4321,
      hooks: { onRequest: (e) => requests.push(e), onError: (e) => failed.push(e.requestId) },
    });
    await trueApi.login();
    mock.failNext('getCisesHistory', 400, JSON.stringify({ error_message: 'bad' }));
    const error = (await trueApi.api
      .GET('/cises/history', { params: { query: { code: SEED_CIS } } })
      .catch((e: unknown) => e)) as TrueApiError;
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failed).toEqual([error.requestId]);
    const event = requests.find((r) => r.operation === 'getCisesHistory');
    expect(event?.requestId).toBe(error.requestId);
    expect(event?.method).toBe('GET');
    expect(error.host).toBe(new URL(mock.baseUrl).host);
    expect([error.attempt, error.attempts, error.timeoutMs]).toEqual([1, 1, 4321]);
  });

  it('lists its policies in phase order and takes the caller policies', async () => {
    const seen: string[] = [];
    const trueApi = client({
      pipeline: [
        {
          phase: 'observe',
          policy: {
            name: 'trace',
            sendRequest(request, next) {
              seen.push(`${request.operation}:${request.headers.authorization ? 'token' : 'anonymous'}`);
              return next(request);
            },
          },
        },
      ],
    });
    expect(trueApi.pipeline.list().map((p) => `${p.phase}:${p.name}`)).toEqual([
      'serialize:rest-codec',
      'sign:bearer-token',
      'retry:retry',
      'observe:token-secret',
      'observe:trace',
    ]);
    await trueApi.api.GET('/cises/history', { params: { query: { code: SEED_CIS } } });
    expect(seen).toEqual(['getAuthKey:anonymous', 'simpleSignIn:anonymous', 'getCisesHistory:token']);
  });

  it('the token of the sign-in answer never reaches a response hook', async () => {
    const bodies: string[] = [];
    const trueApi = client({ hooks: { onResponse: (e) => bodies.push(e.body) } });
    await trueApi.login();
    const token = [...mock.state.tokens.keys()].at(-1) as string;
    expect(bodies.join('\n')).not.toContain(token);
    expect(bodies.join('\n')).toContain('"token":"***"');
  });
});
