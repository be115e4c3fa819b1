/**
 * Retries for operations marked safe in their spec. Off unless the caller opts in; operations
 * that change state are never retried, whatever the options say.
 */
import { HttpError, TransportError } from './errors.js';

export interface RetryOptions {
  /** Total attempts including the first. Default 3. */
  attempts?: number;
  /** First backoff ceiling in ms; doubles each attempt (full jitter). Default 100. */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms. Default 2000. */
  maxDelayMs?: number;
}

const RETRIABLE_STATUS = new Set([502, 503, 504]);

export function isRetriable(error: unknown): boolean {
  if (error instanceof TransportError) return error.code === 'CONNECTION_FAILED' || error.code === 'TIMEOUT';
  if (error instanceof HttpError) return RETRIABLE_STATUS.has(error.status);
  return false;
}

/** Runs `attempt` until it succeeds, fails with a non-retriable error, or attempts run out. */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  options: RetryOptions | undefined,
  signal: AbortSignal | undefined,
  random: () => number = Math.random,
): Promise<T> {
  const attempts = Math.max(1, options?.attempts ?? 3);
  const base = options?.baseDelayMs ?? 100;
  const max = options?.maxDelayMs ?? 2000;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= attempts || !isRetriable(error) || signal?.aborted) throw error;
      const ceiling = Math.min(max, base * 2 ** (n - 1));
      await sleep(Math.floor(random() * ceiling), signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
