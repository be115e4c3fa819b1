/**
 * True API errors: the @kz/soap family (KzError, HttpError, TransportError, SignatureError, ...),
 * plus TrueApiError, an HttpError that also carries the service's `error_message`.
 */
import { type ErrorContext, HttpError, REDACTED, redact, TransportError, TransportFailure } from '@kz/soap';

export const SERVICE = 'TrueApi';
/** Longest body excerpt an error keeps. */
export const EXCERPT_LIMIT = 512;

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
  const clean = redactToken(redact(body, secrets));
  let errorMessage: string | undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const message = record.error_message ?? record.errorMessage;
      if (typeof message === 'string') errorMessage = redactToken(redact(message, secrets)).slice(0, EXCERPT_LIMIT);
    }
  } catch {
    // Not JSON (the 401 bodies are XML): the excerpt says enough.
  }
  return new TrueApiError(context, status, clean.slice(0, EXCERPT_LIMIT), errorMessage);
}

/**
 * Servers echo expired tokens ("Access token expired: <token>"): anything shaped like a JWT is
 * removed from texts bound for errors, even when it is not the current token.
 */
export function redactToken(text: string): string {
  return text.replace(/eyJ[\w-]*\.[\w-]+\.[\w-]*/g, REDACTED);
}

/** Maps a fetch failure to the TransportError it is (abort, timeout, connection). */
export function transportError(context: ErrorContext, error: unknown, secrets: readonly string[]): Error {
  if (error instanceof TransportError || error instanceof HttpError) return error;
  if (error instanceof TransportFailure) {
    const detail = redactToken(redact(error.message, secrets));
    return new TransportError(context, error.code, detail, { maybeDelivered: error.maybeDelivered, cause: error });
  }
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError') {
    return new TransportError(context, 'TIMEOUT', 'request timed out', { maybeDelivered: true });
  }
  if (name === 'AbortError') {
    return new TransportError(context, 'ABORTED', 'request aborted', { maybeDelivered: true });
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const refused = cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND';
  const detail = redactToken(
    redact(cause?.message ?? (error as Error | undefined)?.message ?? 'fetch failed', secrets),
  );
  return new TransportError(context, 'CONNECTION_FAILED', `connection failed: ${detail}`, {
    maybeDelivered: !refused,
  });
}
