/**
 * `createTrueApiClient`: the generated True API types on openapi-fetch, sent through the same
 * request pipeline as every @kz client (@kz/soap's Pipeline): the REST codec (serialize), the
 * bearer token with automatic signed login (GET /auth/key -> CMS signature -> POST
 * /auth/simpleSignIn) and renewal after a 401 for safe operations only (sign), retry driven by the
 * spec's `safe` flags (retry), hooks (observe), then the transport. RFC 3986 query escaping;
 * response bodies read within the cap and checked; every failure thrown as one @kz/soap error.
 */
import type { CmsSigner } from '@kz/signing';
import {
  type BaseClientOptions,
  type ClientHooks,
  DEFAULT_MAX_RESPONSE_BYTES,
  DecodeError,
  hooksPolicy,
  type KzClient,
  KzError,
  NodeHttpTransport,
  newPipelineRequest,
  Pipeline,
  type RetryOptions,
  requireHttpUrl,
  retryPolicy,
  SignatureError,
  type TlsOptions,
  type Transport,
  transportStep,
} from '@kz/soap';
import createClient, { type Client } from 'openapi-fetch';
import { SERVICE } from './errors.js';
import { fetchTransport } from './fetch-transport.js';
import { operationMeta } from './generated/operations.js';
import type { paths } from './generated/types.js';
import { withMediaTypes } from './media-types.js';
import { serializeQuery } from './query.js';
import { type ParseAs, type RestCall, restCodecPolicy, toFetchResponse } from './rest-codec.js';
import { bearerTokenPolicy, TokenHolder, tokenSecretPolicy } from './session-token.js';

/**
 * The documented True API servers (`environment`): `prod` (elk.prod.markirovka.ismet.kz) and `stage` (stage.ismet.kz),
 * each up to `/api/v3/true-api`.
 */
export const TRUE_API_SERVERS = {
  prod: 'https://elk.prod.markirovka.ismet.kz/api/v3/true-api',
  stage: 'https://stage.ismet.kz/api/v3/true-api',
} as const;

/** A documented server by name: 'prod' or 'stage' (see TRUE_API_SERVERS). */
export type TrueApiEnvironment = keyof typeof TRUE_API_SERVERS;

/** The hooks of every @kz client, and the login's. */
export interface TrueApiHooks extends ClientHooks {
  /** A login handshake completed (the token itself is never passed). */
  onLogin?(event: { uuid: string; renewal: boolean }): void;
}

/**
 * BaseClientOptions for True API: `endpoint` or `environment` (exactly one), `hooks` of the True
 * API shape (ClientHooks and onLogin).
 */
export interface TrueApiClientOptions extends Omit<BaseClientOptions<string, TrueApiHooks>, 'endpoint'> {
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
   * Observers of every request and response (ClientHooks) and of each completed login (`onLogin`); never given the
   * token.
   */
  hooks?: TrueApiHooks;
  /** TLS settings of the default transport (a custom CA, a client certificate). */
  tls?: TlsOptions;
  /**
   * Largest response accepted, in bytes, counted while it streams and after gzip/deflate decoding
   * (default DEFAULT_MAX_RESPONSE_BYTES of @kz/soap, 64 MiB, as the SOAP clients). Order results
   * are ZIP files: raise it for very large orders. `parseAs: 'stream'` bodies are the caller's to bound.
   */
  maxResponseBytes?: number;
  /** A fetch implementation instead of the default node:http transport (timeouts then go through signals). */
  fetch?: typeof fetch;
  /** A transport instead of the default node:http one (ignored with `fetch`). */
  transport?: Transport;
  /** Opt-in retries for operations the spec marks safe (`x-kz-safe`); never for state-changing ones. */
  retry?: RetryOptions;
  /** See `WorkflowOptions.checkIdentifiers`: IIN/BIN query parameters of the list workflows are checked (default true). */
  checkIdentifiers?: boolean;
}

/**
 * The typed openapi-fetch client: `data` on success, typed by the operation's media types (JSON,
 * text, ZIP as Blob); bodies go out as their media type (media-types.ts); every failure is thrown
 * as a KzError subclass.
 */
export type TrueApiFetchClient = Client<paths>;

/**
 * A True API session: the typed client over the spec's paths, with automatic signed login (bearer token, renewed
 * before it expires) and the request pipeline. `await using` (or close()) releases its connections.
 */
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
  /** The policies every call goes through; add, order and remove them by name. */
  readonly pipeline: Pipeline;
}

const OPERATIONS_BY_ROUTE = new Map<string, string>(
  Object.entries(operationMeta).map(([id, op]) => [`${op.method.toUpperCase()} ${op.path}`, id]),
);

/** The operationId of a call, by method and path template (`METHOD /path` when the spec has none). */
export function operationOf(method: string, schemaPath: string): string {
  return OPERATIONS_BY_ROUTE.get(`${method.toUpperCase()} ${schemaPath}`) ?? `${method.toUpperCase()} ${schemaPath}`;
}

/** The login's own operations: sent without a token. */
const ANONYMOUS = new Set(['getAuthKey', 'simpleSignIn']);

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

type Init = { signal?: AbortSignal | null; parseAs?: ParseAs; fetch?: unknown } | undefined;

/** What the pipeline needs of a call that openapi-fetch knows and its Request does not say. */
interface CallInfo {
  operation: string;
  safe: boolean;
  parseAs: ParseAs;
  signal: AbortSignal | undefined;
}

/**
 * Sends every call of `client` through `send`: each call gets a fetch of its own that knows its
 * operation (for `safe`, names in errors and hooks). The caller's signal goes to the pipeline,
 * not into the Request (a Request made with it leaves a listener on it until garbage collection:
 * one per poll).
 */
function onPipeline(
  client: Client<paths>,
  send: (request: Request, call: CallInfo) => Promise<Response>,
): Client<paths> {
  const routed = (method: string, url: unknown, init: Init, run: (init: Init) => unknown): unknown => {
    const schemaPath = String(url);
    const operation = operationOf(method, schemaPath);
    const meta = (operationMeta as Record<string, { safe: boolean } | undefined>)[operation];
    const { signal, ...rest } = init ?? {};
    const call: CallInfo = {
      operation,
      safe: meta?.safe === true,
      parseAs: rest.parseAs ?? 'json',
      signal: signal ?? undefined,
    };
    return run({ ...rest, fetch: (request: Request) => send(request, call) });
  };
  const wrapped: Record<string, unknown> = { ...client };
  for (const method of METHODS) {
    const call = client[method] as (url: unknown, init?: Init) => unknown;
    wrapped[method] = (url: unknown, init?: Init) => routed(method, url, init, (i) => call(url, i));
  }
  const request = client.request as (method: unknown, url: unknown, init?: Init) => unknown;
  wrapped.request = (method: unknown, url: unknown, init?: Init) =>
    routed(String(method).toUpperCase(), url, init, (i) => request(method, url, i));
  return wrapped as unknown as Client<paths>;
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

/**
 * Creates a session without the workflow conveniences (createTrueApiClient adds them). Nothing is sent until the
 * first call or login(), which logs in with `signer` (GET /auth/key, attached CMS signature, POST /auth/simpleSignIn).
 * @throws KzError (`CONFIG_ERROR`) when neither or both of `endpoint` and `environment` are given, or the URL is not
 * http(s).
 */
export function createTrueApiSession(options: TrueApiClientOptions): TrueApiSession {
  const baseUrl = resolveBaseUrl(options).replace(/\/+$/, '');
  /** The `/api/v1` base of the one operation documented there (GET /edo-api/shipments/{id}/view). */
  const v1BaseUrl = baseUrl.replace(/\/api\/v3\/true-api$/, '/api/v1');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const hooks = options.hooks ?? {};
  const transport: Transport = options.fetch
    ? fetchTransport(options.fetch)
    : (options.transport ?? new NodeHttpTransport(options.tls ? { tls: options.tls } : {}));
  const terminal = transportStep(transport);

  // The last tokens this session was issued: an expired one echoed back is still a secret.
  const issued: string[] = [];
  const pipeline = new Pipeline()
    .add(restCodecPolicy(maxResponseBytes), { phase: 'serialize' })
    .add(
      // The holder is made below: the login it runs goes through this pipeline.
      bearerTokenPolicy(() => tokens, issued, ANONYMOUS),
      { phase: 'sign' },
    )
    .add(retryPolicy(options.retry), { phase: 'retry' });
  if (hooks.onRequest || hooks.onResponse) pipeline.add(hooksPolicy(hooks), { phase: 'observe' });
  pipeline.add(tokenSecretPolicy('simpleSignIn'), { phase: 'observe' });
  for (const { policy, ...placement } of options.pipeline ?? []) pipeline.add(policy, placement);

  const send = async (fetched: Request, call: CallInfo): Promise<Response> => {
    let url = fetched.url;
    if (call.operation === 'getExportShipmentView' && url.startsWith(baseUrl)) {
      url = v1BaseUrl + url.slice(baseUrl.length);
    }
    const headers: Record<string, string> = {};
    fetched.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const request = newPipelineRequest({
      service: SERVICE,
      operation: call.operation,
      safe: call.safe,
      url,
      method: fetched.method,
      headers,
      body: fetched.body === null ? undefined : new Uint8Array(await fetched.arrayBuffer()),
      input: { parseAs: call.parseAs } satisfies RestCall,
      timeoutMs,
      maxResponseBytes,
      signal: call.signal,
    });
    try {
      return toFetchResponse(await pipeline.send(request, terminal), url, fetched.method);
    } catch (error) {
      if (error instanceof KzError) {
        hooks.onError?.({ requestId: request.requestId, service: SERVICE, operation: call.operation, error });
      }
      throw error;
    }
  };
  const api = withMediaTypes(onPipeline(createClient<paths>({ baseUrl, querySerializer: serializeQuery }), send));

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
  const tokens = new TokenHolder(
    login,
    options.tokenRenewalMarginMs ?? 60_000,
    options.defaultTokenLifetimeMs ?? 10 * 3600_000,
  );

  return {
    operations: api,
    endpoint: baseUrl,
    pipeline,
    close() {
      transport.close?.();
    },
    async [Symbol.asyncDispose]() {
      transport.close?.();
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
