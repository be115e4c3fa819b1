/**
 * `@kz/true-api/testing`: a mock True API on 127.0.0.1 (random port). It does the real login
 * handshake (the CMS over the issued challenge is verified), serves the seed's documented examples
 * for every one of the 46 operations, keeps order state (NEW -> IN_PROGRESS -> SUCCESS, then the
 * result ZIP), pages the document lists, and answers with the documented errors: 400 bodies,
 * XML 401, 403 without a contract, 404 "КМ не найдены", 413 above 30 MB.
 */
import type http from 'node:http';
import { verifyCms } from '@kz/signing';
import { startLocalServer } from '@kz/soap/testing';
import { operationMeta } from '../generated/operations.js';
import { writeZip } from '../zip.js';
import { type Json, type TrueApiMockOptions, TrueApiMockState } from './mock-state.js';
import { seedExamples } from './seed-examples.js';

export { type Json, type MockOrder, type TrueApiMockOptions, TrueApiMockState } from './mock-state.js';
export { seedExamples } from './seed-examples.js';

/** The mock's base path, as on the real servers (`/api/v3/true-api`); `TrueApiMock.endpoint` ends with it. */
export const MOCK_BASE_PATH = '/api/v3/true-api';

/** A request the True API mock received (`mock.calls`), for asserting what was sent. */
export interface MockCall {
  /** The spec's operationId the request matched, e.g. `getCisesInfo`. */
  operation: string;
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** The path and query exactly as received (still percent-encoded). */
  rawUrl: string;
  /** The query parameters, decoded. */
  query: URLSearchParams;
  /** The request body as UTF-8 text ('' when there was none). */
  body: string;
  /** Whether an Authorization header came with it (never its value). */
  authorized: boolean;
}

/** A running True API mock (startTrueApiMock). Test-only. */
export interface TrueApiMock {
  /** Give this as `endpoint` to createTrueApiClient. */
  readonly endpoint: string;
  /** The mock's in-memory codes, orders, documents, challenges and tokens: read it to assert, change it to arrange. */
  readonly state: TrueApiMockState;
  /** Every request, in order. */
  readonly calls: MockCall[];
  /** Answers the next requests of `operation` with this status and body (once each, in order). */
  failNext(operation: string, status: number, body: string, contentType?: string): void;
  /** Stops the server and closes its connections; call it when the test ends. */
  close(): Promise<void>;
  /** The same as close(), for `await using mock = await startTrueApiMock(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface Route {
  id: string;
  method: string;
  pattern: RegExp;
  names: string[];
  base: string;
}

const ROUTES: Route[] = Object.entries(operationMeta).map(([id, op]) => {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  const base = 'servers' in op ? '/api/v1' : MOCK_BASE_PATH;
  return { id, method: op.method.toUpperCase(), pattern, names, base };
});

const UNAUTHORIZED_XML = `<UnauthorizedException>
  <error>unauthorized</error>
  <error_description>Full authentication is required to access this resource</error_description>
</UnauthorizedException>`;

const expiredXml = (token: string) => `<InvalidTokenException>
<error>invalid_token</error>
<error_description>Access token expired: ${token}</error_description>
</InvalidTokenException>`;

class Reply {
  constructor(
    readonly status: number,
    readonly body: string | Uint8Array,
    readonly contentType = 'application/json;charset=UTF-8',
  ) {}
}
const json = (value: unknown, status = 200) => new Reply(status, JSON.stringify(value));
const fail = (status: number, message: string) => json({ error_message: message }, status);
const text = (value: string, status = 200) => new Reply(status, value, 'text/plain;charset=UTF-8');

/**
 * Starts a mock True API over real HTTP on 127.0.0.1, on an ephemeral port, serving all 46 operations. It performs
 * the real login handshake (GET /auth/key, then verifies the CMS over the issued challenge and returns a JWT),
 * answers from the seed's documented examples, moves orders NEW → IN_PROGRESS → SUCCESS on each status poll and
 * then serves the result ZIP, pages the document lists, and answers with the documented errors (400, XML 401,
 * 403 without a contract, 404, 413). Give `mock.endpoint` to createTrueApiClient; stop it with `mock.close()` (or `await using` it).
 * Test-only.
 */
export async function startTrueApiMock(options: TrueApiMockOptions = {}): Promise<TrueApiMock> {
  const state = new TrueApiMockState(options);
  const calls: MockCall[] = [];
  const failures = new Map<string, Reply[]>();

  const server = await startLocalServer((req, res) => {
    handle(req).then(
      (reply) => send(res, reply),
      (error: unknown) => send(res, fail(500, `mock: ${(error as Error).message}`)),
    );
  });

  async function handle(req: http.IncomingMessage): Promise<Reply> {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const route = ROUTES.find(
      (r) =>
        r.method === method &&
        url.pathname.startsWith(`${r.base}/`) &&
        r.pattern.test(url.pathname.slice(r.base.length)),
    );
    const body = await readBody(req, state.options.maxBodyBytes);
    if (!route) {
      drainLater(req);
      return fail(404, 'Метод с указанным URL не найден');
    }
    const match = route.pattern.exec(url.pathname.slice(route.base.length)) as RegExpExecArray;
    const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1] as string)]));
    calls.push({
      operation: route.id,
      method,
      rawUrl,
      query: url.searchParams,
      body: body === undefined ? '' : body.toString('utf8'),
      authorized: req.headers.authorization !== undefined,
    });
    if (body === undefined) return fail(413, 'Слишком большой запрос');
    if (route.id !== 'getAuthKey' && route.id !== 'simpleSignIn') {
      const auth = req.headers.authorization;
      if (!auth?.startsWith('Bearer ')) return new Reply(401, UNAUTHORIZED_XML, 'application/xml;charset=UTF-8');
      const token = auth.slice('Bearer '.length);
      const expiry = state.tokens.get(token);
      if (expiry === undefined || expiry <= Date.now()) {
        return new Reply(401, expiredXml(token), 'application/xml;charset=UTF-8');
      }
    }
    const queued = failures.get(route.id)?.shift();
    if (queued) return queued;
    const pg = url.searchParams.get('pg');
    if (pg && !state.options.contracts.includes(pg)) return fail(403, 'Отсутствует действующий договор по ТГ');
    const type = req.headers['content-type'] ?? '';
    // A multipart body is read as a form (the formal document upload's content part is a file).
    const form = type.startsWith('multipart/form-data')
      ? await new Response(new Uint8Array(body), { headers: { 'content-type': type } })
          .formData()
          .catch(() => undefined)
      : undefined;
    return operation(route.id, params, url.searchParams, body.toString('utf8'), type, form);
  }

  function operation(
    id: string,
    params: Record<string, string>,
    query: URLSearchParams,
    raw: string,
    type: string,
    form: FormData | undefined,
  ) {
    const parsed = (): { ok: true; value: unknown } | { ok: false; reply: Reply } => {
      if (raw.trim() === '') return { ok: false, reply: fail(400, 'Required request body is missing') };
      try {
        return { ok: true, value: JSON.parse(raw) as unknown };
      } catch (error) {
        return { ok: false, reply: fail(400, `JSON parse error: ${(error as Error).message}`) };
      }
    };
    const codeList = (): { ok: true; codes: string[] } | { ok: false; reply: Reply } => {
      const body = parsed();
      if (!body.ok) return body;
      if (!Array.isArray(body.value)) {
        return {
          ok: false,
          reply: fail(400, 'JSON parse error: Cannot deserialize value of type `java.util.ArrayList`'),
        };
      }
      if (body.value.length === 0) return { ok: false, reply: fail(400, 'Список КИ не должен быть пустым') };
      if (body.value.length > 1000) return { ok: false, reply: fail(400, 'Количество КИ не должно превышать 1000') };
      return { ok: true, codes: body.value.map(String) };
    };
    switch (id) {
      case 'getAuthKey':
        return json(state.issueChallenge());
      case 'simpleSignIn': {
        const body = parsed();
        if (!body.ok) return body.reply;
        const { uuid, data } = (body.value ?? {}) as { uuid?: string; data?: string };
        const challenge = uuid ? state.challenges.get(uuid) : undefined;
        if (!uuid || !data || challenge === undefined) return fail(400, 'Неверный идентификатор uuid');
        state.challenges.delete(uuid);
        let verified: { content: Uint8Array; certificate: string };
        try {
          verified = verifyCms(Buffer.from(data, 'base64'));
        } catch {
          return fail(400, 'Подпись не прошла проверку');
        }
        if (Buffer.from(verified.content).toString('utf8') !== challenge) {
          return fail(400, 'Подписанные данные не совпадают с выданными');
        }
        if (state.options.allowedCertificates && !state.options.allowedCertificates.includes(verified.certificate)) {
          return fail(403, 'Сертификат не зарегистрирован');
        }
        state.logins.push(verified.certificate);
        return json({ token: state.issueToken(uuid) });
      }
      case 'createCisesOrder': {
        const body = parsed();
        if (!body.ok) return body.reply;
        const { gtin, packageType } = (body.value ?? {}) as { gtin?: string; packageType?: string };
        if (!gtin) return fail(400, 'GTIN должен быть указан в параметрах запроса');
        return json({ uuid: state.createOrder(gtin, packageType).uuid });
      }
      case 'getCisesOrderStatus':
      case 'getCisesOrderResult': {
        const order = state.orders.get(params.uuid as string);
        if (!order) return fail(404, `Заказ с идентификатором ${params.uuid} не найден`);
        if (id === 'getCisesOrderStatus') return json(state.pollOrder(order));
        if (order.polls < state.options.pollsUntilReady + 1) return fail(400, 'Заказ ещё не выполнен');
        const records = JSON.stringify(state.orderRecords(order));
        return new Reply(
          200,
          writeZip([{ name: `${order.uuid}.json`, data: Buffer.from(records) }]),
          'application/zip',
        );
      }
      case 'getCisesInfo': {
        const list = codeList();
        if (!list.ok) return list.reply;
        return json(
          list.codes.map((cis) => {
            const found = state.codes.get(cis);
            return found
              ? { cisInfo: { requestedCis: cis, ...found } }
              : { cisInfo: { requestedCis: cis }, errorMessage: 'КМ не найден', errorCode: '404' };
          }),
        );
      }
      case 'searchCisesAggregatedList': {
        const list = codeList();
        if (!list.ok) return list.reply;
        return aggregated(list.codes);
      }
      case 'getCisesAggregatedList': {
        const codes = query.getAll('codes').flatMap((c) => c.split(','));
        if (codes.length === 0) return fail(400, 'Параметр codes должен быть указан');
        return aggregated(codes);
      }
      case 'getCisesList': {
        const values = query.getAll('values');
        if (values.length === 0) return fail(400, 'Параметр values должен быть указан');
        const found = values.flatMap((cis) => {
          const code = state.codes.get(cis);
          return code ? [{ ...code }] : [];
        });
        return found.length ? json(found) : fail(404, 'КМ не найдены');
      }
      case 'getCisesHistory': {
        const cis = query.get('code');
        if (!cis) return fail(400, 'Неверный формат КМ');
        if (!state.codes.has(cis)) return fail(404, 'КМ не найден');
        return json(seedExamples.getCisesHistory);
      }
      case 'listDocumentsV2':
      case 'listReceiptsV2':
        return json(keysetPage(state.documents, query, 'number', 100));
      case 'listOutgoingDocuments':
      case 'listIncomingDocuments': {
        const offset = Number(query.get('offset') ?? 0);
        const limit = Number(query.get('limit') ?? 10000);
        if (limit > 10000) {
          return fail(400, `Лимит превышен, запросите не более 10000 документов. Получено значение ${limit}`);
        }
        return json({ count: state.edoDocuments.length, items: state.edoDocuments.slice(offset, offset + limit) });
      }
      case 'getCisesListV2':
      case 'getProductsListV2': {
        if (id === 'getCisesListV2' && !query.get('cis')) return fail(400, 'Параметр cis должен быть указан');
        const example = seedExamples[id] as { results: Json[] };
        return json({ ...example, total: example.results.length });
      }
      case 'getOutgoingDocumentBase64':
      case 'getIncomingDocumentBase64':
        return text(Buffer.from(`<document id="${params.documentId}"/>`).toString('base64'));
      case 'getOutgoingDocumentWithdrawTitle':
      case 'getIncomingDocumentDecisionTitle':
      case 'createIncomingDocumentDecisionTitle':
      case 'createOutgoingDocumentWithdrawTitle':
        return text(Buffer.from(`<title document="${params.documentId}"/>`).toString('base64'));
      case 'signIncomingDocumentDecisionTitle':
      case 'signOutgoingDocumentWithdrawTitle':
        // Seed: Content-Type text/plain, the body is the signature itself (lines 4404, 4614).
        if (!type.startsWith('text/plain')) return fail(415, 'Content type not supported: text/plain expected');
        if (!raw.trim()) return fail(400, 'Подпись должна быть указана');
        return new Reply(201, '', 'text/plain');
      case 'createIntroduceGoodsNotice':
        return parsed().ok ? new Reply(200, '', 'text/plain') : fail(400, 'Ошибка в параметрах запроса');
      case 'createThirdCountriesImportNotice':
      case 'createWriteOffNotice': {
        const body = parsed();
        return body.ok ? text(crypto.randomUUID()) : body.reply;
      }
      case 'createFormalOutgoingDocument': {
        // Seed: multipart/form-data, content a binary (file) part with the XML in base64, signature a field.
        if (!form) return fail(415, 'Content type not supported: multipart/form-data expected');
        const content = form.get('content');
        if (!(content instanceof File)) return fail(400, 'content должен быть файлом (binary)');
        if (typeof form.get('signature') !== 'string') return fail(400, 'signature должна быть указана');
        return json({ documentId: crypto.randomUUID() });
      }
      case 'getExportShipmentView':
        return json({ shipmentId: params.shipmentId });
      case 'getReceiptInfo':
        return json({
          body: {},
          documentId: params.receiptId,
          documentDate: '2024-01-01T05:00:00.000Z',
          type: 'RECEIPT',
          status: 'CHECKED_OK',
          products: [],
        });
      case 'getAllProductGroupBalances':
        return json([seedExamples.getProductGroupBalance]);
      default: {
        if (id.startsWith('create') || id === 'searchDocuments' || id === 'searchDocumentsV2') {
          const body = parsed();
          if (!body.ok) return body.reply;
        }
        const example = seedExamples[id];
        return example === undefined ? fail(500, `mock: no example for ${id}`) : json(example);
      }
    }
  }

  function aggregated(codes: string[]): Reply {
    const out: Record<string, Record<string, string[]>> = {};
    for (const cis of codes) {
      const code = state.codes.get(cis);
      if (code) out[cis] = Object.fromEntries(((code.child as string[] | undefined) ?? []).map((c) => [c, []]));
    }
    return Object.keys(out).length ? json(out) : fail(404, 'КМ не найдены');
  }

  return {
    endpoint: `${server.url}${MOCK_BASE_PATH}`,
    state,
    calls,
    failNext(operation, status, body, contentType = 'application/json;charset=UTF-8') {
      const list = failures.get(operation) ?? [];
      list.push(new Reply(status, body, contentType));
      failures.set(operation, list);
    },
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}

/** Keyset paging as /doc/listV2 documents it: records after `did` (direction NEXT), `limit` at a time. */
function keysetPage(all: Json[], query: URLSearchParams, key: string, defaultLimit: number) {
  const limit = Math.min(Number(query.get('limit') ?? defaultLimit), 10000);
  const did = query.get('did');
  const prev = query.get('pageDir') === 'PREV';
  let start = 0;
  if (did) {
    const at = all.findIndex((d) => d[key] === did);
    start = prev ? Math.max(0, at - limit) : at + 1;
  }
  const results = all.slice(start, start + limit);
  return { results, total: all.length };
}

/** The body, or undefined when it is larger than `limit` (the rest is drained, not kept). */
async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk as Buffer);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}

function drainLater(req: http.IncomingMessage): void {
  req.resume();
}

function send(res: http.ServerResponse, reply: Reply): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : Buffer.from(reply.body);
  res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': body.length });
  res.end(body);
}
