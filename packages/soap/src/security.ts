/**
 * Pluggable message security. A policy adds header blocks, may transform the finished envelope
 * (signing), may check a response before it is decoded (its signature), and names the secret
 * values that must never reach logs or errors.
 */
import type { SoapVersion } from './schema.js';
import type { TransportResponse } from './transport.js';

/** Which call a SecurityPolicy is securing. */
export interface SecurityContext {
  /** The service called (ServiceMeta.service). */
  readonly service: string;
  /** The operation called (its WSDL name). */
  readonly operation: string;
  /** The envelope's SOAP version: which namespace `soap:` is bound to in it. */
  readonly soapVersion: SoapVersion;
}

/** The context of `verifyResponse`: the call's deadline and signal, to stop reading a large response. */
export interface VerifyContext extends SecurityContext {
  /** A `performance.now()` time: the attempt's deadline (sent + `timeoutMs`); pass it to `parseXml` as `deadline`. */
  readonly deadline?: number;
  /** The caller's cancellation; pass it to `parseXml` as `signal`. */
  readonly signal?: AbortSignal;
}

/**
 * Message security for a SoapClient (its `security` option), e.g. `usernameToken(...)` or an XML
 * signer. Once per call (the sign phase, outside retries: every attempt sends the same envelope)
 * `secrets`, `headers`, then `finalize` are called; `verifyResponse` runs on each response before
 * it is decoded (the verify phase).
 */
export interface SecurityPolicy {
  /** Header blocks to put in soap:Header, as XML text. */
  headers?(context: SecurityContext): readonly string[] | Promise<readonly string[]>;
  /** Namespace declarations the header blocks rely on, put on the Envelope. */
  readonly namespaces?: Readonly<Record<string, string>>;
  /** Attributes for the Body element (e.g. a wsu:Id a signature refers to). */
  readonly bodyAttributes?: string;
  /** Last step before sending: may rewrite the whole envelope (e.g. add an XML signature). */
  finalize?(envelope: string, context: SecurityContext): string | Promise<string>;
  /**
   * Checks a response before it is decoded (e.g. its signature). Throw a SignatureError (or
   * another KzError) to refuse it: that error is final, never retried. An `XmlParseInterrupted`
   * from `parseXml` (deadline or signal of the context) becomes the call's TIMEOUT or ABORTED.
   */
  verifyResponse?(response: TransportResponse, context: VerifyContext): void | Promise<void>;
  /** Secret values (passwords, tokens) that redaction must remove from logs and errors. */
  secrets(): readonly string[];
}
