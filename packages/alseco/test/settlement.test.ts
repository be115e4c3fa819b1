/**
 * A payment whose outcome is unknown is settled from the reconciliation lists, never by sending it
 * again; the mock refuses a SysRef it already registered, so a double payment cannot pass a test.
 */
import { SoapFaultError, type Transport, TransportError } from '@kz/soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlsecoClient, type PaymentRequest } from '../src/index.js';
import { type AlsecoMock, startAlsecoMock } from '../src/testing/index.js';

let mock: AlsecoMock;
beforeAll(async () => {
  mock = await startAlsecoMock();
});
afterAll(() => mock.close());

const pad = (n: number) => String(n).padStart(2, '0');
const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** A payable document of the mock's first account; SysRef unique per test. */
function document(sysRef: string): PaymentRequest {
  const account = mock.state.accounts.values().next().value;
  if (!account) throw new Error('the mock has no accounts');
  return {
    AccountId: account.accountId,
    InvoiceId: account.invoiceId,
    PaymentDate: `${localDay(new Date())}T10:00:00`,
    SysRef: sysRef,
    PaymentParameters: account.services.map((s) => ({
      ServiceId: s.ServiceId as number,
      PayCounts: s.FixCount as string,
      LastCounts: s.LastCount as string,
      PaySum: s.FixSum as string,
    })),
  };
}

/** Delivers the request to the mock, then loses the answer, as a timeout after sending would. */
function losingAnswers(): Transport {
  return {
    async send(request) {
      await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body as string });
      throw new TransportError({ service: 'test', operation: 'lost' }, 'TIMEOUT', 'answer lost', {
        maybeDelivered: true,
      });
    },
  };
}

describe('settlePayment', () => {
  it('a Pay whose answer was lost (maybeDelivered) settles as paid, with the payment id, sent once', async () => {
    const lossy = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC', transport: losingAnswers() });
    const error = await lossy.pay([document('LOST-1')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).maybeDelivered).toBe(true);

    const client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
    const before = mock.calls.filter((c) => c.operation === 'Pay').length;
    const settled = await client.settlePayment('LOST-1', new Date());
    const registered = [...mock.state.payments.values()].find((p) => p.sysRef === 'LOST-1');
    expect(settled).toEqual({
      status: 'paid',
      sysRef: 'LOST-1',
      paymentId: registered?.paymentId,
      paymentIds: [registered?.paymentId],
    });
    expect(mock.calls.filter((c) => c.operation === 'Pay').length).toBe(before);
    expect(
      mock.calls
        .slice(-3)
        .map((c) => c.operation)
        .sort(),
    ).toEqual(['GetNotMovedPays', 'GetNotMovedPays', 'getPaysInfo']);
    client.close();
  });

  it('a payment that never arrived: cannot tell within the grace period, not paid after it', async () => {
    const client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
    const sentAt = new Date();
    const early = await client.settlePayment('NEVER-1', sentAt, { sentAt, graceMs: 60_000, now: () => sentAt });
    expect(early).toEqual({ status: 'unknown', sysRef: 'NEVER-1', askAgainAfter: new Date(sentAt.getTime() + 60_000) });
    const late = await client.settlePayment('NEVER-1', sentAt, {
      sentAt,
      graceMs: 60_000,
      now: () => new Date(sentAt.getTime() + 60_001),
    });
    expect(late).toEqual({ status: 'notPaid', sysRef: 'NEVER-1' });
    // Without the sending time, the whole day (and the grace after it) may still bring it.
    const today = await client.settlePayment('NEVER-1', sentAt);
    expect(today.status).toBe('unknown');
    client.close();
  });

  it('is found on the next day too (a payment registered after midnight)', async () => {
    const client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
    const [outcome] = await client.pay([document('MIDNIGHT-1')]);
    const yesterday = new Date();
    yesterday.setDate(yesterday.getDate() - 1);
    const settled = await client.settlePayment('MIDNIGHT-1', yesterday);
    expect(settled).toMatchObject({ status: 'paid', paymentId: outcome?.ok ? outcome.paymentId : -1 });
    client.close();
  });

  it('checks its input before asking anything', async () => {
    const client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
    const before = mock.calls.length;
    await expect(client.settlePayment('', new Date())).rejects.toMatchObject({ issues: [{ field: 'sysRef' }] });
    await expect(client.settlePayment('X', '2018-02-30')).rejects.toMatchObject({ issues: [{ field: 'day' }] });
    expect(mock.calls.length).toBe(before);
    client.close();
  });
});

describe('the mock refuses a repeated SysRef', () => {
  it('a second Pay or PayD with a registered SysRef is a client fault; nothing more is registered', async () => {
    const client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
    const [first] = await client.pay([document('DUP-1')]);
    expect(first?.ok).toBe(true);
    const count = mock.state.payments.size;
    for (const send of [() => client.pay([document('DUP-1')]), () => client.payD([document('DUP-1')])]) {
      const error = await send().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SoapFaultError);
      expect((error as SoapFaultError).message).toMatch(/Duplicate SysRef "DUP-1".*already registered/);
    }
    expect(mock.state.payments.size).toBe(count);
    client.close();
  });

  it('a request repeating a SysRef within itself registers none of its documents', async () => {
    const client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
    const count = mock.state.payments.size;
    // The generated layer, past the client's own check for repeats within a request.
    const error = await client.operations
      .pay({ paymentDocuments: [document('DUP-2'), document('DUP-2')] })
      .catch((e: unknown) => e);
    expect((error as SoapFaultError).message).toMatch(/Duplicate SysRef "DUP-2" within the request/);
    expect(mock.state.payments.size).toBe(count);
    client.close();
  });

  it('a rolled-back payment frees its SysRef', async () => {
    const client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
    await client.pay([document('DUP-3')]);
    const [rollback] = await client.rollbackPaymentsBySysRef(['DUP-3']);
    expect(rollback?.ok).toBe(true);
    const [again] = await client.pay([document('DUP-3')]);
    expect(again?.ok).toBe(true);
    client.close();
  });
});
