/**
 * The one error family every @kz package throws (see docs/ARCHITECTURE.md).
 *
 * Every error names the service and operation it came from and carries a stable `code`.
 * Messages and fields are built only from non-secret data: callers must pass excerpts through
 * `redact()` before they reach an error.
 */

export interface ErrorContext {
  service: string;
  operation: string;
}

export type KzErrorCode =
  | 'SOAP_FAULT'
  | 'HTTP_ERROR'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'CONNECTION_FAILED'
  | 'RESPONSE_TOO_LARGE'
  | 'DECODE_ERROR'
  | 'VALIDATION_ERROR'
  | 'SIGNATURE_ERROR'
  | (string & {});

export class KzError extends Error {
  readonly service: string;
  readonly operation: string;
  readonly code: KzErrorCode;

  constructor(context: ErrorContext, code: KzErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.service = context.service;
    this.operation = context.operation;
    this.code = code;
  }
}

/** A SOAP fault returned by the service (1.1 faultcode/faultstring or 1.2 Code/Reason). */
export class SoapFaultError extends KzError {
  readonly faultCode: string;
  readonly faultSubcodes: readonly string[];
  readonly reason: string;
  /** The fault's detail element as XML text (bounded), if any. */
  readonly detail: string | undefined;
  readonly httpStatus: number;

  constructor(
    context: ErrorContext,
    fault: { faultCode: string; faultSubcodes?: readonly string[]; reason: string; detail?: string | undefined },
    httpStatus: number,
  ) {
    super(
      context,
      'SOAP_FAULT',
      `${context.service}.${context.operation}: SOAP fault ${fault.faultCode}: ${fault.reason}`,
    );
    this.faultCode = fault.faultCode;
    this.faultSubcodes = fault.faultSubcodes ?? [];
    this.reason = fault.reason;
    this.detail = fault.detail;
    this.httpStatus = httpStatus;
  }
}

/** A non-success HTTP status without a usable SOAP fault or JSON error body. */
export class HttpError extends KzError {
  readonly status: number;
  /** The first bytes of the response body, secrets redacted. */
  readonly bodyExcerpt: string;

  constructor(context: ErrorContext, status: number, bodyExcerpt: string, message?: string) {
    super(context, 'HTTP_ERROR', message ?? `${context.service}.${context.operation}: HTTP ${status}`);
    this.status = status;
    this.bodyExcerpt = bodyExcerpt;
  }
}

export type TransportErrorCode = 'TIMEOUT' | 'ABORTED' | 'CONNECTION_FAILED' | 'RESPONSE_TOO_LARGE';

/** The request did not complete: timeout, abort, refused or reset connection, oversized response. */
export class TransportError extends KzError {
  /** True when the request bytes may have reached the server (the outcome is unknown). */
  readonly maybeDelivered: boolean;

  constructor(
    context: ErrorContext,
    code: TransportErrorCode,
    message: string,
    options: { maybeDelivered: boolean; cause?: unknown },
  ) {
    super(context, code, `${context.service}.${context.operation}: ${message}`, { cause: options.cause });
    this.maybeDelivered = options.maybeDelivered;
  }
}

/** The response could not be decoded: malformed or hostile XML/JSON, or content that breaks the schema. */
export class DecodeError extends KzError {
  /** Where in the document the problem is, e.g. "Envelope/Body/PayResponse/PayResult". */
  readonly path: string;
  readonly httpStatus: number | undefined;

  constructor(context: ErrorContext, message: string, path = '', options?: { cause?: unknown; httpStatus?: number }) {
    super(
      context,
      'DECODE_ERROR',
      `${context.service}.${context.operation}: ${message}${path ? ` (at ${path})` : ''}`,
      {
        cause: options?.cause,
      },
    );
    this.path = path;
    this.httpStatus = options?.httpStatus;
  }
}

export interface FieldIssue {
  /** Dotted path of the offending input field, e.g. "paymentDocuments[0].PaySum". */
  field: string;
  message: string;
}

/** Input rejected before anything was sent. */
export class ValidationError extends KzError {
  readonly issues: readonly FieldIssue[];

  constructor(context: ErrorContext, issues: readonly FieldIssue[]) {
    const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    super(context, 'VALIDATION_ERROR', `${context.service}.${context.operation}: invalid input: ${summary}`);
    this.issues = issues;
  }
}

/** A signature that could not be produced or did not verify. */
export class SignatureError extends KzError {
  constructor(context: ErrorContext, message: string, options?: { cause?: unknown }) {
    super(context, 'SIGNATURE_ERROR', `${context.service}.${context.operation}: ${message}`, options);
  }
}
