/**
 * The retry phase's policy: sends again after a retriable failure (a connection failure or
 * timeout, or an answer 502/503/504), for requests marked safe only. A state-changing request is
 * sent once, whatever the options say. Backoff: full jitter, doubling per attempt.
 */
import { TransportError } from '../errors.js';
import { type RetryOptions, sleep } from '../retry.js';
import type { PipelinePolicy, PipelineResponse } from './pipeline.js';

/** The name of the retry policy (phase retry). */
export const RETRY_POLICY = 'retry';

const RETRIABLE_STATUS = new Set([502, 503, 504]);

function isRetriableFailure(error: unknown): boolean {
  return error instanceof TransportError && (error.code === 'CONNECTION_FAILED' || error.code === 'TIMEOUT');
}

/** Retries with `defaults` (a call's `retry` overrides them; none when both are absent). */
export function retryPolicy(defaults: RetryOptions | undefined, random: () => number = Math.random): PipelinePolicy {
  return {
    name: RETRY_POLICY,
    async sendRequest(request, next) {
      const options = request.retry === false ? undefined : (request.retry ?? defaults);
      if (!request.safe || !options) return next(request);
      const attempts = Math.max(1, options.attempts ?? 3);
      const base = options.baseDelayMs ?? 100;
      const max = options.maxDelayMs ?? 2000;
      for (let n = 1; ; n++) {
        request.attempt = n;
        request.attempts = attempts;
        let response: PipelineResponse | undefined;
        let maybeDelivered = true;
        try {
          response = await next(request);
          // The answer is the call's unless another attempt may do better.
          if (n >= attempts || !RETRIABLE_STATUS.has(response.status) || request.signal?.aborted) return response;
        } catch (error) {
          if (n >= attempts || !isRetriableFailure(error) || request.signal?.aborted) throw error;
          maybeDelivered = (error as TransportError).maybeDelivered;
        }
        // An abort during the backoff: ABORTED, as delivered as the attempt before it may have been.
        await sleep(Math.floor(random() * Math.min(max, base * 2 ** (n - 1))), {
          signal: request.signal,
          context: request,
          maybeDelivered,
        });
      }
    },
  };
}
