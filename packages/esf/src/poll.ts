/**
 * Waiting for the service: one poller and one sleep, with the option names the other packages use
 * (`intervalMs`, `timeoutMs`, `signal`, `onProgress`). A wait that runs out throws a KzError with
 * code WAIT_TIMEOUT carrying what is needed to resume; an abort throws code ABORTED.
 */
import { type ErrorContext, KzError } from '@kz/soap';

export interface PollOptions<Progress> {
  /** Pause between checks, ms. Default 2000. */
  intervalMs?: number;
  /** Give up after this long, ms. Default 120 000. */
  timeoutMs?: number;
  /** Stops the wait (the current check finishes first). */
  signal?: AbortSignal;
  /** Called after every check with what it found. */
  onProgress?: (progress: Progress) => void;
}

/** A wait ran out before everything settled; `pending` says what to wait for when resuming. */
export class EsfWaitTimeoutError<Pending = unknown, Settled = unknown> extends KzError {
  readonly pending: readonly Pending[];
  readonly settled: readonly Settled[];
  readonly timeoutMs: number;

  constructor(
    context: ErrorContext,
    message: string,
    details: { pending: readonly Pending[]; settled: readonly Settled[]; timeoutMs: number },
  ) {
    super(context, 'WAIT_TIMEOUT', `${context.service}.${context.operation}: ${message}`);
    this.pending = details.pending;
    this.settled = details.settled;
    this.timeoutMs = details.timeoutMs;
  }
}

/** Resolves after `ms`, or rejects (code ABORTED) when `signal` aborts; leaves no listener behind. */
export function sleep(ms: number, signal?: AbortSignal, context?: ErrorContext): Promise<void> {
  const ctx = context ?? { service: 'esf', operation: 'sleep' };
  if (signal?.aborted) return Promise.reject(aborted(ctx, signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(ctx, signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function aborted(context: ErrorContext, signal: AbortSignal): KzError {
  return new KzError(context, 'ABORTED', `${context.service}.${context.operation}: the wait was aborted`, {
    cause: signal.reason,
  });
}

/**
 * Calls `check` until it reports done, pausing `intervalMs` between calls; `onTimeout` builds the
 * error thrown when `timeoutMs` runs out (from the last progress seen).
 */
export async function poll<Progress>(
  check: () => Promise<{ done: boolean; progress: Progress }>,
  options: PollOptions<Progress>,
  context: ErrorContext,
  onTimeout: (last: Progress | undefined, timeoutMs: number) => KzError,
): Promise<Progress> {
  const intervalMs = options.intervalMs ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let last: Progress | undefined;
  for (;;) {
    if (options.signal?.aborted) throw aborted(context, options.signal);
    const { done, progress } = await check();
    last = progress;
    options.onProgress?.(progress);
    if (done) return progress;
    const left = deadline - Date.now();
    if (left <= 0) throw onTimeout(last, timeoutMs);
    await sleep(Math.min(intervalMs, left), options.signal, context);
    if (Date.now() >= deadline) {
      // One last look at the deadline, so a wait never ends without checking after its last pause.
      const final = await check();
      options.onProgress?.(final.progress);
      if (final.done) return final.progress;
      throw onTimeout(final.progress, timeoutMs);
    }
  }
}
