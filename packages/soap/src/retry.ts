/**
 * The retry options (the retry policy, pipeline/retry-policy.ts, applies them to operations marked
 * safe only), and `sleep`, the one pause every poll and retry loop of the packages waits with.
 */
import { type ErrorContext, KzError, TransportError } from './errors.js';

/**
 * Opt-in retries (a client's `retry` option, or a call's): how often and how long to back off.
 * Only operations the contract marks safe are retried, after a CONNECTION_FAILED or TIMEOUT, or an
 * answer 502, 503 or 504.
 */
export interface RetryOptions {
  /** Total attempts including the first. Default 3. */
  attempts?: number;
  /** First backoff ceiling in ms; doubles each attempt (full jitter). Default 100. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms. Default 2000. */
  maxDelayMs?: number;
}

/** How a `sleep` may be cut short and what the error then says. */
export interface SleepOptions {
  /** Aborting it ends the pause early with the error described at `sleep`. */
  signal?: AbortSignal | undefined;
  /** Names the service and operation in the error an abort raises. */
  context: ErrorContext;
  /**
   * What the error says when the pause is aborted: whether a request of this call may have reached
   * the service (true once a wait helper has sent the state-changing request it waits on).
   */
  maybeDelivered: boolean;
}

/**
 * Waits `ms`. An abort rejects with TransportError ABORTED (TIMEOUT when the signal's reason is
 * a TimeoutError, as from AbortSignal.timeout), never with the signal's bare reason; the abort
 * listener is removed on every path, so a loop of many pauses leaves none behind.
 */
export function sleep(ms: number, options: SleepOptions): Promise<void> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal, options));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal, options));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The family's error for an aborted signal (a family error given as the reason is kept as is). */
function abortError(signal: AbortSignal, options: SleepOptions): KzError {
  const reason = signal.reason as unknown;
  if (reason instanceof KzError) return reason;
  const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
  return new TransportError(options.context, timedOut ? 'TIMEOUT' : 'ABORTED', timedOut ? 'timed out' : 'aborted', {
    maybeDelivered: options.maybeDelivered,
  });
}
