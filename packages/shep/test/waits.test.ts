/**
 * The wait helpers against the mock gateway: an abort rejects with the family's ABORTED error
 * (never a bare DOMException), saying the message was sent, and no abort listener piles up on the
 * caller's signal however many polls the wait makes.
 */
import { getEventListeners } from 'node:events';
import { createTestIdentity } from '@kz/signing/testing';
import { NodeHttpTransport, TransportError, TransportFailure } from '@kz/soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShepClient } from '../src/index.js';
import { type ShepMock, startShepMock } from '../src/testing/index.js';

const sender = createTestIdentity({ commonName: 'SENDER SYSTEM' });
let mock: ShepMock;
beforeAll(async () => {
  mock = await startShepMock({ senders: { bank: { certificates: [sender.certificatePem] } } });
  mock.registerAsyncService('SILENT', () => {});
  // Never handed over: the message stays ON_DELIVERY.
  mock.registerAsyncService('STUCK', () => new Promise(() => {}));
});
afterAll(() => mock.close());

const trusted = () => ({ trustedCertificates: [mock.certificate] });

describe('aborting a wait', () => {
  it('sendAndWaitForResponse: ABORTED (maybe delivered), one listener at most over many polls', {
    timeout: 60_000,
  }, async () => {
    const shep = createShepClient({
      endpoint: mock.endpoints,
      senderId: 'bank',
      signer: sender.signer,
      verify: trusted(),
    });
    const controller = new AbortController();
    let polls = 0;
    let mostListeners = 0;
    const error = await shep.async
      .sendAndWaitForResponse(
        { serviceId: 'SILENT', data: '<x/>' },
        {
          intervalMs: 1,
          timeoutMs: 60_000,
          signal: controller.signal,
          onProgress: () => {
            mostListeners = Math.max(mostListeners, getEventListeners(controller.signal, 'abort').length);
            if (++polls === 25) setTimeout(() => controller.abort(), 0);
          },
        },
      )
      .catch((e: unknown) => e);
    shep.close();
    expect(error).toBeInstanceOf(TransportError);
    expect(error).not.toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: true });
    expect(polls).toBeGreaterThanOrEqual(25);
    expect(mostListeners).toBeLessThanOrEqual(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a timeout signal during the pause: TIMEOUT, the message sent', async () => {
    const shep = createShepClient({
      endpoint: mock.endpoints,
      senderId: 'bank',
      signer: sender.signer,
      verify: trusted(),
    });
    const timeout = await shep.async
      .sendAndWaitForDelivery(
        { serviceId: 'STUCK', data: '<x/>' },
        { intervalMs: 60_000, timeoutMs: 120_000, signal: AbortSignal.timeout(1_500) },
      )
      .catch((e: unknown) => e);
    shep.close();
    expect(timeout).toBeInstanceOf(TransportError);
    expect(timeout).toMatchObject({ code: 'TIMEOUT', maybeDelivered: true });
  });

  it('a poll that fails to connect after the message was sent still says "maybe delivered"', async () => {
    const inner = new NodeHttpTransport();
    let sent = 0;
    const shep = createShepClient({
      endpoint: mock.endpoints,
      senderId: 'bank',
      signer: sender.signer,
      verify: trusted(),
      transport: {
        send: (request) =>
          sent++ === 0
            ? inner.send(request)
            : Promise.reject(new TransportFailure('CONNECTION_FAILED', 'refused', false)),
        close: () => inner.close(),
      },
    });
    const error = await shep.async
      .sendAndWaitForDelivery({ serviceId: 'STUCK', data: '<x/>' }, { intervalMs: 1, timeoutMs: 10_000 })
      .catch((e: unknown) => e);
    shep.close();
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', maybeDelivered: true });
    expect((error as Error).message).toContain('was sent');
  });
});
