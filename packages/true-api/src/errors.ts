/**
 * True API errors: the @kz/soap family (KzError, HttpError, TransportError, SignatureError, ...),
 * plus TrueApiError, an HttpError that also carries the service's `error_message`. Every text
 * taken from a response is redacted (the session's tokens, anything shaped like a JWT) before it
 * is cut to an excerpt.
 */
import { DecodeError, type ErrorContext, HttpError, KzError, REDACTED, redact, TransportError } from '@kz/soap';
import { BodyFailure } from './body.js';

/** The service name True API errors carry (`error.service`, and the `TrueApi.` prefix of their messages). */
export const SERVICE = 'TrueApi';
/** Longest body excerpt an error keeps. */
export const EXCERPT_LIMIT = 512;
/** Excerpt of a body that should have been JSON, in a DecodeError's message. */
const NOT_JSON_EXCERPT = 160;

/** A non-2xx answer from True API: status, bounded body excerpt and the `error_message` if the body had one. */
export class TrueApiError extends HttpError {
  /** `error_message` (or `errorMessage`) of the JSON error body, secrets redacted; undefined for XML/HTML bodies. */
  readonly errorMessage: string | undefined;

  constructor(context: ErrorContext, status: number, bodyExcerpt: string, errorMessage?: string) {
    super(
      context,
      status,
      bodyExcerpt,
      `${context.service}.${context.operation}: HTTP ${status}${errorMessage ? `: ${errorMessage}` : ''}`,
    );
    this.errorMessage = errorMessage;
  }
}

/** Builds a TrueApiError from a response body, keeping secrets out of every field. */
export function errorFromBody(
  context: ErrorContext,
  status: number,
  body: string,
  secrets: readonly string[],
): TrueApiError {
  let errorMessage: string | undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const message = Object.hasOwn(record, 'error_message') ? record.error_message : record.errorMessage;
      if (typeof message === 'string') errorMessage = excerpt(message, secrets, EXCERPT_LIMIT);
    }
  } catch {
    // Not JSON (the 401 bodies are XML): the excerpt says enough.
  }
  return new TrueApiError(context, status, excerpt(body, secrets, EXCERPT_LIMIT), errorMessage);
}

/** `text` with secrets and JWT-shaped tokens removed, then cut to `max` characters. */
function excerpt(text: string, secrets: readonly string[], max: number): string {
  return redact(redactToken(text), secrets, max);
}

/** A successful answer that should have been JSON and is not: a DecodeError with a short, redacted excerpt. */
export function notJson(
  context: ErrorContext,
  status: number,
  contentType: string,
  text: string,
  secrets: readonly string[],
): DecodeError {
  const start = excerpt(text.trimStart(), secrets, NOT_JSON_EXCERPT);
  return new DecodeError(
    context,
    `the response is not JSON (${contentType || 'no content type'}): ${JSON.stringify(start)}`,
    '',
    { httpStatus: status },
  );
}

/** A body that could not be read: over the cap (RESPONSE_TOO_LARGE), or undecodable (DECODE_ERROR). */
export function bodyError(context: ErrorContext, error: unknown, status: number): KzError {
  if (error instanceof KzError) return error;
  if (error instanceof BodyFailure && error.kind === 'too-large') {
    // Raised inside the pipeline: it puts the host, timeout and attempt on the error.
    return new TransportError(context, 'RESPONSE_TOO_LARGE', error.message, { maybeDelivered: true });
  }
  const reason = error instanceof BodyFailure ? error.message : 'the response body could not be read';
  return new DecodeError(context, reason, '', { httpStatus: status });
}

/**
 * Servers echo expired tokens ("Access token expired: <token>"): anything shaped like a JWT is
 * removed from texts bound for errors, even when it is not the current token.
 */
export function redactToken(text: string): string {
  return text.replace(/eyJ[\w-]*\.[\w-]+\.[\w-]*/g, REDACTED);
}
