/**
 * `createTrueApiClient`: the generated True API types on openapi-fetch, with automatic signed
 * login (GET /auth/key -> CMS signature -> POST /auth/simpleSignIn), the bearer token attached by
 * middleware and renewed once on 401 or expiry (concurrent requests share one renewal), RFC 3986
 * query escaping, and every failure thrown as one @kz/soap error.
 */
import type { CmsSigner } from '@kz/signing';
import { type ErrorContext, KzError, redactHeaders, SignatureError } from '@kz/soap';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { errorFromBody, redactToken, SERVICE, transportError } from './errors.js';
import { operationMeta } from './generated/operations.js';
import type { paths } from './generated/types.js';
import { serializeQuery } from './query.js';

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

export interface TrueApiClientOptions {
  /** Base URL up to `/api/v3/true-api`. Give this or `environment`. */
  baseUrl?: string;
  environment?: TrueApiEnvironment;
  /** Signs the login challenge as attached CMS (RsaSha256Signer, or an NCALayer/Kalkan adapter for GOST keys). */
  signer: CmsSigner;
  /** Per-request timeout in milliseconds (default 60 000). */
  timeoutMs?: number;
  /** Renew the token this long before its `exp` (default 60 000 ms). */
  tokenRenewalMarginMs?: number;
  /** Token lifetime assumed when the token carries no readable `exp` (default 10 hours). */
  defaultTokenLifetimeMs?: number;
  hooks?: TrueApiHooks;
  /** fetch implementation (default: global fetch). */
  fetch?: typeof fetch;
}

/** The typed openapi-fetch client: `data` on success; every failure is thrown as a KzError subclass. */
export type TrueApiFetchClient = Client<paths, 'application/json'>;

export interface TrueApiSession {
  readonly api: TrueApiFetchClient;
  readonly baseUrl: string;
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

export function createTrueApiSession(options: TrueApiClientOptions): TrueApiSession {
  const baseUrl = (options.baseUrl ?? TRUE_API_SERVERS[options.environment ?? 'prod']).replace(/\/+$/, '');
  if (options.baseUrl && options.environment) throw new TypeError('give baseUrl or environment, not both');
  /** The `/api/v1` base of the one operation documented there (GET /edo-api/shipments/{id}/view). */
  const v1BaseUrl = baseUrl.replace(/\/api\/v3\/true-api$/, '/api/v1');
  const baseFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const hooks = options.hooks ?? {};
  const fetchWithTimeout = (request: Request, init?: RequestInit): Promise<Response> => {
    const signal = AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]);
    return baseFetch(request, { ...init, signal });
  };
  const api = createClient<paths, 'application/json'>({
    baseUrl,
    fetch: fetchWithTimeout,
    querySerializer: serializeQuery,
  });

  let tokens: TokenHolder;
  const secrets = (): string[] => (tokens?.token ? [tokens.token] : []);
  const started = new Map<string, number>();

  const context = (method: string, schemaPath: string): ErrorContext => ({
    service: SERVICE,
    operation: operationOf(method, schemaPath),
  });

  /** Registered first: its onResponse runs last, after the auth middleware had its chance at a 401. */
  const errors: Middleware = {
    async onResponse({ request, response, schemaPath, id }) {
      if (hooks.onResponse) {
        const start = started.get(id) ?? Date.now();
        started.delete(id);
        hooks.onResponse({
          operation: operationOf(request.method, schemaPath),
          method: request.method,
          status: response.status,
          durationMs: Date.now() - start,
        });
      }
      if (response.ok) return undefined;
      const body = await readBounded(response);
      throw errorFromBody(context(request.method, schemaPath), response.status, body, secrets());
    },
    onError({ request, error, schemaPath, id }) {
      started.delete(id);
      return transportError(context(request.method, schemaPath), error, secrets());
    },
  };

  const pending = new Map<string, { retry: Request; token: string }>();
  const auth: Middleware = {
    async onRequest({ request, schemaPath, id }) {
      let target = request;
      if (operationMeta.getExportShipmentView.path === schemaPath && request.url.startsWith(baseUrl)) {
        target = new Request(v1BaseUrl + request.url.slice(baseUrl.length), request);
      }
      if (AUTH_PATHS.has(schemaPath)) return target === request ? undefined : target;
      const token = await tokens.current();
      // Request headers are mutable here: set the token in place instead of building a new
      // Request (the hot path). Keep a copy for the one retry after a 401 only when a body would
      // be consumed by sending; a bodyless request can be sent again as it is.
      target.headers.set('Authorization', `Bearer ${token}`);
      pending.set(id, { retry: target.body === null ? target : target.clone(), token });
      return target === request ? undefined : target;
    },
    async onResponse({ response, options: fetchOptions, id }) {
      const entry = pending.get(id);
      pending.delete(id);
      if (!entry || response.status !== 401) return undefined;
      // The request was refused unauthenticated (nothing was done), so sending it once more is safe.
      await response.body?.cancel();
      const token = await tokens.renew(entry.token);
      const headers = new Headers(entry.retry.headers);
      headers.set('Authorization', `Bearer ${token}`);
      return fetchOptions.fetch(new Request(entry.retry, { headers }));
    },
    onError({ id }) {
      pending.delete(id);
      return undefined;
    },
  };
  /** Registered last: sees the request as sent (Authorization shown as ***). */
  const observe: Middleware = {
    onRequest({ request, schemaPath, id }) {
      if (hooks.onResponse) started.set(id, Date.now());
      if (!hooks.onRequest) return undefined;
      hooks.onRequest({
        operation: operationOf(request.method, schemaPath),
        method: request.method,
        url: redactToken(request.url),
        headers: redactHeaders(Object.fromEntries(request.headers.entries()), secrets()),
      });
      return undefined;
    },
  };
  api.use(errors, auth, observe);

  const login = async (renewal: boolean): Promise<string> => {
    const { data: key } = await api.GET('/auth/key');
    if (!key?.uuid || typeof key.data !== 'string') {
      throw new KzError(
        { service: SERVICE, operation: 'getAuthKey' },
        'DECODE_ERROR',
        'TrueApi.getAuthKey: no challenge',
      );
    }
    let signature: Uint8Array;
    try {
      signature = await options.signer.signCms(new TextEncoder().encode(key.data), { detached: false });
    } catch (cause) {
      throw new SignatureError({ service: SERVICE, operation: 'simpleSignIn' }, 'could not sign the login challenge', {
        cause,
      });
    }
    const { data } = await api.POST('/auth/simpleSignIn', {
      body: { uuid: key.uuid, data: Buffer.from(signature).toString('base64') },
    });
    const token = data?.token;
    if (typeof token !== 'string' || token === '') {
      throw new KzError(
        { service: SERVICE, operation: 'simpleSignIn' },
        'DECODE_ERROR',
        'TrueApi.simpleSignIn: the response carries no token',
      );
    }
    hooks.onLogin?.({ uuid: key.uuid, renewal });
    return token;
  };
  tokens = new TokenHolder(
    login,
    options.tokenRenewalMarginMs ?? 60_000,
    options.defaultTokenLifetimeMs ?? 10 * 3600_000,
  );

  return {
    api,
    baseUrl,
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

async function readBounded(response: Response, limit = 64 * 1024): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
