/**
 * What a server's pipeline carries: the request as it came in (raw bytes, then decoded), and the
 * response on its way out (the handler's output, then the envelope text). See server.ts for the
 * phases and who fills which field.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { SoapHeaderBlock } from '../envelope.js';
import type { PipelinePolicy, PipelinePolicyEntry } from '../pipeline/pipeline.js';
import type { OperationMeta, SoapVersion } from '../schema.js';

/** One incoming request as it travels through a server's pipeline. */
export interface IncomingSoapRequest {
  /** A new id per request: links its hooks event and an error it ends with. */
  readonly requestId: string;
  /** The service served (ServiceMeta.service). */
  readonly service: string;
  /** The HTTP method. */
  readonly method: string;
  /** The request target as received: path and query. */
  readonly path: string;
  /** The HTTP headers, names in lower case. */
  readonly headers: IncomingHttpHeaders;
  /**
   * The body's bytes as received (at most `maxRequestBytes`). A verify-phase policy reads it
   * before anything decodes it; a policy may replace it (a decryption) before serialize decodes it.
   */
  body: Buffer;
  /** The SOAP version: guessed from the content type on arrival, the envelope's once decoded. */
  soapVersion: SoapVersion;
  /** The operation, set by the serialize phase (undefined before: policies outside it see it on the way back). */
  operation?: OperationMeta;
  /** The Body's element decoded into the operation's input type, set by the serialize phase. */
  input?: unknown;
  /** The request's SOAP Header blocks in document order, set by the serialize phase. */
  soapHeaders?: readonly SoapHeaderBlock[];
  /** Aborted when the caller goes away: stops decoding, and long handlers may listen to it. */
  readonly signal: AbortSignal;
  /** The node:http request (its body already read): the socket, a TLS peer certificate. */
  readonly http: IncomingMessage;
}

/** The request as an operation handler gets it: decoded. */
export interface DecodedSoapRequest extends IncomingSoapRequest {
  /** The operation called. */
  readonly operation: OperationMeta;
  /** The decoded input (also the handler's first argument). */
  readonly input: unknown;
  /** The request's SOAP Header blocks in document order (raw XML per block, with name and namespace). */
  readonly soapHeaders: readonly SoapHeaderBlock[];
}

/** A successful response on its way out of a server's pipeline. Faults never travel it (see server.ts). */
export interface OutgoingSoapResponse {
  /** The HTTP status (200). */
  status: number;
  /** Extra HTTP headers; the content type and length are set from the SOAP version and body. */
  headers: Record<string, string>;
  /**
   * The response envelope's text, set by the serialize phase ('' inside it); a sign-phase policy
   * replaces it with the signed envelope. Sent as UTF-8.
   */
  body: string;
  /** What the operation handler returned. */
  readonly output: unknown;
}

/** A policy of a server's pipeline: the same PipelinePolicy, over a server's request and response. */
export type ServerPolicy = PipelinePolicy<IncomingSoapRequest, OutgoingSoapResponse>;

/** A server policy with its placement (phase, before or after), as `createSoapHandler` takes them. */
export type ServerPolicyEntry = PipelinePolicyEntry<IncomingSoapRequest, OutgoingSoapResponse>;
