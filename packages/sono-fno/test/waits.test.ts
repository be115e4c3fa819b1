/**
 * waitForStatus against the mock gateway: an abort rejects with the family's ABORTED error (never
 * a bare DOMException), and no abort listener piles up on the caller's signal over many polls.
 */
import { getEventListeners } from 'node:events';
import { createShepClient } from '@kz/shep';
import { type ShepMock, startShepMock } from '@kz/shep/testing';
import { createTestIdentity } from '@kz/signing/testing';
import { TransportError } from '@kz/soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSonoFnoClient } from '../src/index.js';
import { registerSonoFnoService } from '../src/testing/index.js';

const organisation = createTestIdentity({ commonName: 'ACCOUNTING FIRM' });
const taxpayer = createTestIdentity({ commonName: 'TAXPAYER', serialNumber: 'IIN880101300123' });
let gateway: ShepMock;
beforeAll(async () => {
  gateway = await startShepMock({ senders: { acc_firm: { certificates: [organisation.certificatePem] } } });
  // Never final: the form stays in processing.
  registerSonoFnoService(gateway, { path: () => ['SENT', 'PROCESSING_ON_SERVER'] });
});
afterAll(() => gateway.close());

const form = {
  iinBin: '880101300123',
  taxPeriod: { year: '2024', halfYear: 2 as const },
  form: {
    code: '910.00',
    version: '27',
    forms: [{ name: 'form_910_00', sheets: [{ name: 'page_910_00_01', fields: { iin: '880101300123' } }] }],
  },
};

describe('aborting waitForStatus', () => {
  it('ABORTED, not a DOMException; at most one listener on the signal however many polls', {
    timeout: 60_000,
  }, async () => {
    const shep = createShepClient({
      endpoint: gateway.endpoints,
      senderId: 'acc_firm',
      signer: organisation.signer,
      verify: { trustedCertificates: [gateway.certificate] },
    });
    const client = createSonoFnoClient({ shep, taxpayerSigner: taxpayer.signer });
    const submitted = await client.submitForm(form);
    const controller = new AbortController();
    let mostListeners = 0;
    const sampler = setInterval(() => {
      mostListeners = Math.max(mostListeners, getEventListeners(controller.signal, 'abort').length);
    }, 1);
    setTimeout(() => controller.abort(), 1_500);
    const error = await client
      .waitForStatus(submitted.registrationNumber, { intervalMs: 1, timeoutMs: 60_000, signal: controller.signal })
      .catch((e: unknown) => e);
    clearInterval(sampler);
    shep.close();
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(mostListeners).toBeLessThanOrEqual(2);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an abort during the pause ends the wait at once', { timeout: 20_000 }, async () => {
    const shep = createShepClient({
      endpoint: gateway.endpoints,
      senderId: 'acc_firm',
      signer: organisation.signer,
      verify: { trustedCertificates: [gateway.certificate] },
    });
    const client = createSonoFnoClient({ shep, taxpayerSigner: taxpayer.signer });
    const submitted = await client.submitForm(form);
    const controller = new AbortController();
    const started = Date.now();
    const error = await client
      .waitForStatus(submitted.registrationNumber, {
        intervalMs: 60_000,
        timeoutMs: 120_000,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      })
      .catch((e: unknown) => e);
    shep.close();
    expect(error).toBeInstanceOf(TransportError);
    // Nothing of a status wait changes state.
    expect(error).toMatchObject({ code: 'ABORTED', maybeDelivered: false });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
