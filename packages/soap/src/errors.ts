/**
 * The one error family every @kz package throws (see docs/ARCHITECTURE.md).
 *
 * Every error names the service and operation it came from and carries a stable `code`.
 * Messages and fields are built only from non-secret data: callers must pass texts through
 * `redact()` before they reach an error (redaction first: a cut secret could not be found).
 * Every text on an error is bounded (see `KzError`).
 */

/** Longest `message` an error keeps (the stack's first line is the message). */
export const MAX_ERROR_MESSAGE = 4 * 1024;
/** Longest text any other field of an error keeps (reason, detail, path, excerpt, names, values). */
export const MAX_ERROR_TEXT = 16 * 1024;

/**
 * `text` cut to at most `max` characters, ending with a visible marker that says how many were
 * dropped: `…[cut 12345 chars]`. Never splits a surrogate pair.
 */
export function boundText(text: string, max: number = MAX_ERROR_TEXT): string {
  if (text.length <= max) return text;
  const room = `…[cut ${text.length} chars]`.length;
  let keep = Math.max(0, max - room);
  const last = text.charCodeAt(keep - 1);
  if (last >= 0xd800 && last <= 0xdbff) keep--;
  return `${text.slice(0, keep)}…[cut ${text.length - keep} chars]`;
}

/**
 * What an error is about: the service and operation it names (its message starts
 * `service.operation:`), and, when it comes from a call, what identifies that call.
 */
export interface ErrorContext {
  /** Service name as errors and hooks show it (the contract's `ServiceMeta.service`). */
  service: string;
  /** The operation (its name in the contract), or what failed outside a call (`'*'`, `'configure'`). */
  operation: string;
  /**
   * What identifies the call, when the context is one (a `PipelineRequest`, or an error of the
   * call whose context another error is built from): the new error carries them too.
   */
  readonly requestId?: string | undefined;
  /** `host[:port]` the call went to. */
  readonly host?: string | undefined;
  /** The timeout of the call's attempt, ms. */
  readonly timeoutMs?: number | undefined;
  /** The call's attempt (1-based). */
  readonly attempt?: number | undefined;
  /** How many attempts the call was allowed. */
  readonly attempts?: number | undefined;
}

/**
 * Every code an error of the family can carry, by the package that raises it: a closed list, so a
 * `switch (error.code)` can be exhaustive. A package that needs a new code adds it here.
 */
export const KZ_ERROR_CODES = {
  /** @kz/soap: the runtime (and every facade built on it). */
  soap: [
    'SOAP_FAULT',
    'HTTP_ERROR',
    'TIMEOUT',
    'ABORTED',
    'CONNECTION_FAILED',
    'RESPONSE_TOO_LARGE',
    'DECODE_ERROR',
    'VALIDATION_ERROR',
    'SIGNATURE_ERROR',
    'CONFIG_ERROR',
    'WAIT_TIMEOUT',
  ],
  /** @kz/signing: key containers and certificates. */
  signing: ['KEY_ERROR', 'WRONG_PASSWORD', 'UNSUPPORTED_KEY', 'CERTIFICATE_ERROR'],
  /** @kz/core: IIN/BIN checks. */
  core: ['INVALID_IDENTIFIER'],
  /** @kz/alseco: the service answered that an operation did not execute. */
  alseco: ['SERVICE_ERROR'],
  /** @kz/shep: a message SHEP could not deliver; a refusal a receiver answers with. */
  shep: ['NOT_DELIVERED', 'RECEIVER_FAULT'],
  /** @kz/true-api: a code order that ended in a failed status. */
  trueApi: ['ORDER_FAILED'],
} as const;

/** One code of `KZ_ERROR_CODES` (closed: no other string type-checks). */
export type KzErrorCode = (typeof KZ_ERROR_CODES)[keyof typeof KZ_ERROR_CODES][number];

/**
 * The base of the family. Every text put on an error, by this constructor, a subclass's fields or
 * anyone assigning later, is cut by `boundText` (plain arrays and objects are bounded inside):
 * the instance handed out is a proxy whose property writes pass through the bound, so no subclass
 * or caller can forget it. (A proxy is not structured-cloneable; send `{ ...error }` to a worker.)
 */
export class KzError extends Error {
  /** The service the error came from, as in `ErrorContext.service`. */
  readonly service: string;
  /** The operation the error came from, as in `ErrorContext.operation`. */
  readonly operation: string;
  /** Stable machine-readable reason, one of `KZ_ERROR_CODES`: branch on this, not on the message. */
  readonly code: KzErrorCode;
  /**
   * The id of the call that ended in this error, as its hook events carry it (set by the request
   * pipeline; undefined for errors raised outside a call, such as configuration errors).
   */
  readonly requestId: string | undefined;
  /** `host[:port]` the call went to, when known (never userinfo, path or query). */
  readonly host: string | undefined;
  /** The timeout that applied to the attempt, ms, when known. */
  readonly timeoutMs: number | undefined;
  /** The attempt that ended in this error (1-based) and how many were allowed, when known. */
  readonly attempt: number | undefined;
  /** How many attempts the call was allowed (1 when it was not retried), when known. */
  readonly attempts: number | undefined;

  constructor(context: ErrorContext, code: KzErrorCode, message: string, options?: { cause?: unknown }) {
    super(boundText(message, MAX_ERROR_MESSAGE), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.service = boundText(context.service);
    this.operation = boundText(context.operation);
    this.code = code;
    this.requestId = context.requestId;
    this.host = context.host;
    this.timeoutMs = context.timeoutMs;
    this.attempt = context.attempt;
    this.attempts = context.attempts;
    // biome-ignore lint/correctness/noConstructorReturn: the bound must apply to what subclasses define after this.
    return new Proxy(this, BOUNDED_PROPERTIES);
  }
}

const BOUNDED_PROPERTIES: ProxyHandler<KzError> = {
  defineProperty(target, key, descriptor) {
    if (!('value' in descriptor)) return Reflect.defineProperty(target, key, descriptor);
    const limit = key === 'message' ? MAX_ERROR_MESSAGE : MAX_ERROR_TEXT;
    return Reflect.defineProperty(target, key, { ...descriptor, value: bounded(descriptor.value, limit, 0) });
  },
};

/**
 * Strings cut; plain arrays and objects (a few levels deep) copied with their strings cut, or
 * returned as they are when nothing needed cutting.
 */
function bounded(value: unknown, limit: number, depth: number): unknown {
  if (typeof value === 'string') return boundText(value, limit);
  if (depth >= 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (const [i, item] of value.entries()) {
      const cut = bounded(item, MAX_ERROR_TEXT, depth + 1);
      if (cut === item) continue;
      copy ??= [...value];
      copy[i] = cut;
    }
    return copy ?? value;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const cut = bounded(item, MAX_ERROR_TEXT, depth + 1);
    if (cut === item) continue;
    // Spread and assign copy own properties: a key named __proto__ stays a key.
    copy ??= (prototype === null ? Object.assign(Object.create(null), value) : { ...value }) as Record<string, unknown>;
    copy[key] = cut;
  }
  return copy ?? value;
}

/**
 * "Service.operation: lead text suffix" within MAX_ERROR_MESSAGE: only `text` is cut (with its
 * marker), and every part is bounded first, so no huge intermediate string is built.
 */
function contextual(context: ErrorContext, text: string, parts: { lead?: string; suffix?: string } = {}): string {
  const prefix = `${boundText(context.service, 256)}.${boundText(context.operation, 256)}: ${parts.lead ?? ''}`;
  const suffix = parts.suffix ?? '';
  return prefix + boundText(text, MAX_ERROR_MESSAGE - prefix.length - suffix.length) + suffix;
}

/** What a SoapFaultError is built from: the fault's code, subcodes, reason and detail. */
export interface SoapFaultInit<Detail = string | undefined> {
  /** faultcode (1.1) or Code/Value (1.2). */
  faultCode: string;
  /** Code/Subcode values (1.2). */
  faultSubcodes?: readonly string[];
  /** faultstring (1.1) or Reason/Text (1.2). */
  reason: string;
  /** The detail's XML text, or the decoded fault element for a generated fault class. */
  detail: Detail;
  /** The detail's XML text (bounded, secrets redacted); defaults to `detail` when that is text. */
  detailXml?: string | undefined;
}

/**
 * A SOAP fault. `Detail` is the raw XML text of the fault's detail by default; a fault class
 * generated from a contract's wsdl:fault (see `SoapFaultClass`) has it decoded into its type.
 */
export class SoapFaultError<Detail = string | undefined> extends KzError {
  /**
   * faultcode (1.1) or Code/Value (1.2) as written, prefix included (e.g. `soap:Client`,
   * `soap:Receiver`); `'unknown'` when the fault has none. Secrets redacted.
   */
  readonly faultCode: string;
  /** Code/Subcode/Value texts (SOAP 1.2), outermost first; empty when there are none (always in SOAP 1.1's form). */
  readonly faultSubcodes: readonly string[];
  /** faultstring (1.1) or Reason/Text (1.2): the server's explanation, secrets redacted. */
  readonly reason: string;
  /** The fault's detail: its XML text (bounded), if any, or for a generated fault class the decoded element. */
  readonly detail: Detail;
  /** The detail's XML text (bounded, secrets redacted), whatever `detail` holds. */
  readonly detailXml: string | undefined;
  /** HTTP status of the response that carried the fault (500 by SOAP 1.1; SOAP 1.2 answers Sender faults with 400). */
  readonly httpStatus: number;

  constructor(
    context: ErrorContext,
    fault: Omit<SoapFaultInit<Detail>, 'detail'> &
      (undefined extends Detail ? { detail?: Detail } : { detail: Detail }),
    httpStatus: number,
  ) {
    super(
      context,
      'SOAP_FAULT',
      contextual(context, fault.reason, { lead: `SOAP fault ${boundText(fault.faultCode, 256)}: ` }),
    );
    this.faultCode = fault.faultCode;
    this.faultSubcodes = fault.faultSubcodes ?? [];
    this.reason = fault.reason;
    this.detail = fault.detail as Detail;
    this.detailXml = fault.detailXml ?? (typeof fault.detail === 'string' ? fault.detail : undefined);
    this.httpStatus = httpStatus;
  }
}

/**
 * A fault class for one fault element of a contract (the codegen emits one per wsdl:fault element):
 * registered on a SoapClient, a fault whose detail carries `element` is raised as this class with
 * the element decoded into `detail`.
 */
export interface SoapFaultClass<Detail = never> {
  /** The fault element (in the detail) this class stands for. */
  readonly element: { readonly name: string; readonly ns: string };
  /** Built by the client with the fault and its decoded detail. */
  new (context: ErrorContext, fault: SoapFaultInit<Detail>, httpStatus: number): SoapFaultError<unknown>;
}

/** A non-success HTTP status without a usable SOAP fault or JSON error body. */
export class HttpError extends KzError {
  /** The HTTP status the server answered with (not 2xx). */
  readonly status: number;
  /** The first characters of the response body, secrets redacted. */
  readonly bodyExcerpt: string;
  /** Always true: a server answered, so it received the request (see TransportError.maybeDelivered). */
  readonly maybeDelivered: boolean;

  constructor(context: ErrorContext, status: number, bodyExcerpt: string, message?: string) {
    super(context, 'HTTP_ERROR', message ?? contextual(context, `HTTP ${status}`));
    this.status = status;
    this.bodyExcerpt = bodyExcerpt;
    this.maybeDelivered = true;
  }
}

/**
 * Why an exchange did not complete: TIMEOUT (the attempt's `timeoutMs` passed, or the signal's
 * reason was a TimeoutError), ABORTED (the caller's signal), CONNECTION_FAILED (refused, reset,
 * DNS, TLS, interrupted response), RESPONSE_TOO_LARGE (the body passed `maxResponseBytes`).
 */
export type TransportErrorCode = 'TIMEOUT' | 'ABORTED' | 'CONNECTION_FAILED' | 'RESPONSE_TOO_LARGE';

/**
 * Where and how a transport failure happened, to act on it: never userinfo, path or query (they
 * may hold credentials), only the host.
 */
export interface TransportAttempt {
  /** `host[:port]` of the URL called. */
  readonly host: string;
  /** The timeout that applied to the exchange, ms. */
  readonly timeoutMs?: number;
  /** Which attempt failed (1-based) ... */
  readonly attempt?: number;
  /** ... of how many the retry options allowed (1 when not retried). */
  readonly attempts?: number;
}

/** `host[:port]` of a URL, and nothing else of it; `(invalid URL)` when it does not parse. */
export function hostOf(url: string | URL): string {
  try {
    return new URL(url).host || '(no host)';
  } catch {
    return '(invalid URL)';
  }
}

function describeAttempt(at: TransportAttempt): string {
  const parts = [`host ${boundText(at.host, 256)}`];
  if (at.timeoutMs !== undefined) parts.push(`timeout ${at.timeoutMs} ms`);
  if (at.attempt !== undefined) parts.push(`attempt ${at.attempt} of ${at.attempts ?? at.attempt}`);
  return ` (${parts.join(', ')})`;
}

/**
 * The request did not complete: timeout, abort, refused or reset connection, oversized response
 * (`code` says which). The message and the base's `host`, `timeoutMs`, `attempt` and `attempts`
 * say where and when; check `maybeDelivered` before sending a state-changing request again.
 */
export class TransportError extends KzError {
  /**
   * True when request bytes may have reached the server: the outcome is unknown, and a
   * state-changing call must be looked up before it is sent again. False only when no byte can
   * have left this process (no connected socket: refused, DNS, a TLS handshake that failed or
   * never finished, a wait for a pooled socket), so sending again is safe.
   */
  readonly maybeDelivered: boolean;

  constructor(
    context: ErrorContext,
    code: TransportErrorCode,
    message: string,
    options: { maybeDelivered: boolean; cause?: unknown; at?: TransportAttempt },
  ) {
    const { at } = options;
    super(context, code, contextual(context, message, { suffix: at ? describeAttempt(at) : '' }), {
      cause: options.cause,
    });
    this.maybeDelivered = options.maybeDelivered;
    // The base's fields, said in the message too for a transport failure.
    const self = this as { -readonly [K in 'host' | 'timeoutMs' | 'attempt' | 'attempts']: KzError[K] };
    if (at) {
      self.host = at.host;
      self.timeoutMs = at.timeoutMs;
      self.attempt = at.attempt;
      self.attempts = at.attempts ?? at.attempt;
    }
  }
}

/** The response could not be decoded: malformed or hostile XML/JSON, or content that breaks the schema. */
export class DecodeError extends KzError {
  /** Where in the document the problem is, e.g. "Envelope/Body/PayResponse/PayResult". */
  readonly path: string;
  /** HTTP status of the response that failed to decode; undefined for a document decoded locally. */
  readonly httpStatus: number | undefined;
  /**
   * True when the bytes that failed to decode were a server's answer to a request (then
   * `httpStatus` is set): the server received the request, and after a 2xx a state-changing
   * operation may well have happened; look it up before sending again. False for a document
   * decoded locally (a file, a request a server decodes), where nothing was sent.
   */
  readonly maybeDelivered: boolean;

  constructor(
    context: ErrorContext,
    message: string,
    path = '',
    options?: { cause?: unknown; httpStatus?: number; maybeDelivered?: boolean },
  ) {
    const where = path ? ` (at ${boundText(path, 1024)})` : '';
    super(context, 'DECODE_ERROR', contextual(context, message, { suffix: where }), {
      cause: options?.cause,
    });
    this.path = path;
    this.httpStatus = options?.httpStatus;
    this.maybeDelivered = options?.maybeDelivered ?? options?.httpStatus !== undefined;
  }
}

/** One problem with one input field, as a ValidationError lists them. */
export interface FieldIssue {
  /** Dotted path of the offending input field, e.g. "paymentDocuments[0].PaySum". */
  field: string;
  /** What is wrong with it, in English, e.g. "length 13 is above the maximum 12". */
  message: string;
}

/**
 * Input rejected before anything was sent; on a server, an operation's output that breaks the
 * schema (`what` 'response'), which is not sent either (the caller gets a server fault).
 */
export class ValidationError extends KzError {
  /** Every problem found: the whole input is checked before anything is sent, not only up to the first. */
  readonly issues: readonly FieldIssue[];

  /** `what` names what was checked in the message, `service.operation: invalid <what>: …` (default 'input'). */
  constructor(context: ErrorContext, issues: readonly FieldIssue[], what = 'input') {
    super(context, 'VALIDATION_ERROR', contextual(context, `invalid ${boundText(what, 64)}: ${summarize(issues)}`));
    this.issues = issues;
  }
}

/** The issues as one line, built only as far as the message can hold. */
function summarize(issues: readonly FieldIssue[]): string {
  let summary = '';
  for (const [n, issue] of issues.entries()) {
    if (summary.length > MAX_ERROR_MESSAGE) return `${summary}; … ${issues.length - n} more`;
    summary += `${n > 0 ? '; ' : ''}${boundText(issue.field, 256)}: ${boundText(issue.message, 256)}`;
  }
  return summary;
}

/** A signature that could not be produced or did not verify. */
export class SignatureError extends KzError {
  /**
   * False when signing our request failed (nothing was sent); true when a server's answer was
   * refused: the server received the request and may have acted on it.
   */
  readonly maybeDelivered: boolean;

  constructor(context: ErrorContext, message: string, options?: { cause?: unknown; maybeDelivered?: boolean }) {
    super(context, 'SIGNATURE_ERROR', contextual(context, message), { cause: options?.cause });
    this.maybeDelivered = options?.maybeDelivered ?? false;
  }
}
