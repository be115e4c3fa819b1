/**
 * The client against the mock over real HTTP: signed login, token renewal (401, expiry,
 * concurrency), escaping, the error family, secrets, and the workflows (order, chunks, pages).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyCms } from '@kz/signing';
import { createTestIdentity } from '@kz/signing/testing';
import { KzError, TransportError, ValidationError, WaitTimeoutError } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createTrueApiClient,
  type OrderWaitResume,
  type TrueApiClient,
  type TrueApiClientOptions,
  TrueApiError,
} from '../src/index.js';
import { startTrueApiMock, type TrueApiMock } from '../src/testing/index.js';

const identity = createTestIdentity({ commonName: 'ТЕСТ УОТ' });
const SEED_CIS = '010460026601438220071121072610XY36141322';
let mock: TrueApiMock;

beforeAll(async () => {
  mock = await startTrueApiMock({ documentCount: 7 });
});
afterAll(async () => {
  await mock.close();
});
afterEach(() => {
  mock.calls.length = 0;
});

function client(options: Partial<TrueApiClientOptions> = {}): TrueApiClient {
  return createTrueApiClient({ endpoint: mock.endpoint, signer: identity.signer, ...options });
}

function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('login', () => {
  it('signs the issued challenge as attached CMS; the signature verifies independently', async () => {
    const trueApi = client();
    expect(trueApi.authenticated).toBe(false);
    await trueApi.login();
    expect(trueApi.authenticated).toBe(true);
    const [key, signIn] = mock.calls;
    expect(key?.operation).toBe('getAuthKey');
    expect(signIn?.operation).toBe('simpleSignIn');
    const { uuid, data } = JSON.parse(signIn?.body ?? '{}') as { uuid: string; data: string };
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    const der = Buffer.from(data, 'base64');
    const verified = verifyCms(der);
    expect(verified.certificate).toBe(identity.certificatePem.replace(/-----[^-]+-----|\s/g, ''));
    // The content is the challenge the mock issued for this uuid, which it consumed on success.
    expect(mock.state.challenges.has(uuid)).toBe(false);
    expect(Buffer.from(verified.content).toString('utf8')).toMatch(/^[A-Z0-9_-]{32}$/);
    if (opensslAvailable()) {
      const dir = mkdtempSync(path.join(tmpdir(), 'true-api-cms-'));
      writeFileSync(path.join(dir, 'sig.der'), der);
      writeFileSync(path.join(dir, 'cert.pem'), identity.certificatePem);
      const content = execFileSync('openssl', [
        'cms',
        '-verify',
        '-inform',
        'DER',
        '-in',
        path.join(dir, 'sig.der'),
        '-CAfile',
        path.join(dir, 'cert.pem'),
        '-purpose',
        'any',
      ]);
      expect(content.toString('utf8')).toBe(Buffer.from(verified.content).toString('utf8'));
    }
  });

  it('a signature by another key over another challenge is refused by the mock', async () => {
    const other = createTestIdentity();
    const cheat = {
      async signCms(data: Uint8Array) {
        return other.signer.signCms(new Uint8Array([...data, 0x21]));
      },
    };
    const error = await client({ signer: cheat })
      .login()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrueApiError);
    expect((error as TrueApiError).status).toBe(400);
    expect((error as TrueApiError).operation).toBe('simpleSignIn');
    expect((error as TrueApiError).errorMessage).toBe('Подписанные данные не совпадают с выданными');
  });

  it('a failing signer surfaces as SignatureError without calling simpleSignIn', async () => {
    const error = await client({ signer: { signCms: () => Promise.reject(new Error('token removed')) } })
      .login()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KzError);
    expect((error as KzError).code).toBe('SIGNATURE_ERROR');
    expect(mock.calls.map((c) => c.operation)).toEqual(['getAuthKey']);
  });

  it('logs in on the first call and reuses the token afterwards', async () => {
    const trueApi = client();
    await trueApi.operations.GET('/cises/history', { params: { query: { code: SEED_CIS } } });
    await trueApi.operations.GET('/cises/history', { params: { query: { code: SEED_CIS } } });
    expect(mock.calls.map((c) => c.operation)).toEqual([
      'getAuthKey',
      'simpleSignIn',
      'getCisesHistory',
      'getCisesHistory',
    ]);
    expect(mock.calls.filter((c) => c.operation === 'getCisesHistory').every((c) => c.authorized)).toBe(true);
  });
});

describe('token renewal', () => {
  it('renews once on 401 and repeats the request (body included)', async () => {
    const trueApi = client();
    await trueApi.login();
    const logins = mock.state.logins.length;
    mock.state.expireTokens();
    const infos = await trueApi.cisesInfo([SEED_CIS]);
    expect(infos[0]?.cisInfo?.cis).toBe(SEED_CIS);
    expect(mock.state.logins.length).toBe(logins + 1);
    const info = mock.calls.filter((c) => c.operation === 'getCisesInfo');
    expect(info).toHaveLength(2);
    expect(info[1]?.body).toBe(JSON.stringify([SEED_CIS]));
  });

  it('concurrent requests that all get 401 share one renewal', async () => {
    const trueApi = client();
    await trueApi.login();
    const logins = mock.state.logins.length;
    mock.state.expireTokens();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        trueApi.operations.GET('/cises/history', { params: { query: { code: SEED_CIS } } }),
      ),
    );
    expect(results.every((r) => r.data !== undefined)).toBe(true);
    expect(mock.state.logins.length).toBe(logins + 1);
  });

  it('renews before the request when the token is about to expire (no 401 needed)', async () => {
    const short = await startTrueApiMock({ tokenTtlSeconds: 30 });
    try {
      const trueApi = createTrueApiClient({
        endpoint: short.endpoint,
        signer: identity.signer,
        tokenRenewalMarginMs: 60_000,
      });
      await trueApi.operations.GET('/cises/history', { params: { query: { code: SEED_CIS } } });
      await trueApi.operations.GET('/cises/history', { params: { query: { code: SEED_CIS } } });
      expect(short.state.logins).toHaveLength(2);
      expect(short.calls.some((c) => c.operation === 'getCisesHistory' && !c.authorized)).toBe(false);
    } finally {
      await short.close();
    }
  });

  it('a 401 after renewal is an error, not a loop; the XML body is in the excerpt with the token redacted', async () => {
    const trueApi = client();
    await trueApi.login();
    const token = [...mock.state.tokens.keys()].at(-1) as string;
    const xml = `<InvalidTokenException>\n<error>invalid_token</error>\n<error_description>Access token expired: ${token}</error_description>\n</InvalidTokenException>`;
    mock.failNext('getProductInfo', 401, xml, 'application/xml');
    mock.failNext('getProductInfo', 401, xml, 'application/xml');
    const error = (await trueApi.operations
      .GET('/products/info', { params: { query: { gtins: ['00000046229175'] } as never } })
      .catch((e: unknown) => e)) as TrueApiError;
    expect(error).toBeInstanceOf(TrueApiError);
    expect(error.status).toBe(401);
    expect(error.errorMessage).toBeUndefined();
    expect(error.bodyExcerpt).toContain('InvalidTokenException');
    expect(error.bodyExcerpt).not.toContain(token);
    expect(error.message).not.toContain(token);
    expect(mock.calls.filter((c) => c.operation === 'getProductInfo')).toHaveLength(2);
  });
});

describe('secrets', () => {
  it('the token never reaches errors or hook payloads', async () => {
    const events: unknown[] = [];
    const trueApi = client({
      hooks: {
        onRequest: (e) => events.push(e),
        onResponse: (e) => events.push(e),
        onLogin: (e) => events.push(e),
      },
    });
    await trueApi.login();
    const token = [...mock.state.tokens.keys()].at(-1) as string;
    mock.failNext('getCisesHistory', 400, JSON.stringify({ error_message: `bad token ${token}` }));
    const error = (await trueApi.operations
      .GET('/cises/history', { params: { query: { code: SEED_CIS } } })
      .catch((e: unknown) => e)) as TrueApiError;
    expect(error.errorMessage).toBe('bad token ***');
    const everything = JSON.stringify([events, error.message, error.bodyExcerpt, error.errorMessage, error.stack]);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.split('.')[2]);
    expect(everything).toContain('"authorization":"***"');
    expect(events.some((e) => (e as { operation?: string }).operation === 'getCisesHistory')).toBe(true);
  });
});

describe('escaping', () => {
  const special = ['0104650117240408211dmfcZNcM"4', '01046501172404082150%&+<()x', "0104650117240408215a b'!*~"];

  it('codes with " % & + < ( ) reach the server intact in query strings', async () => {
    const trueApi = client();
    await trueApi.operations
      .GET('/cises/aggregated/list', { params: { query: { pg: 'tobacco', codes: special } } })
      .catch(() => undefined);
    await trueApi.operations
      .GET('/cises/history', { params: { query: { code: special[1] as string } } })
      .catch(() => undefined);
    const aggregated = mock.calls.find((c) => c.operation === 'getCisesAggregatedList');
    expect(aggregated?.query.getAll('codes')).toEqual(special);
    expect(aggregated?.rawUrl).toContain('codes=0104650117240408211dmfcZNcM%224');
    expect(aggregated?.rawUrl).toContain('%25%26%2B%3C%28%29');
    expect(mock.calls.find((c) => c.operation === 'getCisesHistory')?.query.get('code')).toBe(special[1]);
  });

  it('and in JSON bodies', async () => {
    const trueApi = client();
    const infos = await trueApi.cisesInfo(special);
    expect(JSON.parse(mock.calls.find((c) => c.operation === 'getCisesInfo')?.body ?? '[]')).toEqual(special);
    expect(infos.map((i) => i.cisInfo?.requestedCis)).toEqual(special);
  });
});

describe('errors', () => {
  it('403 without a contract for the product group carries status and error_message', async () => {
    const error = (await client()
      .cisesInfo([SEED_CIS], { pg: 'alcohol' })
      .catch((e: unknown) => e)) as TrueApiError;
    expect(error).toBeInstanceOf(TrueApiError);
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.service).toBe('TrueApi');
    expect(error.operation).toBe('getCisesInfo');
    expect(error.status).toBe(403);
    expect(error.errorMessage).toBe('Отсутствует действующий договор по ТГ');
  });

  it('404 "КМ не найдены" from the aggregation list', async () => {
    const error = (await client()
      .cisesAggregated(['unknown-code'], { pg: 'tobacco' })
      .catch((e: unknown) => e)) as TrueApiError;
    expect(error.status).toBe(404);
    expect(error.errorMessage).toBe('КМ не найдены');
  });

  it('413 above the body limit (30 MB by default, as documented)', async () => {
    expect(mock.state.options.maxBodyBytes).toBe(30 * 1024 * 1024);
    // The same rule with a lowered limit: 31 MB through loopback is slow on a loaded machine.
    const small = await startTrueApiMock({ maxBodyBytes: 64 * 1024 });
    try {
      const big = Array.from({ length: 80 }, (_, i) => `${String(i).padStart(8, '0')}${'x'.repeat(1016)}`);
      const trueApi = createTrueApiClient({ endpoint: small.endpoint, signer: identity.signer });
      await trueApi.login();
      const error = (await trueApi.operations
        .POST('/cis/cises-units-count', { body: big as never })
        .catch((e: unknown) => e)) as TrueApiError;
      expect(error.status).toBe(413);
      expect(error.errorMessage).toBe('Слишком большой запрос');
    } finally {
      await small.close();
    }
  });

  it('a state-changing call is not retried on 500', async () => {
    const trueApi = client();
    await trueApi.login();
    mock.failNext('createCisesOrder', 500, JSON.stringify({ error_message: 'Ошибка при выполнении запроса' }));
    const error = (await trueApi.orderMyCodes({ gtin: '00000046229175' }).catch((e: unknown) => e)) as TrueApiError;
    expect(error.status).toBe(500);
    expect(mock.calls.filter((c) => c.operation === 'createCisesOrder')).toHaveLength(1);
  });

  it('a refused connection is a TransportError', async () => {
    const closed = await startLocalServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const error = (await createTrueApiClient({ endpoint: `${url}/api/v3/true-api`, signer: identity.signer })
      .login()
      .catch((e: unknown) => e)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.operation).toBe('getAuthKey');
    expect(error).toMatchObject({ host: new URL(url).host, timeoutMs: 60_000, attempt: 1, attempts: 1 });
    expect(error.message).toContain(`(host ${new URL(url).host}, timeout 60000 ms, attempt 1 of 1)`);
  });

  it('a transport error names the host, the timeout and the attempt, not the path or query', async () => {
    const slow = await startLocalServer((_req, res) => {
      setTimeout(() => res.end('{}'), 2_000);
    });
    try {
      const { host } = new URL(slow.url);
      const error = (await createTrueApiClient({
        endpoint: `${slow.url}/api/v3/true-api`,
        signer: identity.signer,
        timeoutMs: 100,
      })
        .login()
        .catch((e: unknown) => e)) as TransportError;
      expect(error).toMatchObject({ code: 'TIMEOUT', host, timeoutMs: 100, attempt: 1 });
      expect(error.message).toContain(`host ${host}, timeout 100 ms`);
      expect(error.message).not.toMatch(/api\/v3|auth\/key/);
    } finally {
      await slow.close();
    }
  });

  it('a timeout is a TransportError TIMEOUT', async () => {
    const slow = await startLocalServer((_req, res) => {
      setTimeout(() => res.end('{}'), 2_000);
    });
    try {
      const error = (await createTrueApiClient({
        endpoint: `${slow.url}/api/v3/true-api`,
        signer: identity.signer,
        timeoutMs: 100,
      })
        .login()
        .catch((e: unknown) => e)) as TransportError;
      expect(error).toBeInstanceOf(TransportError);
      expect(error.code).toBe('TIMEOUT');
    } finally {
      await slow.close();
    }
  });
});

describe('ordering my codes', () => {
  it('orders, polls NEW -> IN_PROGRESS -> SUCCESS, downloads and unpacks the ZIP, reporting progress', async () => {
    const progress: string[] = [];
    const result = await client().orderMyCodes(
      { gtin: '00000046229175' },
      { intervalMs: 5, onProgress: (p) => progress.push(`${p.stage}:${p.status ?? ''}`) },
    );
    expect(progress).toEqual([
      'ordered:',
      'status:NEW',
      'status:IN_PROGRESS',
      'status:SUCCESS',
      'downloading:SUCCESS',
      'done:SUCCESS',
    ]);
    expect(result.entries.map((e) => e.name)).toEqual([`${result.uuid}.json`]);
    expect(result.records.map((r) => r.cis)).toContain(SEED_CIS);
    expect(result.records).toHaveLength(6);
    expect(result.zip.subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
  });

  it('gives up after the timeout with the uuid to resume later', async () => {
    const slow = await startTrueApiMock({ pollsUntilReady: 1000 });
    try {
      const trueApi = createTrueApiClient({ endpoint: slow.endpoint, signer: identity.signer });
      const error = (await trueApi
        .orderMyCodes({ gtin: '00000046229175' }, { intervalMs: 20, timeoutMs: 150 })
        .catch((e: unknown) => e)) as WaitTimeoutError<OrderWaitResume>;
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect(error.code).toBe('WAIT_TIMEOUT');
      expect(error.timeoutMs).toBe(150);
      expect(slow.state.orders.has(error.resume.orderId)).toBe(true);
      expect(slow.calls.filter((c) => c.operation === 'createCisesOrder')).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('stops when the AbortSignal fires', async () => {
    const slow = await startTrueApiMock({ pollsUntilReady: 1000 });
    try {
      const controller = new AbortController();
      const trueApi = createTrueApiClient({ endpoint: slow.endpoint, signer: identity.signer });
      const pending = trueApi
        .orderMyCodes(
          { gtin: '00000046229175' },
          {
            intervalMs: 20,
            signal: controller.signal,
            onProgress: (p) => {
              if (p.polls === 2) controller.abort();
            },
          },
        )
        .catch((e: unknown) => e);
      const error = (await pending) as TransportError;
      expect(error).toBeInstanceOf(TransportError);
      expect(error.code).toBe('ABORTED');
    } finally {
      await slow.close();
    }
  });

  it('an unknown order is 404 with the documented message', async () => {
    const error = (await client()
      .resumeOrder('f6a9662a-f7d0-444e-8ae0-3fd29d860a31')
      .catch((e: unknown) => e)) as TrueApiError;
    expect(error.status).toBe(404);
    expect(error.errorMessage).toBe('Заказ с идентификатором f6a9662a-f7d0-444e-8ae0-3fd29d860a31 не найден');
  });
});

describe('chunked lookups and pages', () => {
  it('cisesInfo takes any number of codes: chunks of 1000, results in input order', async () => {
    const codes = Array.from({ length: 2500 }, (_, i) => (i === 1700 ? SEED_CIS : `0104600266014382code${i}`));
    const infos = await client().cisesInfo(codes);
    const sent = mock.calls.filter((c) => c.operation === 'getCisesInfo').map((c) => JSON.parse(c.body) as string[]);
    expect(sent.map((s) => s.length)).toEqual([1000, 1000, 500]);
    expect(infos.map((i) => i.cisInfo?.requestedCis)).toEqual(codes);
    expect(infos[1700]?.cisInfo?.gtin).toBe('00000046229175');
  });

  it('cisesList and cisesAggregated chunk too', async () => {
    const codes = [SEED_CIS, ...Array.from({ length: 1200 }, (_, i) => `absent${i}`), '0100000046229175215mock1'];
    const list = await client().cisesList(codes);
    expect(list.map((c) => c.cis)).toEqual([SEED_CIS, '0100000046229175215mock1']);
    const sent = mock.calls.filter((c) => c.operation === 'getCisesList');
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.flatMap((c) => c.query.getAll('values'))).toEqual(codes);
    for (const c of sent) expect(c.rawUrl.length).toBeLessThan(6200);
    const tree = await client().cisesAggregated([SEED_CIS], { pg: 'tobacco' });
    expect(Object.keys(tree[SEED_CIS] ?? {})).toHaveLength(3);
  });

  it('documents() walks every page of /doc/listV2 by keyset', async () => {
    const seen: string[] = [];
    for await (const doc of client().documents({ limit: 3 })) seen.push(doc.number as string);
    expect(seen).toEqual(mock.state.documents.map((d) => d.number));
    const pages = mock.calls.filter((c) => c.operation === 'listDocumentsV2');
    expect(pages).toHaveLength(3);
    expect(pages[1]?.query.get('did')).toBe(seen[2]);
    expect(pages[1]?.query.get('pageDir')).toBe('NEXT');
    expect(pages[1]?.query.get('orderedColumnValue')).toBe(mock.state.documents[2]?.receivedAt);
  });

  it('receipts() and the EDO lists page too; maxPages bounds the walk', async () => {
    let receipts = 0;
    for await (const _ of client().receipts({ limit: 2 }, { maxPages: 2 })) receipts++;
    expect(receipts).toBe(4);
    const edo: string[] = [];
    for await (const doc of client().outgoingDocuments({ limit: 4 })) edo.push(doc.id);
    expect(edo).toEqual(mock.state.edoDocuments.map((d) => d.id));
    expect(mock.calls.filter((c) => c.operation === 'listOutgoingDocuments').map((c) => c.query.get('offset'))).toEqual(
      ['0', '4'],
    );
    let incoming = 0;
    for await (const _ of client().incomingDocuments({ limit: 100 })) incoming++;
    expect(incoming).toBe(7);
  });

  it('IIN/BIN query parameters the national algorithm rejects are a ValidationError; nothing is sent', async () => {
    const lists = [
      (c: TrueApiClient, inn: string) => c.outgoingDocuments({ partner_inn: inn }),
      (c: TrueApiClient, inn: string) => c.incomingDocuments({ partner_inn: inn }),
      (c: TrueApiClient, inn: string) => c.cisesListV2({ cis: SEED_CIS, ownerInn: inn }),
      (c: TrueApiClient, inn: string) => c.cisesListV2({ cis: SEED_CIS, producerIin: inn }),
      (c: TrueApiClient, inn: string) => c.productsListV2({ producerInn: inn }),
    ];
    for (const list of lists) {
      for (const inn of ['810716401077', '111111111111', '8107164010', 'abc']) {
        let error: unknown;
        try {
          for await (const _ of list(client(), inn)) break;
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]?.field).toMatch(/^query\.(partner_inn|ownerInn|producerI[in]n)$/);
        expect((error as Error).message).not.toContain(inn);
      }
    }
    expect(mock.calls).toEqual([]);
    // The seed's own example participant passes; checkIdentifiers: false lets 12 digits through.
    for await (const _ of client().incomingDocuments({ partner_inn: '810716401076' })) break;
    for await (const _ of client({ checkIdentifiers: false }).incomingDocuments({ partner_inn: '123456789021' })) break;
    expect(mock.calls.filter((c) => c.operation === 'listIncomingDocuments')).toHaveLength(2);
  });
});
