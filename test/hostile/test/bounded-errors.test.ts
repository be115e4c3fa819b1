/**
 * Every error class the packages define, built from 10-million-character values a hostile peer
 * controls (status messages, fault descriptions, error_message, order statuses): message, stack
 * and every field stay bounded, cut with a visible marker. The bound lives in KzError, so the
 * subclasses' own fields (parameter properties, assignments after super) are covered too.
 */
import { inspect } from 'node:util';
import { AlsecoServiceError } from '@kz/alseco';
import { EsfBusinessError } from '@kz/esf';
import { ShepDeliveryError, ShepFaultError, ShepReceiverFault } from '@kz/shep';
import { CertificateError, SigningKeyError } from '@kz/signing';
import { MAX_ERROR_MESSAGE, MAX_ERROR_TEXT, SoapFaultError, WaitTimeoutError } from '@kz/soap';
import { CisesOrderError, TrueApiError, ZipFormatError } from '@kz/true-api';
import { describe, expect, it } from 'vitest';

const HUGE = 'x'.repeat(10_000_000);
const context = { service: 'Service', operation: 'operation' };
const fault = new SoapFaultError(context, { faultCode: 'soap:Server', reason: HUGE, detail: HUGE }, 500);

const errors: [string, () => Error][] = [
  ['AlsecoServiceError', () => new AlsecoServiceError('Pay', HUGE)],
  ['EsfBusinessError', () => new EsfBusinessError(fault, 'BUSINESS', HUGE)],
  ['ShepFaultError', () => new ShepFaultError(fault)],
  ['ShepDeliveryError', () => new ShepDeliveryError(context, 'NOT_DELIVERED', HUGE)],
  ['ShepReceiverFault', () => new ShepReceiverFault(HUGE, HUGE, HUGE)],
  [
    'WaitTimeoutError',
    () =>
      new WaitTimeoutError(context, HUGE, { resume: { messageId: HUGE }, last: { statusMessage: HUGE }, timeoutMs: 1 }),
  ],
  ['SigningKeyError', () => new SigningKeyError(HUGE)],
  ['CertificateError', () => new CertificateError('MALFORMED', HUGE)],
  ['ZipFormatError', () => new ZipFormatError(HUGE)],
  ['TrueApiError', () => new TrueApiError(context, 500, HUGE, HUGE)],
  ['CisesOrderError', () => new CisesOrderError(HUGE, HUGE, HUGE)],
];

function strings(value: unknown, depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (!value || typeof value !== 'object' || depth > 5) return [];
  return Object.values(value).flatMap((v) => strings(v, depth + 1));
}

describe('errors of every package are bounded', () => {
  it.each(errors)('%s', (_name, build) => {
    const error = build();
    expect(error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE);
    expect(error.message).toMatch(/…\[cut \d+ chars\]/);
    for (const text of strings({ ...error })) expect(text.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
    expect(String(error.stack).length).toBeLessThan(MAX_ERROR_MESSAGE + 4096);
    expect(inspect(error, { depth: 8 }).length).toBeLessThan(512 * 1024);
  });
});
