/**
 * The ESF poller pauses with @kz/soap's sleep: an abort is the family's TransportError ABORTED
 * (TIMEOUT for a timeout signal, never a DOMException), nothing of a poll counts as delivered, and
 * no abort listener stays on the caller's signal however many checks ran.
 */
import { getEventListeners } from 'node:events';
import { KzError, TransportError } from '@kz/soap';
import { describe, expect, it } from 'vitest';
import { poll } from '../src/index.js';

const context = { service: 'InvoiceService', operation: 'waitForRegistration' };
const onTimeout = (last: number | undefined) => new KzError(context, 'WAIT_TIMEOUT', `last ${last}`);

describe('poll', () => {
  it('an abort during the pause: ABORTED at once, not delivered, no listener left', async () => {
    const controller = new AbortController();
    let checks = 0;
    const started = Date.now();
    const error = await poll(
      async () => {
        checks++;
        setTimeout(() => controller.abort(), 10);
        return { done: false, progress: checks };
      },
      { intervalMs: 60_000, timeoutMs: 120_000, signal: controller.signal },
      context,
      onTimeout,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: false, operation: 'waitForRegistration' });
    expect(checks).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a timeout signal is TIMEOUT', async () => {
    const error = await poll(
      async () => ({ done: false, progress: 0 }),
      { intervalMs: 60_000, timeoutMs: 120_000, signal: AbortSignal.timeout(20) },
      context,
      onTimeout,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'TIMEOUT', maybeDelivered: false });
  });

  it('already aborted: ABORTED before any check', async () => {
    let checks = 0;
    const error = await poll(
      async () => ({ done: ++checks > 0, progress: checks }),
      { signal: AbortSignal.abort() },
      context,
      onTimeout,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(checks).toBe(0);
  });

  it('many checks leave at most one listener on the signal, none at the end', async () => {
    const controller = new AbortController();
    let most = 0;
    let checks = 0;
    const result = await poll(
      async () => {
        most = Math.max(most, getEventListeners(controller.signal, 'abort').length);
        checks++;
        return { done: checks === 200, progress: checks };
      },
      { intervalMs: 1, timeoutMs: 60_000, signal: controller.signal },
      context,
      onTimeout,
    );
    expect(result).toBe(200);
    expect(most).toBeLessThanOrEqual(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('runs out with the caller-built error after one last check', async () => {
    let checks = 0;
    const error = await poll(
      async () => ({ done: false, progress: ++checks }),
      { intervalMs: 10, timeoutMs: 50 },
      context,
      onTimeout,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WAIT_TIMEOUT', message: `last ${checks}` });
    expect(checks).toBeGreaterThan(1);
  });
});
