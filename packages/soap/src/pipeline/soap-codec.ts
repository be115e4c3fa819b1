/**
 * The SOAP codec as the serialize phase's policy: on the way out the typed input is validated and
 * encoded into an envelope (its parts kept on the request for sign-phase policies); on the way
 * back the response is decoded into the operation's output, or its fault, HTTP error or decode
 * failure raised as the family's error.
 */
import { TypeRegistry } from '../codec/compiled.js';
import { type DecodeOptions, SchemaViolation, type UnknownReport } from '../codec/decode.js';
import { encodeRootElement } from '../codec/encode.js';
import {
  buildEnvelope,
  decodeEnvelope,
  EnvelopeDecoder,
  type EnvelopeResult,
  requestContentType,
} from '../envelope.js';
import {
  DecodeError,
  type ErrorContext,
  HttpError,
  KzError,
  MAX_ERROR_TEXT,
  type SoapFaultClass,
  SoapFaultError,
  TransportError,
  ValidationError,
} from '../errors.js';
import { decodeFaultDetail } from '../fault-detail.js';
import { redact } from '../redact.js';
import type { OperationMeta, ServiceMeta, SoapVersion } from '../schema.js';
import { XmlParseInterrupted, XmlSyntaxError } from '../xml/reader.js';
import type { ClientHooks } from './hooks.js';
import { secretsOf } from './hooks.js';
import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from './pipeline.js';
import { attemptOf } from './transport-step.js';

/** The name of the SOAP codec policy (phase serialize). */
export const SOAP_CODEC_POLICY = 'soap-codec';

const EXCERPT_CHARS = 512;

export interface SoapCodecOptions {
  soapVersion: SoapVersion;
  /** Elements whose string content is written as CDATA (SoapClientOptions.cdata). */
  cdata?: readonly string[] | undefined;
  /** Refuse content the schema does not know, unless a call says otherwise. */
  strict: boolean;
  /** For `onUnknown`. */
  hooks?: ClientHooks | undefined;
}

export class SoapCodecPolicy implements PipelinePolicy {
  readonly name = SOAP_CODEC_POLICY;
  readonly #meta: ServiceMeta;
  readonly #options: SoapCodecOptions;
  readonly #registry: TypeRegistry;
  /** For rpc/encoded operations: writes SOAP encoding (created on first use). */
  #encodedRegistry: TypeRegistry | undefined;
  /** Registered fault classes by `{ns}name` of their detail element. */
  readonly #faultClasses = new Map<string, SoapFaultClass>();

  constructor(meta: ServiceMeta, options: SoapCodecOptions) {
    this.#meta = meta;
    this.#options = options;
    this.#registry = new TypeRegistry(meta, options.cdata);
  }

  /** See SoapClient.registerFaults. */
  registerFaults(classes: readonly SoapFaultClass[]): void {
    for (const Class of classes) this.#faultClasses.set(`{${Class.element.ns}}${Class.element.name}`, Class);
  }

  /** The envelope an operation sends for `input`, without header blocks; ValidationError when it breaks the schema. */
  encode(operationName: string, input: unknown): string {
    const operation = this.#operation({ service: this.#meta.service, operation: operationName });
    return buildEnvelope(this.#options.soapVersion, {
      headers: [],
      body: this.#encodeBody(operation, operationName, input),
    });
  }

  async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
    const context: ErrorContext = { service: request.service, operation: request.operation };
    const operation = this.#operation(context);
    const version = this.#options.soapVersion;
    request.envelope = { version, headers: [], body: this.#encodeBody(operation, request.operation, request.input) };
    request.body = buildEnvelope(version, request.envelope);
    const action = version === '1.2' ? (operation.soapAction12 ?? operation.soapAction) : operation.soapAction;
    request.headers['content-type'] = requestContentType(version, action);
    request.headers.accept = version === '1.2' ? 'application/soap+xml, text/xml' : 'text/xml';
    if (version === '1.1') request.headers.soapaction = `"${action}"`;
    const response = await next(request);
    const unknown: UnknownReport[] = [];
    const onUnknown = this.#options.hooks?.onUnknown;
    response.output = await this.#decode(operation, request, response, context, {
      strict: request.strict ?? this.#options.strict,
      openEnums: true,
      ...(onUnknown ? { onUnknown: (report: UnknownReport) => unknown.push(report) } : {}),
    });
    for (const report of unknown) onUnknown?.({ requestId: request.requestId, ...context, ...report });
    return response;
  }

  #operation(context: ErrorContext): OperationMeta {
    const operation = this.#meta.operations[context.operation];
    if (!operation) throw new KzError(context, 'CONFIG_ERROR', `unknown operation ${context.operation}`);
    return operation;
  }

  #encodeBody(operation: OperationMeta, name: string, input: unknown): string {
    const { xml, issues } = encodeRootElement(this.#registryFor(operation), operation.input, input ?? {});
    if (issues.length > 0) throw new ValidationError({ service: this.#meta.service, operation: name }, issues);
    return xml;
  }

  #registryFor(operation: OperationMeta): TypeRegistry {
    if (!operation.encoded) return this.#registry;
    this.#encodedRegistry ??= new TypeRegistry(this.#meta, this.#options.cdata, this.#options.soapVersion);
    return this.#encodedRegistry;
  }

  async #decode(
    operation: OperationMeta,
    request: PipelineRequest,
    response: PipelineResponse,
    context: ErrorContext,
    options: DecodeOptions,
  ): Promise<unknown> {
    const { status, body } = response;
    const secrets = secretsOf(request);
    const ok = status >= 200 && status < 300;
    const contentType = String(response.headers['content-type'] ?? '').toLowerCase();
    // Redacted before it is cut (redact's limit), so a secret across the cut leaves nothing.
    const excerpt = (): string => redact(body.toString('utf8'), secrets, EXCERPT_CHARS);
    const clean = (text: string): string => redact(text, secrets, MAX_ERROR_TEXT);
    if (body.length === 0) {
      if (!ok) throw new HttpError(context, status, '');
      // A one-way operation's success (WS-I BP 1.2: HTTP 200 or 202 and no envelope).
      if (!operation.output) return undefined;
      throw new DecodeError(context, `empty response body (HTTP ${status})`, '', { httpStatus: status });
    }
    if (!looksLikeXml(contentType, body)) {
      if (!ok) throw new HttpError(context, status, excerpt());
      throw new DecodeError(context, `expected a SOAP envelope, got ${contentType || 'a non-XML body'}`, '', {
        httpStatus: status,
      });
    }
    let result: EnvelopeResult;
    try {
      // The timeout covers the whole exchange: decoding stops at the attempt's deadline, and on abort.
      const limits = {
        maxBytes: request.maxResponseBytes,
        deadline: response.deadline,
        ...(request.signal ? { signal: request.signal } : {}),
      };
      result = await decodeEnvelope(
        body,
        limits,
        (encoded) =>
          new EnvelopeDecoder(
            this.#options.soapVersion,
            this.#registry,
            operation.output,
            options,
            operation.encoded === true ? encoded : undefined,
          ),
      );
    } catch (error) {
      if (error instanceof XmlParseInterrupted) throw interruptedError(request, error, 'decoding');
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
    return result.value;
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

/** The deadline passed or the call was aborted while the response was read. */
export function interruptedError(
  request: PipelineRequest,
  error: XmlParseInterrupted,
  stage: 'verifying' | 'decoding',
): TransportError {
  // The server has answered: whatever the request did has happened.
  const timedOut = error.reason === 'timeout';
  return new TransportError(
    { service: request.service, operation: request.operation },
    timedOut ? 'TIMEOUT' : 'ABORTED',
    `${timedOut ? 'timed out' : 'aborted'} while ${stage} the response`,
    {
      maybeDelivered: true,
      cause: error,
      at: attemptOf(request),
    },
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
