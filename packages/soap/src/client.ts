/**
 * SoapClient: the engine behind every generated client. One call goes
 * validate+encode -> envelope -> security -> transport (retry only for safe operations) -> decode.
 */
import { TypeRegistry } from './codec/compiled.js';
import { type DecodeOptions, SchemaViolation, type UnknownReport } from './codec/decode.js';
import { encodeRootElement } from './codec/encode.js';
import { buildEnvelope, EnvelopeDecoder, requestContentType } from './envelope.js';
import {
  DecodeError,
  type ErrorContext,
  HttpError,
  hostOf,
  KzError,
  MAX_ERROR_TEXT,
  SignatureError,
  type SoapFaultClass,
  SoapFaultError,
  type TransportAttempt,
  TransportError,
  ValidationError,
} from './errors.js';
import { decodeFaultDetail } from './fault-detail.js';
import { credentialSecrets, redact, redactHeaders } from './redact.js';
import { type RetryOptions, withRetry } from './retry.js';
import type { OperationMeta, ServiceMeta, SoapVersion } from './schema.js';
import type { SecurityContext, SecurityPolicy } from './security.js';
import {
  NodeHttpTransport,
  type TlsOptions,
  type Transport,
  TransportFailure,
  type TransportResponse,
} from './transport.js';
import { parseXml, XmlParseInterrupted, XmlSyntaxError } from './xml/reader.js';

export interface RequestEvent {
  service: string;
  operation: string;
  url: string;
  headers: Record<string, string>;
  /** The request body with secrets replaced by ***. */
  body: string;
}

export interface ResponseEvent {
  service: string;
  operation: string;
  status: number;
  headers: Record<string, string>;
  /** The response body with secrets replaced by ***. */
  body: string;
  durationMs: number;
}

/**
 * Content of a response its schema does not know, kept on the decoded value (an element or text
 * in `$unknown`, an enumeration value as the string received). Names and a path only, never
 * content: a value may be a secret.
 */
export interface UnknownEvent extends UnknownReport {
  service: string;
  operation: string;
}

/** Observers for logging and metrics; payloads are redacted before they are called. */
export interface SoapHooks {
  onRequest?(event: RequestEvent): void;
  onResponse?(event: ResponseEvent): void;
  onError?(event: { service: string; operation: string; error: KzError }): void;
  /** Called, after a response decoded, once for each piece of content its schema does not know. */
  onUnknown?(event: UnknownEvent): void;
}

export interface SoapClientOptions {
  /** The service URL; defaults to the address in the WSDL. */
  endpoint?: string;
  soapVersion?: SoapVersion;
  /** Whole-exchange timeout in ms. Default 30000. */
  timeoutMs?: number;
  /** TLS settings for the built-in transport (custom CA, client certificate). */
  tls?: TlsOptions;
  transport?: Transport;
  security?: SecurityPolicy;
  hooks?: SoapHooks;
  /** Opt-in retries for operations the spec marks safe. Never applied to state-changing ones. */
  retry?: RetryOptions;
  /** Default 64 MiB. */
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

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Overrides the client's retry options for this call (safe operations only); false disables. */
  retry?: RetryOptions | false;
  /** Overrides the client's `strict` for this call. */
  strict?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** The response cap of every @kz client unless configured (`maxResponseBytes`). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_RESPONSE = DEFAULT_MAX_RESPONSE_BYTES;
const EXCERPT_CHARS = 512;

export class SoapClient {
  readonly meta: ServiceMeta;
  readonly endpoint: string;
  readonly soapVersion: SoapVersion;
  readonly #registry: TypeRegistry;
  /** For rpc/encoded operations: writes SOAP encoding (created on first use). */
  #encodedRegistry: TypeRegistry | undefined;
  readonly #options: SoapClientOptions;
  readonly #transport: Transport;
  /** Registered fault classes by `{ns}name` of their detail element. */
  readonly #faultClasses = new Map<string, SoapFaultClass>();

  constructor(meta: ServiceMeta, options: SoapClientOptions = {}) {
    const endpoint = options.endpoint ?? meta.defaultEndpoint;
    if (!endpoint)
      throw new KzError({ service: meta.service, operation: '*' }, 'CONFIG_ERROR', 'no endpoint configured');
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
    this.#registry = new TypeRegistry(meta, options.cdata);
    this.#options = options;
    this.#transport = options.transport ?? new NodeHttpTransport(options.tls ? { tls: options.tls } : {});
  }

  /** Calls an operation: typed input in, typed output out, or a KzError. */
  async invoke<Output>(operationName: string, input: unknown, call: CallOptions = {}): Promise<Output> {
    const operation = this.meta.operations[operationName];
    const context: ErrorContext = { service: this.meta.service, operation: operationName };
    if (!operation) throw new KzError(context, 'CONFIG_ERROR', `unknown operation ${operationName}`);
    try {
      const request = await this.#buildRequest(operation, input, context, call);
      const send = (attempt = 1, attempts = 1): Promise<Output> =>
        this.#exchange<Output>(operation, request, context, call, { attempt, attempts });
      const retry = call.retry === false ? undefined : (call.retry ?? this.#options.retry);
      if (operation.safe && retry) return await withRetry(send, retry, call.signal);
      return await send();
    } catch (error) {
      if (error instanceof KzError) this.#options.hooks?.onError?.({ ...context, error });
      throw error;
    }
  }

  /**
   * The request envelope an operation would send for `input`, validated, without security
   * headers: for logging, tests and dry runs. Throws ValidationError like invoke().
   */
  encodeRequest(operationName: string, input: unknown): string {
    const operation = this.meta.operations[operationName];
    const context: ErrorContext = { service: this.meta.service, operation: operationName };
    if (!operation) throw new KzError(context, 'CONFIG_ERROR', `unknown operation ${operationName}`);
    const { xml, issues } = encodeRootElement(this.#registryFor(operation), operation.input, input ?? {});
    if (issues.length > 0) throw new ValidationError(context, issues);
    return buildEnvelope(this.soapVersion, { headers: [], body: xml });
  }

  #registryFor(operation: OperationMeta): TypeRegistry {
    if (!operation.encoded) return this.#registry;
    this.#encodedRegistry ??= new TypeRegistry(this.meta, this.#options.cdata, this.soapVersion);
    return this.#encodedRegistry;
  }

  /**
   * Registers fault classes (the codegen's `faultClasses`): a fault whose detail carries one of
   * the operation's wsdl:fault elements is raised as that element's class, its detail decoded.
   * Other faults stay plain SoapFaultErrors with the detail's XML text.
   */
  registerFaults(classes: readonly SoapFaultClass[]): this {
    for (const Class of classes) this.#faultClasses.set(`{${Class.element.ns}}${Class.element.name}`, Class);
    return this;
  }

  /** Releases the transport's pooled connections. */
  close(): void {
    this.#transport.close?.();
  }

  /** The security policy's secrets and the credentials in the caller's headers. */
  #secrets(headers: Readonly<Record<string, string>>): readonly string[] {
    return [...(this.#options.security?.secrets() ?? []), ...credentialSecrets(headers)];
  }

  async #buildRequest(
    operation: OperationMeta,
    input: unknown,
    context: ErrorContext,
    call: CallOptions,
  ): Promise<{ headers: Record<string, string>; text: string }> {
    const { xml, issues } = encodeRootElement(this.#registryFor(operation), operation.input, input ?? {});
    if (issues.length > 0) throw new ValidationError(context, issues);
    const security = this.#options.security;
    const securityContext: SecurityContext = { ...context, soapVersion: this.soapVersion };
    const headers = security?.headers ? await security.headers(securityContext) : [];
    let envelope = buildEnvelope(this.soapVersion, {
      headers,
      body: xml,
      ...(security?.bodyAttributes ? { bodyAttributes: security.bodyAttributes } : {}),
      ...(security?.namespaces ? { namespaces: security.namespaces } : {}),
    });
    if (security?.finalize) envelope = await security.finalize(envelope, securityContext);
    const action = this.soapVersion === '1.2' ? (operation.soapAction12 ?? operation.soapAction) : operation.soapAction;
    const httpHeaders: Record<string, string> = {
      ...this.#options.headers,
      ...call.headers,
      'content-type': requestContentType(this.soapVersion, action),
      accept: this.soapVersion === '1.2' ? 'application/soap+xml, text/xml' : 'text/xml',
    };
    if (this.soapVersion === '1.1') httpHeaders.soapaction = `"${action}"`;
    return { headers: httpHeaders, text: envelope };
  }

  async #exchange<Output>(
    operation: OperationMeta,
    request: { headers: Record<string, string>; text: string },
    context: ErrorContext,
    call: CallOptions,
    tries: { attempt: number; attempts: number },
  ): Promise<Output> {
    const hooks = this.#options.hooks;
    const secrets = this.#secrets(request.headers);
    const url = this.#options.endpoint ?? operation.endpoint ?? this.endpoint;
    hooks?.onRequest?.({
      ...context,
      url,
      headers: redactHeaders(request.headers, secrets),
      body: redact(request.text, secrets),
    });
    const timeoutMs = call.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const at: TransportAttempt = { host: hostOf(this.endpoint), timeoutMs, ...tries };
    const started = performance.now();
    let response: TransportResponse;
    try {
      response = await this.#transport.send({
        url,
        method: 'POST',
        headers: request.headers,
        body: request.text,
        ...(call.signal ? { signal: call.signal } : {}),
        timeoutMs,
        maxResponseBytes: this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE,
      });
    } catch (error) {
      // A transport that raises a family error (a refusal of its own) is final, not a connection failure.
      if (error instanceof KzError) throw error;
      if (error instanceof TransportFailure) {
        throw new TransportError(context, error.code, error.message, {
          maybeDelivered: error.maybeDelivered,
          cause: error,
          at,
        });
      }
      throw new TransportError(context, 'CONNECTION_FAILED', 'transport failed', {
        maybeDelivered: true,
        cause: error,
        at,
      });
    }
    if (hooks?.onResponse) {
      hooks.onResponse({
        ...context,
        status: response.status,
        headers: redactHeaders(response.headers, secrets),
        body: redact(response.body.toString('utf8'), secrets),
        durationMs: performance.now() - started,
      });
    }
    // The timeout covers the whole exchange: verifying and decoding stop at the same deadline, and on abort.
    const stop = { deadline: started + timeoutMs, ...(call.signal ? { signal: call.signal } : {}) };
    await this.#verifyResponse(response, context, stop, at);
    const unknown: UnknownReport[] = [];
    const value = await this.#decodeResponse<Output>(
      operation,
      response,
      context,
      secrets,
      { ...stop, at },
      {
        strict: call.strict ?? this.#options.strict ?? false,
        openEnums: true,
        ...(hooks?.onUnknown ? { onUnknown: (report: UnknownReport) => unknown.push(report) } : {}),
      },
    );
    for (const report of unknown) hooks?.onUnknown?.({ ...context, ...report });
    return value;
  }

  /** The security policy's check of the response; anything it throws is final (not retriable). */
  async #verifyResponse(
    response: TransportResponse,
    context: ErrorContext,
    stop: StopConditions,
    at: TransportAttempt,
  ): Promise<void> {
    const security = this.#options.security;
    if (!security?.verifyResponse) return;
    try {
      await security.verifyResponse(response, { ...context, soapVersion: this.soapVersion, ...stop });
    } catch (error) {
      if (error instanceof XmlParseInterrupted) throw interrupted(context, error, 'verifying', at);
      if (error instanceof KzError) throw error;
      throw new SignatureError(context, 'the response was refused', { cause: error, maybeDelivered: true });
    }
  }

  async #decodeResponse<Output>(
    operation: OperationMeta,
    response: TransportResponse,
    context: ErrorContext,
    secrets: readonly string[],
    stop: StopConditions & { at: TransportAttempt },
    options: DecodeOptions,
  ): Promise<Output> {
    const { status, body } = response;
    const ok = status >= 200 && status < 300;
    const contentType = String(response.headers['content-type'] ?? '').toLowerCase();
    // Redacted before it is cut (redact's limit), so a secret across the cut leaves nothing.
    const excerpt = (): string => redact(body.toString('utf8'), secrets, EXCERPT_CHARS);
    const clean = (text: string): string => redact(text, secrets, MAX_ERROR_TEXT);
    if (body.length === 0) {
      if (!ok) throw new HttpError(context, status, '');
      // A one-way operation's success (WS-I BP 1.2: HTTP 200 or 202 and no envelope).
      if (!operation.output) return undefined as Output;
      throw new DecodeError(context, `empty response body (HTTP ${status})`, '', { httpStatus: status });
    }
    if (!looksLikeXml(contentType, body)) {
      if (!ok) throw new HttpError(context, status, excerpt());
      throw new DecodeError(context, `expected a SOAP envelope, got ${contentType || 'a non-XML body'}`, '', {
        httpStatus: status,
      });
    }
    const decoder = new EnvelopeDecoder(
      this.soapVersion,
      this.#registry,
      operation.output,
      options,
      operation.encoded === true,
    );
    let result: ReturnType<EnvelopeDecoder['result']>;
    try {
      const { at: _at, ...stopConditions } = stop;
      await parseXml(body, decoder, {
        maxBytes: this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE,
        ...stopConditions,
      });
      result = decoder.result();
    } catch (error) {
      if (error instanceof XmlParseInterrupted) throw interrupted(context, error, 'decoding', stop.at);
      if (error instanceof XmlSyntaxError || error instanceof SchemaViolation) {
        if (!ok)
          throw new HttpError(context, status, excerpt(), `${context.service}.${context.operation}: HTTP ${status}`);
        // The parser's texts may quote the body: redacted, and its error not kept as the cause.
        const path = error instanceof SchemaViolation ? clean(error.path) : '';
        throw new DecodeError(context, clean(error.message), path, { httpStatus: status });
      }
      throw error;
    }
    if (result.kind === 'fault') {
      const fault = result.fault;
      const init = {
        faultCode: clean(fault.faultCode),
        faultSubcodes: fault.faultSubcodes.map(clean),
        reason: clean(fault.reason),
        detail: fault.detail === undefined ? undefined : clean(fault.detail),
      };
      throw this.#typedFault(operation, context, init, status) ?? new SoapFaultError(context, init, status);
    }
    if (!ok) throw new HttpError(context, status, excerpt());
    return result.value as Output;
  }

  /** The registered class of the operation's fault carried in the detail, with the detail decoded. */
  #typedFault(
    operation: OperationMeta,
    context: ErrorContext,
    init: { faultCode: string; faultSubcodes: string[]; reason: string; detail: string | undefined },
    status: number,
  ): SoapFaultError<unknown> | undefined {
    if (!operation.faults || init.detail === undefined || this.#faultClasses.size === 0) return undefined;
    const decoded = decodeFaultDetail(this.#registry, operation.faults, init.detail);
    const Class = decoded && this.#faultClasses.get(`{${decoded.fault.element.ns}}${decoded.fault.element.name}`);
    if (!decoded || !Class) return undefined;
    return new Class(context, { ...init, detail: decoded.value as never, detailXml: init.detail }, status);
  }
}

/** What stops reading a response: the call's deadline (a `performance.now()` time) and its signal. */
interface StopConditions {
  deadline: number;
  signal?: AbortSignal;
}

/** The deadline passed or the call was aborted while the response was read. */
function interrupted(
  context: ErrorContext,
  error: XmlParseInterrupted,
  stage: 'verifying' | 'decoding',
  at: TransportAttempt,
): TransportError {
  // The server has answered: whatever the request did has happened.
  const timedOut = error.reason === 'timeout';
  return new TransportError(
    context,
    timedOut ? 'TIMEOUT' : 'ABORTED',
    `${timedOut ? 'timed out' : 'aborted'} while ${stage} the response`,
    { maybeDelivered: true, cause: error, at },
  );
}

function looksLikeXml(contentType: string, body: Buffer): boolean {
  if (contentType.includes('html') || contentType.includes('json')) return false;
  if (contentType.includes('xml')) return true;
  // No or generic content type: sniff the first non-blank byte.
  for (const byte of body.subarray(0, 64)) {
    if (
      byte === 0x20 ||
      byte === 0x0a ||
      byte === 0x0d ||
      byte === 0x09 ||
      byte === 0xef ||
      byte === 0xbb ||
      byte === 0xbf
    )
      continue;
    return byte === 0x3c;
  }
  return false;
}
