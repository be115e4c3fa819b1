/**
 * `createTrueApiClient`: the generated True API types on openapi-fetch, with automatic signed
 * login (GET /auth/key -> CMS signature -> POST /auth/simpleSignIn), the bearer token attached by
 * middleware and renewed once on 401 or expiry (concurrent requests share one renewal), RFC 3986
 * query escaping, response bodies read within the cap and checked (JSON that parses, valid UTF-8),
 * and every failure thrown as one @kz/soap error.
 */
import type { CmsSigner } from '@kz/signing';
import {
  type BaseClientOptions,
  DEFAULT_MAX_RESPONSE_BYTES,
  DecodeError,
  type ErrorContext,
  hostOf,
  type KzClient,
  KzError,
  NodeHttpTransport,
  redactHeaders,
  requireHttpUrl,
  SignatureError,
  type Transport,
  type TransportAttempt,
} from '@kz/soap';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { readCapped, utf8Text } from './body.js';
import { bodyError, errorFromBody, notJson, redactToken, SERVICE, transportError } from './errors.js';
import { operationMeta } from './generated/operations.js';
import type { paths } from './generated/types.js';
import { withMediaTypes } from './media-types.js';
import { serializeQuery } from './query.js';
import { transportFetch } from './transport-fetch.js';

export const TRUE_API_SERVERS = {
  prod: 'https://elk.prod.markirovka.ismet.kz/api/v3/true-api',
  stage: 'https://stage.ismet.kz/api/v3/true-api',
} as const;

export type TrueApiEnvironment = keyof typeof TRUE_API_SERVERS;

export interface TrueApiRequestEvent {
  operation: string;
  method: string;
  url: string;
  /** Request headers; Authorization is always `***`. */
  headers: Record<string, string>;
}

export interface TrueApiResponseEvent {
  operation: string;
  method: string;
  status: number;
  durationMs: number;
}

export interface TrueApiHooks {
  onRequest?(event: TrueApiRequestEvent): void;
  onResponse?(event: TrueApiResponseEvent): void;
  /** A login handshake completed (the token itself is never passed). */
  onLogin?(event: { uuid: string; renewal: boolean }): void;
}

/**
 * BaseClientOptions for True API: `endpoint` or `environment` (exactly one), `hooks` of the True
 * API shape. `retry` is not taken yet: True API requests are sent once (a 401 once more after a
 * renewed login).
 */
export interface TrueApiClientOptions extends Omit<BaseClientOptions<string, TrueApiHooks>, 'endpoint' | 'retry'> {
  /**
   * Base URL up to `/api/v3/true-api`. Give exactly one of this and `environment`: no server is
   * chosen for you (neither, or both, is KzError CONFIG_ERROR when the client is created).
   */
  endpoint?: string;
  /** A documented server (`TRUE_API_SERVERS`): 'stage' or 'prod'. Give this or `endpoint`. */
  environment?: TrueApiEnvironment;
  /** Signs the login challenge as attached CMS (RsaSha256Signer, or an NCALayer/Kalkan adapter for GOST keys). */
  signer: CmsSigner;
  /** Per-request timeout in milliseconds (default 60 000). */
  timeoutMs?: number;
  /** Renew the token this long before its `exp` (default 60 000 ms). */
  tokenRenewalMarginMs?: number;
  /** Token lifetime assumed when the token carries no readable `exp` (default 10 hours). */
  defaultTokenLifetimeMs?: number;
  /**
   * Largest response accepted, in bytes, counted while it streams and after gzip/deflate decoding
   * (default DEFAULT_MAX_RESPONSE_BYTES of @kz/soap, 64 MiB, as the SOAP clients). Order results
   * are ZIP files: raise it for very large orders. `parseAs: 'stream'` bodies are the caller's to bound.
   */
  maxResponseBytes?: number;
  /**
   * A fetch implementation instead of the node:http transport (timeouts then go through signals;
   * `transport` and `tls` are not used).
   */
  fetch?: typeof fetch;
  /** See `WorkflowOptions.checkIdentifiers`: IIN/BIN query parameters of the list workflows are checked (default true). */
  checkIdentifiers?: boolean;
}

/**
 * The typed openapi-fetch client: `data` on success, typed by the operation's media types (JSON,
 * text, ZIP as Blob); bodies go out as their media type (media-types.ts); every failure is thrown
 * as a KzError subclass.
 */
export type TrueApiFetchClient = Client<paths>;

export interface TrueApiSession extends KzClient<TrueApiFetchClient> {
  /** The generated client: typed openapi-fetch over the spec's paths. */
  readonly operations: TrueApiFetchClient;
  /** The base URL in use (`endpoint`, or the `environment`'s server). */
  readonly endpoint: string;
  /** Logs in now (otherwise the first call does). */
  login(): Promise<void>;
  /** Forgets the token; the next call logs in again. */
  logout(): void;
  /** Whether a token is held (never the token itself). */
  readonly authenticated: boolean;
}

const OPERATIONS_BY_ROUTE = new Map<string, string>(
  Object.entries(operationMeta).map(([id, op]) => [`${op.method.toUpperCase()} ${op.path}`, id]),
);

export function operationOf(method: string, schemaPath: string): string {
  return OPERATIONS_BY_ROUTE.get(`${method.toUpperCase()} ${schemaPath}`) ?? `${method.toUpperCase()} ${schemaPath}`;
}

const AUTH_PATHS = new Set<string>([operationMeta.getAuthKey.path, operationMeta.simpleSignIn.path]);

/** Holds the token: one login at a time, shared by every request waiting for it. */
class TokenHolder {
  #token: string | undefined;
  #expiresAt = 0;
  #renewal: Promise<string> | undefined;

  constructor(
    private readonly login: (renewal: boolean) => Promise<string>,
    private readonly marginMs: number,
    private readonly defaultLifetimeMs: number,
  ) {}

  get token(): string | undefined {
    return this.#token;
  }

  /** The token when it is still valid, without waiting: the common case on every call. */
  fresh(): string | undefined {
    return this.#token && Date.now() < this.#expiresAt - this.marginMs ? this.#token : undefined;
  }

  async current(): Promise<string> {
    if (this.#token && Date.now() < this.#expiresAt - this.marginMs) return this.#token;
    return this.renew(this.#token);
  }

  /** Renews unless another request already replaced `stale`; concurrent callers share one login. */
  renew(stale: string | undefined): Promise<string> {
    if (this.#token && this.#token !== stale && Date.now() < this.#expiresAt - this.marginMs) {
      return Promise.resolve(this.#token);
    }
    if (!this.#renewal) {
      const renewal = stale !== undefined;
      this.#renewal = this.login(renewal)
        .then((token) => {
          this.#token = token;
          this.#expiresAt = tokenExpiry(token) ?? Date.now() + this.defaultLifetimeMs;
          return token;
        })
        .finally(() => {
          this.#renewal = undefined;
        });
    }
    return this.#renewal;
  }

  clear(): void {
    this.#token = undefined;
    this.#expiresAt = 0;
  }
}

/** `exp` of a JWT in milliseconds, if the token is a JWT with one. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Timeout signals shared by the calls that start within the same quarter second: each fires
 * between `timeoutMs` and `timeoutMs` + 250 ms after a call started. One timer per window
 * instead of one per call (AbortSignal.timeout costs several microseconds each).
 */
class SharedDeadlines {
  static readonly WINDOW_MS = 250;
  readonly #timeoutMs: number;
  #window: { opened: number; signal: AbortSignal } | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  signal(): AbortSignal {
    const now = Date.now();
    if (this.#window && now - this.#window.opened < SharedDeadlines.WINDOW_MS) return this.#window.signal;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')),
      this.#timeoutMs + SharedDeadlines.WINDOW_MS,
    );
    timer.unref();
    this.#window = { opened: now, signal: controller.signal };
    return controller.signal;
  }
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

type Init = { signal?: AbortSignal | null } | undefined;

/**
 * Gives every call its own signal when its Request is created: the deadline of `timeoutMs`
 * (for a `fetch` option: the default transport times calls itself), and one following the caller's
 * signal, whose single listener on the caller's signal is removed when the call ends. (A Request
 * made with the caller's signal leaves a listener on it until garbage collection: one per poll.)
 * Adding signals later, in the fetch function, would make fetch build a second Request for every
 * call, which costs about a third of a loopback call.
 */
function withCallSignals(client: TrueApiFetchClient, timeoutMs: number | undefined): TrueApiFetchClient {
  const deadlines = timeoutMs === undefined ? undefined : new SharedDeadlines(timeoutMs);
  const signed = async <T>(init: Init, run: (init: Init) => T): Promise<Awaited<T>> => {
    const own = init?.signal ?? undefined;
    const deadline = deadlines?.signal();
    if (!own) return await run(deadline ? { ...init, signal: deadline } : init);
    const controller = new AbortController();
    const forward = (): void => controller.abort(own.reason);
    if (own.aborted) forward();
    else own.addEventListener('abort', forward, { once: true });
    try {
      const signal = deadline ? AbortSignal.any([controller.signal, deadline]) : controller.signal;
      return await run({ ...init, signal });
    } finally {
      own.removeEventListener('abort', forward);
    }
  };
  const wrapped: Record<string, unknown> = { ...client };
  for (const method of METHODS) {
    const call = client[method] as (url: unknown, init?: Init) => unknown;
    wrapped[method] = (url: unknown, init?: Init) => signed(init, (i) => call(url, i));
  }
  const request = client.request as (method: unknown, url: unknown, init?: Init) => unknown;
  wrapped.request = (method: unknown, url: unknown, init?: Init) => signed(init, (i) => request(method, url, i));
  return wrapped as unknown as TrueApiFetchClient;
}

/** A Response whose JSON the session already read and checked: openapi-fetch takes the value as is. */
function checkedJson(value: unknown, from: Response, length: number): Response {
  const headers = new Headers(from.headers);
  headers.set('content-length', String(length));
  const response = new Response(null, { status: from.status, statusText: from.statusText, headers });
  Object.defineProperties(response, {
    url: { value: from.url },
    json: { value: () => Promise.resolve(value) },
  });
  return response;
}

/** No server is chosen for the caller: exactly one of endpoint and environment (CONFIG_ERROR otherwise). */
function resolveBaseUrl(options: Pick<TrueApiClientOptions, 'endpoint' | 'environment'>): string {
  const context = { service: SERVICE, operation: 'configure' };
  const fail = (message: string): never => {
    throw new KzError(context, 'CONFIG_ERROR', `createTrueApiClient: ${message}`);
  };
  const { endpoint, environment } = options;
  if (endpoint !== undefined && environment !== undefined) fail('give endpoint or environment, not both');
  if (endpoint !== undefined) return requireHttpUrl(context, 'createTrueApiClient', 'endpoint', endpoint);
  if (environment === undefined)
    fail(`endpoint or environment (${Object.keys(TRUE_API_SERVERS).join(' | ')}) is required`);
  if (!Object.hasOwn(TRUE_API_SERVERS, environment as string)) {
    fail(`environment must be one of ${Object.keys(TRUE_API_SERVERS).join(', ')}`);
  }
  return TRUE_API_SERVERS[environment as TrueApiEnvironment];
}

export function createTrueApiSession(options: TrueApiClientOptions): TrueApiSession {
  const baseUrl = resolveBaseUrl(options).replace(/\/+$/, '');
  /** The `/api/v1` base of the one operation documented there (GET /edo-api/shipments/{id}/view). */
  const v1BaseUrl = baseUrl.replace(/\/api\/v3\/true-api$/, '/api/v1');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const hooks = options.hooks ?? {};
  const transport = options.fetch
    ? undefined
    : (options.transport ?? new NodeHttpTransport(options.tls ? { tls: options.tls } : {}));
  const api = withMediaTypes(
    withCallSignals(
      options.fetch
        ? createClient<paths>({ baseUrl, fetch: options.fetch, querySerializer: serializeQuery })
        : createClient<paths>({
            baseUrl,
            fetch: transportFetch(transport as Transport, timeoutMs, maxResponseBytes),
            querySerializer: serializeQuery,
          }),
      // The default transport times each call itself; a fetch of the caller's gets a deadline signal.
      options.fetch ? timeoutMs : undefined,
    ),
  );

  let tokens: TokenHolder;
  // The last tokens this session was issued: an expired one echoed back is still a secret.
  const issued: string[] = [];
  const secrets = (): string[] => issued;
  const started = new Map<string, number>();

  /** Calls are sent once; only a 401 is sent a second time, with a renewed token. */
  const attemptAt = (request: Request, attempt: 1 | 2): TransportAttempt => ({
    host: hostOf(request.url),
    timeoutMs,
    attempt,
    attempts: attempt,
  });
  const context = (method: string, schemaPath: string): ErrorContext => ({
    service: SERVICE,
    operation: operationOf(method, schemaPath),
  });

  /**
   * One middleware for the whole exchange (each registered middleware costs awaits on every call):
   * on the way out the /api/v1 base for its one operation, the bearer token, the request hook; on
   * the way back the response hook, one retry with a renewed token after a 401, and the error
   * family for failures.
   */
  const pending = new Map<string, { retry: Request; token: string }>();
  const session: Middleware = {
    async onRequest({ request, schemaPath, id }) {
      let target = request;
      if (operationMeta.getExportShipmentView.path === schemaPath && request.url.startsWith(baseUrl)) {
        target = new Request(v1BaseUrl + request.url.slice(baseUrl.length), request);
      }
      if (!AUTH_PATHS.has(schemaPath)) {
        const token = tokens.fresh() ?? (await tokens.current());
        // Request headers are mutable here: set the token in place instead of building a new
        // Request. Keep a copy for the one retry after a 401 only when sending would consume a
        // body; a bodyless request can be sent again as it is.
        target.headers.set('Authorization', `Bearer ${token}`);
        pending.set(id, { retry: target.body === null ? target : target.clone(), token });
      }
      if (hooks.onResponse) started.set(id, Date.now());
      hooks.onRequest?.({
        operation: operationOf(target.method, schemaPath),
        method: target.method,
        url: redactToken(target.url),
        headers: redactHeaders(Object.fromEntries(target.headers.entries()), secrets()),
      });
      return target === request ? undefined : target;
    },
    async onResponse({ request, response, schemaPath, id, options: fetchOptions }) {
      let final = response;
      const entry = pending.get(id);
      pending.delete(id);
      if (entry && response.status === 401) {
        // The request was refused unauthenticated (nothing was done), so sending it once more is safe.
        await response.body?.cancel();
        const token = await tokens.renew(entry.token);
        const headers = new Headers(entry.retry.headers);
        headers.set('Authorization', `Bearer ${token}`);
        try {
          final = await fetchOptions.fetch(new Request(entry.retry, { headers }));
        } catch (error) {
          throw transportError(context(request.method, schemaPath), error, secrets(), attemptAt(request, 2));
        }
      }
      if (hooks.onResponse) {
        const start = started.get(id) ?? Date.now();
        started.delete(id);
        hooks.onResponse({
          operation: operationOf(request.method, schemaPath),
          method: request.method,
          status: final.status,
          durationMs: Date.now() - start,
        });
      }
      const where = context(request.method, schemaPath);
      if (!final.ok) {
        const body = await readCapped(final, maxResponseBytes).catch((error: unknown) => {
          throw bodyError(where, error, final.status);
        });
        throw errorFromBody(where, final.status, Buffer.from(body).toString('utf8'), secrets());
      }
      return await checkedBody(final, fetchOptions.parseAs, request.method, where);
    },
    onError({ request, error, schemaPath, id }) {
      pending.delete(id);
      started.delete(id);
      return transportError(context(request.method, schemaPath), error, secrets(), attemptAt(request, 1));
    },
  };
  api.use(session);

  /**
   * A successful body read within the cap before openapi-fetch sees it: JSON parsed here (once),
   * anything else buffered; a body that is not what was asked for is a DecodeError with a short,
   * redacted excerpt, never a SyntaxError quoting it. `stream` bodies are handed on as they are.
   */
  const checkedBody = async (
    response: Response,
    parseAs: string,
    method: string,
    where: ErrorContext,
  ): Promise<Response> => {
    if (parseAs === 'stream' || method === 'HEAD' || response.status === 204 || response.status === 205) {
      return response;
    }
    let bytes: Uint8Array;
    let text: string | undefined;
    try {
      bytes = await readCapped(response, maxResponseBytes);
      if (parseAs === 'json') text = utf8Text(bytes);
    } catch (error) {
      throw bodyError(where, error, response.status);
    }
    if (text === undefined) {
      const copy = new Response(bytes, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      Object.defineProperty(copy, 'url', { value: response.url });
      return copy;
    }
    if (text.trim() === '') return checkedJson(undefined, response, 0);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw notJson(where, response, text, secrets());
    }
    return checkedJson(value, response, bytes.byteLength);
  };

  const login = async (renewal: boolean): Promise<string> => {
    const { data: key, response: keyResponse } = await api.GET('/auth/key');
    if (!key?.uuid || typeof key.data !== 'string') {
      throw new DecodeError({ service: SERVICE, operation: 'getAuthKey' }, 'the answer carries no challenge', '', {
        httpStatus: keyResponse.status,
      });
    }
    let signature: Uint8Array;
    try {
      signature = await options.signer.signCms(new TextEncoder().encode(key.data), { detached: false });
    } catch (cause) {
      throw new SignatureError({ service: SERVICE, operation: 'simpleSignIn' }, 'could not sign the login challenge', {
        cause,
      });
    }
    const { data, response: signInResponse } = await api.POST('/auth/simpleSignIn', {
      body: { uuid: key.uuid, data: Buffer.from(signature).toString('base64') },
    });
    const token = data?.token;
    // It goes into an Authorization header: visible ASCII only (anything else would throw there, untyped).
    if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
      throw new DecodeError(
        { service: SERVICE, operation: 'simpleSignIn' },
        'the response carries no usable token',
        '',
        {
          httpStatus: signInResponse.status,
        },
      );
    }
    issued.push(token);
    if (issued.length > 4) issued.shift();
    hooks.onLogin?.({ uuid: key.uuid, renewal });
    return token;
  };
  tokens = new TokenHolder(
    login,
    options.tokenRenewalMarginMs ?? 60_000,
    options.defaultTokenLifetimeMs ?? 10 * 3600_000,
  );

  return {
    operations: api,
    endpoint: baseUrl,
    close() {
      transport?.close?.();
    },
    async [Symbol.asyncDispose]() {
      transport?.close?.();
    },
    async login() {
      await tokens.current();
    },
    logout() {
      tokens.clear();
    },
    get authenticated() {
      return tokens.token !== undefined;
    },
  };
}
