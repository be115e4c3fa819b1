/**
 * Pluggable message security. A policy adds header blocks, may transform the finished envelope
 * (signing), may check a response before it is decoded (its signature), and names the secret
 * values that must never reach logs or errors.
 */
import type { SoapVersion } from './schema.js';
import type { TransportResponse } from './transport.js';

export interface SecurityContext {
  readonly service: string;
  readonly operation: string;
  readonly soapVersion: SoapVersion;
}

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
   * another KzError) to refuse it: that error is final, never retried.
   */
  verifyResponse?(response: TransportResponse, context: SecurityContext): void | Promise<void>;
  /** Secret values (passwords, tokens) that redaction must remove from logs and errors. */
  secrets(): readonly string[];
}
