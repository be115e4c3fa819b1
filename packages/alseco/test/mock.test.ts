/**
 * Round trips over real HTTP against @kz/alseco/testing: all 24 operations, the stateful
 * payment life cycle, faults for malformed or unknown-bank requests, and both SOAP versions.
 */
import { SoapFaultError } from '@kz/soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlsecoClient, createAlsecoClient, serviceMeta } from '../src/index.js';
import { type AlsecoMock, startAlsecoMock } from '../src/testing/index.js';

let mock: AlsecoMock;
let client: AlsecoClient;
const today = new Date();
const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
const period = { year: 2018, month: 3 };

beforeAll(async () => {
  mock = await startAlsecoMock();
  client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
});
afterAll(async () => {
  client.close();
  await mock.close();
});

const payment = (sysRef: string, accountId = 2429284, invoiceId = '180310134655') => ({
  AccountId: accountId,
  InvoiceId: invoiceId,
  PaymentDate: `${day}T10:15:00+05:00`,
  SysRef: sysRef,
  PaymentParameters: [
    { ServiceId: 13, PayCounts: '0', LastCounts: '0', PaySum: '100.10' },
    { ServiceId: 37, PayCounts: '15', LastCounts: '610', PaySum: '77.21' },
  ],
});

describe('every operation round-trips over HTTP', () => {
  it('declares 24 operations', () => {
    expect(Object.keys(serviceMeta.operations)).toHaveLength(24);
  });

  it('reads: period, invoices (3 families x 2 keys), account, bills, prints', async () => {
    expect(await client.getCurrentPeriod()).toEqual(period);
    const lookups = await client.getInvoicesByAccounts([8888, 100110, 4444, 3333, 7777444]);
    expect(lookups.map((l) => l.state)).toEqual([
      'Success',
      'InvoicesNotFormed',
      'AccountIsDeleted',
      'AccountIsMerged',
      'AccountNotFound',
    ]);
    const first = lookups[0];
    if (!first?.ok) throw new Error('expected a successful lookup');
    expect(first.account.Invoices?.[0]?.InvoceId).toBe('180310088880');
    const withIin = await client.getInvoicesByAccounts([8888], 'withIIN');
    expect(withIin[0]?.ok && withIin[0].account.IIN).toBe('660523302303');
    const lastVers = await client.getInvoicesByAccountsLastVers([8888]);
    expect(lastVers[0]?.ok && lastVers[0].account.ConsumerName).toBe('Плательщик А.');
    const byInvoice = await client.getInvoicesByInvoices(['180310134655', '999']);
    expect(byInvoice.map((l) => [l.input, l.state])).toEqual([
      ['180310134655', 'Success'],
      ['999', 'InvoiceNotFound'],
    ]);
    expect((await client.getInvoicesByInvoices(['180310134655'], 'withIIN'))[0]?.ok).toBe(true);
    expect((await client.getInvoicesByInvoicesLastVers(['180310134655']))[0]?.ok).toBe(true);
    expect(await client.getAccountState(4444)).toBe('Deleted');
    expect(await client.getAccountState(123)).toBe('NotFound');
    expect(await client.getAccountInfo(8888)).toMatchObject({ Square: '44.00', QuantityPeople: 1 });
    expect(await client.getBillInfoLabels(period)).toEqual([1, 2]);
    expect((await client.getBillInfo(period, 2)).map((b) => b.invoiceId)).toEqual(['180310134655', '180310145089']);
    await expect(client.getBillInfo({ year: 2030, month: 1 }, 1)).rejects.toThrow(/Месяц позже текущего/);
    const pdf = await client.getPrintedInvoicePdf(8888, period);
    expect(
      Buffer.from(pdf ?? [])
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    const gif = await client.getPrintedInvoiceImage(8888, 1, period);
    expect(
      Buffer.from(gif ?? [])
        .subarray(0, 3)
        .toString('latin1'),
    ).toBe('GIF');
    expect(await client.getAccountsWithFormedBill()).toEqual([8888, 2429284, 1988565]);
    expect(await client.getAccountsWithFormedBill()).toEqual([]);
  });

  it('payments: Pay -> visible -> rollback -> PaymentNotFound; PayD -> confirm day -> PaymentProcessed', async () => {
    const [paid] = await client.pay([payment('SYS-1')]);
    if (!paid?.ok) throw new Error(`payment failed: ${paid?.state}`);
    expect(paid.paymentId).toBeGreaterThan(0);
    const notMoved = await client.getNotMovedPays(day);
    expect(notMoved).toContainEqual(
      expect.objectContaining({ InvoicePaymentId: paid.paymentId, PaySum: '177.31', InvoiceId: '180310134655' }),
    );
    const [year, month, dayOfMonth] = day.split('-').map(Number) as [number, number, number];
    expect(await client.getPaymentsInfo({ year, month, day: dayOfMonth })).toContainEqual({
      PaymentId: paid.paymentId,
      SysRef: 'SYS-1',
    });
    expect((await client.getBankPayByMonth({ year, month }))?.list).toHaveLength(1);
    expect(await client.getPaysInfo(day, day)).toHaveLength(1);
    expect((await client.getReport108e(day))[0]?.SUMP).toBe('177.31');

    expect(await client.rollbackPayments([paid.paymentId])).toEqual([
      { ok: true, result: 'Success', paymentId: paid.paymentId },
    ]);
    expect(await client.rollbackPayments([paid.paymentId])).toEqual([
      { ok: false, result: 'PaymentNotFound', paymentId: paid.paymentId },
    ]);
    expect(await client.getNotMovedPays(day)).toEqual([]);

    const [paidD] = await client.payD([payment('SYS-2', 1988565, '180310145089')]);
    if (!paidD?.ok) throw new Error('PayD failed');
    expect(paidD.acceptedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const checks = await client.confirmBankDay(day);
    expect(checks).toEqual([{ BankCode: 'ALSC', PaymentDate: `${day}T00:00:00`, CheckedSign: true }]);
    expect(await client.getNotMovedPays(day)).toEqual([]);
    expect(await client.rollbackPaymentsBySysRef(['SYS-2'])).toEqual([
      { ok: false, result: 'PaymentProcessed', paymentId: 'SYS-2' },
    ]);
  });

  it('a payment against the wrong invoice is an InvoiceNotFound outcome, not a success', async () => {
    const [outcome] = await client.pay([payment('SYS-3', 8888, '180310134655')]);
    expect(outcome).toEqual({ ok: false, state: 'InvoiceNotFound', invoiceId: '180310134655' });
  });

  it('SOAP 1.2 works end to end', async () => {
    const soap12 = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC', soapVersion: '1.2' });
    expect(await soap12.getAccountState(8888)).toBe('Active');
    soap12.close();
  });

  it('an unknown bank gets the service fault as a typed SoapFaultError', async () => {
    const other = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ZZZZ' });
    const error = await other.getCurrentPeriod().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFaultError);
    expect(error).toMatchObject({
      faultCode: 'soap:Client',
      reason: expect.stringContaining('Не найден банк'),
      operation: 'GetCurrentPeriod',
    });
    other.close();
  });

  it('a malformed request gets a SOAP fault from the mock', async () => {
    const response = await fetch(mock.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Pay',
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/<faultcode>soap:Client<\/faultcode><faultstring>malformed request/);
  });
});
