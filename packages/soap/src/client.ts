/**
 * SoapClient: the engine behind every generated client. A call is one trip through its pipeline
 * (pipeline/pipeline.ts): the SOAP codec (serialize), the security policy (sign), retry for safe
 * operations, the response check (verify), hooks (observe), then the transport.
 */
import { requireHttpUrl } from './configuration.js';
import { type ErrorContext, KzError, type SoapFaultClass } from './errors.js';
import { type ClientHooks, hooksPolicy } from './pipeline/hooks.js';
import { newPipelineRequest, Pipeline, type PipelinePolicyEntry, type SendRequest } from './pipeline/pipeline.js';
import { retryPolicy } from './pipeline/retry-policy.js';
import { SoapCodecPolicy } from './pipeline/soap-codec.js';
import { soapSecurityPolicy, soapVerifyPolicy } from './pipeline/soap-security.js';
import { transportStep } from './pipeline/transport-step.js';
import type { RetryOptions } from './retry.js';
import type { ServiceMeta, SoapVersion } from './schema.js';
import type { SecurityPolicy } from './security.js';
import { NodeHttpTransport, type TlsOptions, type Transport } from './transport.js';

/** How a SoapClient calls its service; every field is optional except where `endpoint` says. */
export interface SoapClientOptions {
  /**
   * The service URL, for every operation. Required unless `useContractEndpoints` is true: a client
   * never falls back to the contract's (often sample) address silently; without either, the
   * constructor throws KzError CONFIG_ERROR naming `endpoint`.
   */
  endpoint?: string;
  /**
   * Explicit opt-in to the addresses written in the contract (each operation its port's address,
   * else `meta.defaultEndpoint`), for stands that really serve there. Ignored when `endpoint` is given.
   */
  useContractEndpoints?: boolean;
  /**
   * The binding to speak, '1.1' (text/xml + SOAPAction) or '1.2' (application/soap+xml). Default:
   * the first the contract binds; one it does not bind is KzError CONFIG_ERROR.
   */
  soapVersion?: SoapVersion;
  /** Whole-exchange timeout in ms. Default 30000. */
  timeoutMs?: number;
  /** TLS settings for the built-in transport (custom CA, client certificate). */
  tls?: TlsOptions;
  /** Sends the HTTP exchanges instead of the built-in NodeHttpTransport (`tls` is then unused). */
  transport?: Transport;
  /** Message security (e.g. `usernameToken(...)`): header blocks, signing, response checks, secrets. */
  security?: SecurityPolicy;
  /** Observers for logging and metrics; payloads are redacted before they are called. */
  hooks?: ClientHooks;
  /** Policies added to the client's pipeline, each with its phase or neighbour (see Pipeline.add). */
  pipeline?: readonly PipelinePolicyEntry[];
  /** Opt-in retries for operations the spec marks safe. Never applied to state-changing ones. */
  retry?: RetryOptions;
  /** Largest response body accepted, bytes; a larger one is TransportError RESPONSE_TOO_LARGE. Default 64 MiB. */
  maxResponseBytes?: number;
  /**
   * Extra HTTP headers on every request. Credentials in them (Authorization, cookies, headers named
   * like a token, key, password or session) are secrets: hidden in hooks and errors like the
   * security policy's, also when a server echoes them back.
   */
  headers?: Record<string, string>;
  /**
   * Refuse responses with content the schema does not know (unknown elements, text in
   * element-only content, enumeration values outside the list) with a DecodeError, instead of
   * keeping and reporting it (hooks.onUnknown). Default false.
   */
  strict?: boolean;
  /**
   * Elements (by local name) whose string content is sent as a CDATA section, for services that
   * expect an embedded XML document that way (ESF ISGO's isgoInvoiceActionBody).
   */
  cdata?: readonly string[];
}

/** Per-call settings for `SoapClient.invoke`, overriding the client's options for that call. */
export interface CallOptions {
  /** Cancels the call: it rejects with TransportError ABORTED (TIMEOUT when the reason is a TimeoutError). */
  signal?: AbortSignal;
  /** Whole-exchange timeout of each attempt, ms, instead of the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Extra HTTP headers for this call, over the client's `headers` (credentials in them are hidden the same way). */
  headers?: Record<string, string>;
  /** Overrides the client's retry options for this call (safe operations only); false disables. */
  retry?: RetryOptions | false;
  /** Overrides the client's `strict` for this call. */
  strict?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** The response cap of every @kz client unless configured (`maxResponseBytes`). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * Calls the operations of one SOAP service described by `meta` (a generated client wraps it with
 * typed methods). The constructor throws KzError CONFIG_ERROR for a missing or non-http(s)
 * `endpoint` (unless `useContractEndpoints`) or a SOAP version the contract does not bind.
 */
export class SoapClient {
  /** The contract's metadata the client encodes and decodes with. */
  readonly meta: ServiceMeta;
  /**
   * The service URL: the `endpoint` option, or with `useContractEndpoints` the contract's default
   * address (an operation bound at its own port's address is sent there instead).
   */
  readonly endpoint: string;
  /** The SOAP version every request is sent in (the option, or the first the contract binds). */
  readonly soapVersion: SoapVersion;
  /** The policies every call goes through; add, order and remove them by name. */
  readonly pipeline: Pipeline;
  readonly #options: SoapClientOptions;
  readonly #transport: Transport;
  readonly #codec: SoapCodecPolicy;
  readonly #terminal: SendRequest;

  constructor(meta: ServiceMeta, options: SoapClientOptions = {}) {
    const endpoint = resolveEndpoint(meta, options);
    const soapVersion = options.soapVersion ?? meta.soapVersions[0] ?? '1.1';
    if (!meta.soapVersions.includes(soapVersion)) {
      throw new KzError(
        { service: meta.service, operation: '*' },
        'CONFIG_ERROR',
        `${meta.service} has no SOAP ${soapVersion} binding (available: ${meta.soapVersions.join(', ')})`,
      );
    }
    this.meta = meta;
    this.endpoint = endpoint;
    this.soapVersion = soapVersion;
    this.#options = options;
    this.#transport = options.transport ?? new NodeHttpTransport(options.tls ? { tls: options.tls } : {});
    this.#terminal = transportStep(this.#transport);
    this.#codec = new SoapCodecPolicy(meta, {
      soapVersion,
      cdata: options.cdata,
      strict: options.strict ?? false,
      hooks: options.hooks,
    });
    this.pipeline = defaultPipeline(this.#codec, options);
  }

  /**
   * Calls an operation: typed input in, typed output out, or a KzError (after `hooks.onError`).
   * @throws ValidationError when the input breaks the schema (nothing was sent).
   * @throws SoapFaultError for a SOAP fault (a registered fault class when its detail matches one).
   * @throws HttpError, DecodeError, TransportError or SignatureError when the exchange fails; check
   * their `maybeDelivered` before sending a state-changing operation again.
   * @throws KzError CONFIG_ERROR for an operation the contract does not have.
   */
  async invoke<Output>(operationName: string, input: unknown, call: CallOptions = {}): Promise<Output> {
    const operation = this.meta.operations[operationName];
    const context: ErrorContext = { service: this.meta.service, operation: operationName };
    const hooks = this.#options.hooks;
    if (!operation) {
      const error = new KzError(context, 'CONFIG_ERROR', `unknown operation ${operationName}`);
      hooks?.onError?.({ requestId: undefined, ...context, error });
      throw error;
    }
    const request = newPipelineRequest({
      ...context,
      safe: operation.safe === true,
      url: this.#options.endpoint ?? operation.endpoint ?? this.endpoint,
      method: 'POST',
      headers: { ...this.#options.headers, ...call.headers },
      body: undefined,
      input,
      timeoutMs: call.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxResponseBytes: this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      signal: call.signal,
      strict: call.strict,
      retry: call.retry,
    });
    try {
      const response = await this.pipeline.send(request, this.#terminal);
      return response.output as Output;
    } catch (error) {
      if (error instanceof KzError) hooks?.onError?.({ requestId: request.requestId, ...context, error });
      throw error;
    }
  }

  /**
   * The request envelope an operation would send for `input`, validated, without security
   * headers: for logging, tests and dry runs. Throws ValidationError like invoke().
   */
  encodeRequest(operationName: string, input: unknown): string {
    return this.#codec.encode(operationName, input);
  }

  /**
   * Registers fault classes (the codegen's `faultClasses`): a fault whose detail carries one of
   * the operation's wsdl:fault elements is raised as that element's class, its detail decoded.
   * Other faults stay plain SoapFaultErrors with the detail's XML text.
   */
  registerFaults(classes: readonly SoapFaultClass[]): this {
    this.#codec.registerFaults(classes);
    return this;
  }

  /** Releases the transport's pooled connections. */
  close(): void {
    this.#transport.close?.();
  }
}

/** `endpoint` (an http(s) URL), or the contract's address when the caller opted in; else CONFIG_ERROR. */
function resolveEndpoint(meta: ServiceMeta, options: SoapClientOptions): string {
  const context = { service: meta.service, operation: '*' };
  if (options.endpoint !== undefined || !options.useContractEndpoints) {
    return requireHttpUrl(context, 'SoapClient', 'endpoint', options.endpoint);
  }
  if (!meta.defaultEndpoint) {
    throw new KzError(context, 'CONFIG_ERROR', 'SoapClient: useContractEndpoints: the contract gives no address');
  }
  return meta.defaultEndpoint;
}

/** codec -> security -> retry -> verify -> hooks, then the caller's policies where they asked. */
function defaultPipeline(codec: SoapCodecPolicy, options: SoapClientOptions): Pipeline {
  const pipeline = new Pipeline().add(codec, { phase: 'serialize' });
  const security: SecurityPolicy | undefined = options.security;
  if (security) pipeline.add(soapSecurityPolicy(security), { phase: 'sign' });
  pipeline.add(retryPolicy(options.retry), { phase: 'retry' });
  if (security?.verifyResponse)
    pipeline.add(soapVerifyPolicy(security.verifyResponse.bind(security)), { phase: 'verify' });
  if (options.hooks) pipeline.add(hooksPolicy(options.hooks), { phase: 'observe' });
  for (const { policy, ...placement } of options.pipeline ?? []) pipeline.add(policy, placement);
  return pipeline;
}
