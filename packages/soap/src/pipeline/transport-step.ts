/**
 * The end of every pipeline: one attempt's exchange through a `Transport`, its failures turned
 * into the family's TransportError with where and how it failed.
 */
import { type ErrorContext, hostOf, KzError, type TransportAttempt, TransportError } from '../errors.js';
import { redact } from '../redact.js';
import { type Transport, TransportFailure } from '../transport.js';
import type { PipelineRequest, PipelineResponse, SendRequest } from './pipeline.js';

/** The terminal step for `transport`: create it once per client (pipelines cache their chain per step). */
export function transportStep(transport: Transport): SendRequest {
  return async (request: PipelineRequest): Promise<PipelineResponse> => {
    const started = performance.now();
    try {
      const response = await transport.send({
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: request.body,
        ...(request.signal ? { signal: request.signal } : {}),
        timeoutMs: request.timeoutMs,
        maxResponseBytes: request.maxResponseBytes,
        context: { service: request.service, operation: request.operation },
      });
      return {
        status: response.status,
        headers: response.headers,
        body: response.body,
        deadline: started + request.timeoutMs,
      };
    } catch (error) {
      throw transportErrorOf(request, error);
    }
  };
}

/** Where and how the request's current attempt went: what a TransportError says of it. */
export function attemptOf(request: PipelineRequest): TransportAttempt {
  return {
    host: hostOf(request.url),
    timeoutMs: request.timeoutMs,
    attempt: request.attempt,
    attempts: request.attempts,
  };
}

/** A transport's failure as the family's error for this attempt. */
export function transportErrorOf(request: PipelineRequest, error: unknown): KzError {
  // A transport that raises a family error (a refusal of its own) is final, not a connection failure.
  if (error instanceof KzError) return error;
  const context: ErrorContext = { service: request.service, operation: request.operation };
  const at = attemptOf(request);
  if (error instanceof TransportFailure) {
    // A transport's text names the host, never the body; redacted all the same (a custom transport may quote it).
    const message = request.secrets.length > 0 ? redact(error.message, request.secrets) : error.message;
    return new TransportError(context, error.code, message, {
      maybeDelivered: error.maybeDelivered,
      cause: error,
      at,
    });
  }
  return new TransportError(context, 'CONNECTION_FAILED', 'transport failed', {
    maybeDelivered: true,
    cause: error,
    at,
  });
}
