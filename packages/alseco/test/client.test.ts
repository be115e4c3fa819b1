/** The hand-written layer: checks before sending, helpers, and the no-retry rule for money. */
import { SoapServiceCodec, TransportError, ValidationError } from '@kz/soap';
import { startLocalServer } from '@kz/soap/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlsecoClient, invoiceNumberForRequest, invoicePeriod, serviceMeta } from '../src/index.js';
import { type AlsecoMock, startAlsecoMock } from '../src/testing/index.js';

let mock: AlsecoMock;
beforeAll(async () => {
  mock = await startAlsecoMock();
});
afterAll(() => mock.close());

describe('validation before sending', () => {
  it('rejects a bank code that is not four letters, naming the field', () => {
    for (const bankCode of ['ALS', 'ALSC1', '1234', '']) {
      expect(() => createAlsecoClient({ endpoint: mock.endpoint, bankCode })).toThrow(ValidationError);
    }
    try {
      createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'AL5C' });
    } catch (error) {
      expect((error as ValidationError).issues[0]?.field).toBe('bankCode');
    }
  });

  it('rejects bad months, repeated accounts and bad amounts without sending anything', async () => {
    const client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
    const before = mock.calls.length;
    await expect(client.getBillInfoLabels({ year: 2018, month: 13 })).rejects.toMatchObject({
      issues: [{ field: 'month', message: 'must be 1..12' }],
    });
    await expect(client.getInvoicesByAccounts([8888, 8888])).rejects.toMatchObject({
      issues: [{ field: 'accounts[1]', message: expect.stringContaining('repeats') }],
    });
    await expect(
      client.pay([
        {
          AccountId: 8888,
          InvoiceId: '180310088880',
          PaymentDate: '2018-03-26T10:00:00',
          SysRef: 'R1',
          PaymentParameters: [{ ServiceId: 13, PayCounts: '0', LastCounts: '0', PaySum: '-5' }],
        },
      ]),
    ).rejects.toMatchObject({ issues: [{ field: 'paymentDocuments[0].PaymentParameters[0].PaySum' }] });
    await expect(client.getNotMovedPays('2018-02-30')).rejects.toBeInstanceOf(ValidationError);
    expect(mock.calls.length).toBe(before);
    client.close();
  });

  it('the generated layer reports schema violations as field issues', async () => {
    const client = createAlsecoClient({ endpoint: mock.endpoint, bankCode: 'ALSC' });
    const error = await client.operations
      .getPaymentsInfo({ year: 2018.5, month: 3, day: null })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ field: 'year', message: 'expected an integer, got 2018.5' }]);
    client.close();
  });
});

describe('invoice numbers', () => {
  it('drops the printed check digit and reads the period', () => {
    expect(invoiceNumberForRequest('1803101346557')).toBe('180310134655');
    expect(invoiceNumberForRequest(' 2410 0000 12 ')).toBe('241000001');
    expect(invoicePeriod('180310134655')).toEqual({ year: 2018, month: 3 });
    expect(() => invoicePeriod('181310134655')).toThrow(ValidationError);
    expect(() => invoiceNumberForRequest('12a45')).toThrow(ValidationError);
  });
});

describe('retries', () => {
  const codec = new SoapServiceCodec(serviceMeta);

  it('a Pay that times out is sent exactly once, even with retries configured', async () => {
    let received = 0;
    const server = await startLocalServer((req) => {
      received++;
      req.resume(); // read the request, never answer
    });
    const client = createAlsecoClient({
      endpoint: server.url,
      bankCode: 'ALSC',
      timeoutMs: 150,
      retry: { attempts: 5, baseDelayMs: 1 },
    });
    const error = await client
      .pay([
        {
          AccountId: 8888,
          InvoiceId: '180310088880',
          PaymentDate: '2018-03-26T10:00:00',
          SysRef: 'ONCE-1',
          PaymentParameters: [{ ServiceId: 13, PayCounts: '0', LastCounts: '0', PaySum: '10.00' }],
        },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'TIMEOUT', maybeDelivered: true, operation: 'Pay' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toBe(1);
    client.close();
    await server.close();
  });

  it('a safe read is retried on 503 when the caller opts in, and not otherwise', async () => {
    let received = 0;
    const server = await startLocalServer((req, res) => {
      received++;
      req.resume();
      req.on('end', () => {
        if (received % 3 !== 0) {
          res.writeHead(503, { 'content-type': 'text/html' }).end('<html>busy</html>');
          return;
        }
        const body = codec.encodeResponse(
          serviceMeta.operations.GetAccountState!,
          { GetAccountStateResult: 'Active' },
          '1.1',
        );
        res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(body);
      });
    });
    const withRetry = createAlsecoClient({
      endpoint: server.url,
      bankCode: 'ALSC',
      retry: { attempts: 3, baseDelayMs: 1 },
    });
    expect(await withRetry.getAccountState(8888)).toBe('Active');
    expect(received).toBe(3);
    const withoutRetry = createAlsecoClient({ endpoint: server.url, bankCode: 'ALSC' });
    await expect(withoutRetry.getAccountState(8888)).rejects.toMatchObject({ code: 'HTTP_ERROR', status: 503 });
    expect(received).toBe(4);
    withRetry.close();
    withoutRetry.close();
    await server.close();
  });
});
