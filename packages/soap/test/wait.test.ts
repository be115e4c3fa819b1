/**
 * The pause between polls and retries: an abort rejects with the family's ABORTED error (TIMEOUT
 * for a timeout signal), never a bare DOMException, and no abort listener outlives a pause.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type PipelineRequest, retryPolicy, sleep, TransportError } from '../src/index.js';

const context = { service: 'Svc', operation: 'poll' };

describe('sleep', () => {
  it('an abort during the pause is TransportError ABORTED, with the maybeDelivered it is given', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const error = await sleep(10_000, { signal: controller.signal, context, maybeDelivered: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: true, service: 'Svc', operation: 'poll' });
  });

  it('an already aborted signal rejects at once; a timeout signal is TIMEOUT', async () => {
    const controller = new AbortController();
    controller.abort(new Error('caller reason'));
    await expect(sleep(10_000, { signal: controller.signal, context, maybeDelivered: false })).rejects.toMatchObject({
      code: 'ABORTED',
      maybeDelivered: false,
    });
    await expect(
      sleep(10_000, { signal: AbortSignal.timeout(5), context, maybeDelivered: false }),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('leaves no abort listener behind, over many pauses', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 200; i++) {
      await sleep(0, { signal: controller.signal, context, maybeDelivered: false });
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    }
  });
});

describe('retryPolicy', () => {
  it('an abort during the backoff is ABORTED, not the last attempt error', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const request = {
      ...context,
      requestId: 'r',
      safe: true,
      url: 'http://127.0.0.1:9/',
      method: 'POST',
      headers: {},
      body: undefined,
      timeoutMs: 1000,
      maxResponseBytes: 1000,
      signal: controller.signal,
      attempt: 1,
      attempts: 1,
      secrets: [],
    } satisfies PipelineRequest;
    const error = await retryPolicy({ attempts: 5, baseDelayMs: 10_000, maxDelayMs: 10_000 }, () => 0.99)
      .sendRequest(request, async () => {
        attempts++;
        setTimeout(() => controller.abort(), 5);
        throw new TransportError(context, 'CONNECTION_FAILED', 'reset', { maybeDelivered: true });
      })
      .catch((e: unknown) => e);
    expect(attempts).toBe(1);
    expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: true, operation: 'poll' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
