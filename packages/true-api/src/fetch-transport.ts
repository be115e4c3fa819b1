/**
 * A `Transport` on a fetch function of the caller's (the `fetch` option): the pipeline's end when
 * the default node:http transport is not used. The attempt's timeout and the caller's signal
 * abort it; the body is read within the response cap.
 */
import { type Transport, TransportFailure, type TransportRequest, type TransportResponse } from '@kz/soap';
import { BodyFailure, readCapped } from './body.js';
import { bodyError, SERVICE } from './errors.js';

export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const deadline = request.timeoutMs === undefined ? undefined : AbortSignal.timeout(request.timeoutMs);
      const signals = [request.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      let response: Response;
      try {
        response = await fetchImpl(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        throw failureOf(error, deadline);
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      // fetch has undone any content encoding already.
      delete headers['content-encoding'];
      try {
        const body = Buffer.from(await readCapped(response, request.maxResponseBytes));
        return { status: response.status, headers, body };
      } catch (error) {
        if (error instanceof BodyFailure && error.kind === 'too-large') {
          throw new TransportFailure('RESPONSE_TOO_LARGE', error.message, true);
        }
        if (deadline?.aborted || request.signal?.aborted) throw failureOf(error, deadline);
        // fetch's own decoding of a corrupt gzip/deflate body: the answer came but cannot be read.
        throw bodyError(request.context ?? { service: SERVICE, operation: 'unknown' }, error, response.status);
      }
    },
  };
}

/** A fetch failure as the transport failure it is; fetch cannot tell whether bytes left, except for a refused or unresolved host. */
function failureOf(error: unknown, deadline: AbortSignal | undefined): TransportFailure {
  if (deadline?.aborted) return new TransportFailure('TIMEOUT', 'request timed out', true, { cause: error });
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError') return new TransportFailure('TIMEOUT', 'request timed out', true, { cause: error });
  if (name === 'AbortError') return new TransportFailure('ABORTED', 'request aborted', true, { cause: error });
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const refused = cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND';
  return new TransportFailure('CONNECTION_FAILED', `connection failed: ${cause?.code ?? 'fetch failed'}`, !refused, {
    cause: error,
  });
}
