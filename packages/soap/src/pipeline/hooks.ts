/**
 * Hooks: observers for logging and metrics, the convenience on top of the pipeline. The observe
 * phase's policy calls `onRequest` and `onResponse` once per attempt with secrets redacted; the
 * clients call `onError` once per call and `onUnknown` once per unknown piece of a response.
 * Every event of one call carries the same `requestId`, as does the error it may end with.
 */
import type { UnknownReport } from '../codec/decode.js';
import type { KzError } from '../errors.js';
import { credentialSecrets, redact, redactHeaders } from '../redact.js';
import type { PipelinePolicy, PipelineRequest } from './pipeline.js';

/** A request about to be sent (once per attempt). */
export interface RequestEvent {
  /** The call's id, shared by its events and its error. */
  requestId: string;
  /** The service called. */
  service: string;
  /** The operation called. */
  operation: string;
  /** The HTTP method. */
  method: string;
  /** The URL, secrets replaced by ***. */
  url: string;
  /** Request headers, credentials replaced by ***. */
  headers: Record<string, string>;
  /** The request body as text, secrets replaced by ***. */
  body: string;
}

/** A response received (once per attempt that got one), before it is verified or decoded. */
export interface ResponseEvent {
  /** The call's id, shared by its events and its error. */
  requestId: string;
  /** The service called. */
  service: string;
  /** The operation called. */
  operation: string;
  /** The HTTP status. */
  status: number;
  /** Response headers, credentials replaced by ***. */
  headers: Record<string, string>;
  /** The response body as text, secrets replaced by ***. */
  body: string;
  /** Time from sending the attempt to its response, ms. */
  durationMs: number;
}

/** A call ended in an error (once per call). */
export interface ErrorEvent {
  /** Undefined only for an error raised before the call had an id (an unknown operation). */
  requestId: string | undefined;
  /** The service called. */
  service: string;
  /** The operation called. */
  operation: string;
  /** The error the call ended with (it carries the same requestId). */
  error: KzError;
}

/**
 * Content of a response its schema does not know, kept on the decoded value (an element or text
 * in `$unknown`, an enumeration value as the string received). Names and a path only, never
 * content: a value may be a secret.
 */
export interface UnknownEvent extends UnknownReport {
  /** The call's id, shared by its events and its error. */
  requestId: string;
  /** The service called. */
  service: string;
  /** The operation called. */
  operation: string;
}

/** Observers for logging and metrics; payloads are redacted before they are called. */
export interface ClientHooks {
  /** Before each attempt is sent. */
  onRequest?(event: RequestEvent): void;
  /** After each attempt got a response. */
  onResponse?(event: ResponseEvent): void;
  /** Once, when a call ends in an error. */
  onError?(event: ErrorEvent): void;
  /** Called, after a response decoded, once for each piece of content its schema does not know. */
  onUnknown?(event: UnknownEvent): void;
}

/** The name of the hooks policy (phase observe). */
export const HOOKS_POLICY = 'hooks';

/** What must not reach a hook: the policies' secrets and the credentials in the request's headers. */
export function secretsOf(request: PipelineRequest): readonly string[] {
  return [...request.secrets, ...credentialSecrets(request.headers)];
}

/** The observe phase's policy: `onRequest` before each attempt, `onResponse` after it answered. */
export function hooksPolicy(hooks: ClientHooks): PipelinePolicy {
  return {
    name: HOOKS_POLICY,
    async sendRequest(request, next) {
      const { requestId, service, operation } = request;
      let secrets = hooks.onRequest || hooks.onResponse ? secretsOf(request) : [];
      hooks.onRequest?.({
        requestId,
        service,
        operation,
        method: request.method,
        url: redact(request.url, secrets),
        headers: redactHeaders(request.headers, secrets),
        body: redact(textOf(request.body), secrets),
      });
      const started = performance.now();
      const response = await next(request);
      // Policies closer to the wire may have learnt a secret from this response (a login's token).
      if (hooks.onResponse) secrets = secretsOf(request);
      hooks.onResponse?.({
        requestId,
        service,
        operation,
        status: response.status,
        headers: redactHeaders(response.headers, secrets),
        body: redact(response.body.toString('utf8'), secrets),
        durationMs: performance.now() - started,
      });
      return response;
    },
  };
}

function textOf(body: string | Uint8Array | undefined): string {
  if (body === undefined) return '';
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}
