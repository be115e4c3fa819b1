/**
 * The one poller of the family: every wait (ESF invoice status, SHEP delivery, SONO FNO status,
 * True API orders) runs through `poll` with the same options (`intervalMs`, `timeoutMs`, `signal`,
 * `onProgress`), pauses with `sleep`, and ends in the same `WaitTimeoutError` carrying what the
 * caller needs to resume the wait.
 */
import { type ErrorContext, KzError } from './errors.js';
import { type SleepOptions, sleep } from './retry.js';

/** The caller's options of every wait. */
export interface PollOptions<Progress> {
  /** Pause between checks, ms (each wait documents its default). */
  intervalMs?: number;
  /** Give up after this long, ms: WaitTimeoutError (each wait documents its default). */
  timeoutMs?: number;
  /**
   * Stops the wait (a check under way finishes first): TransportError ABORTED (TIMEOUT for a
   * timeout signal), `maybeDelivered` as the wait says.
   */
  signal?: AbortSignal;
  /** Called after every check with what it found. */
  onProgress?: (progress: Progress) => void;
}

/** How one wait polls: set by the package that owns it, not by its caller. */
export interface WaitSpec<Progress, Resume extends object> {
  /** Service and operation the wait's errors name. */
  context: ErrorContext;
  /** Defaults of `intervalMs` and `timeoutMs`. */
  defaults: { intervalMs: number; timeoutMs: number };
  /** Whether a request the wait is about was sent before it (an abort then says it may be delivered). */
  maybeDelivered: boolean;
  /** What the timeout error carries to resume the wait (ids, never secrets). */
  resume(last: Progress | undefined): Resume;
  /** The timeout error's message after `service.operation: ` (default "not done within N ms"). */
  describe?(last: Progress | undefined, timeoutMs: number): string;
}

/**
 * A wait ran out of time. `resume` holds what is needed to wait again (the SHEP message id, the
 * True API order id, the ESF invoice ids still pending, the SONO FNO registration number), `last`
 * the last progress seen; `timeoutMs` is the wait's timeout.
 */
export class WaitTimeoutError<Resume extends object = Record<string, unknown>, Last = unknown> extends KzError {
  /** What to wait on again, e.g. `{ messageId }` or `{ orderId }`. */
  readonly resume: Resume;
  /** The last progress the wait saw (undefined when no check completed). */
  readonly last: Last | undefined;

  constructor(context: ErrorContext, message: string, details: { resume: Resume; last?: Last; timeoutMs: number }) {
    super(context, 'WAIT_TIMEOUT', `${context.service}.${context.operation}: ${message}`);
    this.resume = details.resume;
    this.last = details.last;
    (this as { timeoutMs: number | undefined }).timeoutMs = details.timeoutMs;
  }
}

/**
 * Calls `check` until it reports done, pausing `intervalMs` between calls, and returns the last
 * progress. After the last pause before the deadline it checks once more, so a wait never ends
 * without looking; then WaitTimeoutError. An abort rejects at once (nothing more is sent) and
 * leaves no listener behind. Errors of `check` end the wait as they are.
 */
export async function poll<Progress, Resume extends object>(
  check: () => Promise<{ done: boolean; progress: Progress }>,
  options: PollOptions<Progress>,
  wait: WaitSpec<Progress, Resume>,
): Promise<Progress> {
  const intervalMs = options.intervalMs ?? wait.defaults.intervalMs;
  const timeoutMs = options.timeoutMs ?? wait.defaults.timeoutMs;
  const deadline = Date.now() + timeoutMs;
  const pause: SleepOptions = { signal: options.signal, context: wait.context, maybeDelivered: wait.maybeDelivered };
  const timedOut = (last: Progress | undefined): WaitTimeoutError<Resume, Progress> =>
    new WaitTimeoutError(wait.context, wait.describe?.(last, timeoutMs) ?? `not done within ${timeoutMs} ms`, {
      resume: wait.resume(last),
      last,
      timeoutMs,
    });
  let last: Progress | undefined;
  for (;;) {
    // Aborted before a check: rejects at once, sending nothing.
    if (options.signal?.aborted) await sleep(0, pause);
    const { done, progress } = await check();
    last = progress;
    options.onProgress?.(progress);
    if (done) return progress;
    const left = deadline - Date.now();
    if (left <= 0) throw timedOut(last);
    await sleep(Math.min(intervalMs, left), pause);
    if (Date.now() >= deadline) {
      const final = await check();
      options.onProgress?.(final.progress);
      if (final.done) return final.progress;
      throw timedOut(final.progress);
    }
  }
}
