/**
 * Waiting for the service: one poller, with the option names the other packages use (`intervalMs`,
 * `timeoutMs`, `signal`, `onProgress`), pausing with @kz/soap's `sleep`. A wait that runs out throws
 * a KzError with code WAIT_TIMEOUT carrying what is needed to resume; an abort throws the family's
 * TransportError ABORTED (TIMEOUT for a timeout signal) and leaves no abort listener behind.
 */
import { type ErrorContext, KzError, type SleepOptions, sleep } from '@kz/soap';

export interface PollOptions<Progress> {
  /** Pause between checks, ms. Default 2000. */
  intervalMs?: number;
  /** Give up after this long, ms. Default 120 000. */
  timeoutMs?: number;
  /** Stops the wait (the current check finishes first): TransportError ABORTED, not delivered. */
  signal?: AbortSignal;
  /** Called after every check with what it found. */
  onProgress?: (progress: Progress) => void;
}

/** A wait ran out before everything settled; `pending` says what to wait for when resuming. */
export class EsfWaitTimeoutError<Pending = unknown, Settled = unknown> extends KzError {
  readonly pending: readonly Pending[];
  readonly settled: readonly Settled[];
  override readonly timeoutMs: number;

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
  // The checks only read: an abort says nothing reached the service that it acted on.
  const pause: SleepOptions = { signal: options.signal, context, maybeDelivered: false };
  let last: Progress | undefined;
  for (;;) {
    // Aborted before a check: rejects at once with ABORTED, sending nothing.
    if (options.signal?.aborted) await sleep(0, pause);
    const { done, progress } = await check();
    last = progress;
    options.onProgress?.(progress);
    if (done) return progress;
    const left = deadline - Date.now();
    if (left <= 0) throw onTimeout(last, timeoutMs);
    await sleep(Math.min(intervalMs, left), pause);
    if (Date.now() >= deadline) {
      // One last look at the deadline, so a wait never ends without checking after its last pause.
      const final = await check();
      options.onProgress?.(final.progress);
      if (final.done) return final.progress;
      throw onTimeout(final.progress, timeoutMs);
    }
  }
}
