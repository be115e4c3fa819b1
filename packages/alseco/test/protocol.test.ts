/**
 * Protocol tests on the seed's sample messages (test/fixtures, repairs noted in each file):
 * requests the client builds compare equal to the samples as parsed XML; responses decode to
 * typed values, and re-encoding what was decoded gives the sample back (so no field is lost).
 */
import { SoapServiceCodec } from '@kz/soap';
import { xmlDifference } from '@kz/soap/testing';
import { describe, expect, it } from 'vitest';
import {
  AlsecoPaymentsServiceClient,
  type GetInvoicesByAccountsNewResponse,
  serviceMeta,
} from '../src/generated/index.js';
import { fixture, fixtureNames, operationOf, ReplayTransport, soapVersionOf } from './fixture-support.js';

const codec = new SoapServiceCodec(serviceMeta);
const COMPARE = { ignoreBuiltinXsiType: true };

/** Calls `operation` through the generated client against a canned response. */
async function call(operation: string, input: unknown, response: string, soapVersion: '1.1' | '1.2' = '1.1') {
  const transport = new ReplayTransport(response, 200, soapVersion === '1.2' ? 'application/soap+xml' : 'text/xml');
  const client = new AlsecoPaymentsServiceClient({ endpoint: 'http://127.0.0.1:9/alseco', transport, soapVersion });
  const output = await client.soap.invoke(operation, input);
  return { output, transport };
}

/** The operation's response sample, or an empty response where the seed shows none. */
const emptyResponse = (op: string, version: '1.1' | '1.2' = '1.1') =>
  fixtureNames('response').includes(`${op}.response.xml`)
    ? fixture(`${op}.response.xml`)
    : codec.encodeResponse(serviceMeta.operations[op]!, {}, version);

describe('request samples', () => {
  it.each(fixtureNames('request'))('%s: decoded and rebuilt by the client, equals the sample', async (file) => {
    const sample = fixture(file);
    const version = soapVersionOf(sample);
    const decoded = await codec.decodeRequest(sample);
    expect(decoded.operation.name).toBe(operationOf(file));
    const { transport } = await call(
      operationOf(file),
      decoded.input,
      emptyResponse(operationOf(file), version),
      version,
    );
    // GetPrintedInvoicePDF's sample writes the month as "03": the same xs:int as our "3".
    const options = file.startsWith('GetPrintedInvoicePDF') ? { ...COMPARE, integersByValue: true } : COMPARE;
    expect(xmlDifference(transport.sentXml(), sample, options)).toBeUndefined();
  });

  it('Pay built from typed input equals the sample', async () => {
    const input = {
      paymentDocuments: [
        {
          AccountId: 666777,
          InvoiceId: '5555',
          PaymentDate: '2007-12-04T18:58:03.5381358+06:00',
          SysRef: '1',
          PaymentParameters: [
            { ServiceId: 36, PayCounts: '20', LastCounts: '120', PaySum: '100' },
            { ServiceId: 37, PayCounts: '20', LastCounts: '120', PaySum: '100' },
          ],
        },
      ],
      bankCode: 'ALSC',
    };
    const { transport } = await call('Pay', input, emptyResponse('Pay'));
    expect(xmlDifference(transport.sentXml(), fixture('Pay.request.xml'), COMPARE)).toBeUndefined();
    expect(transport.sent[0]?.headers.soapaction).toBe('"http://www.alseco.kz/AlsecoPaymentsService/Pay"');
  });

  it('GetPaymentsInfo sends a null day as xsi:nil', async () => {
    const { transport } = await call(
      'GetPaymentsInfo',
      { year: 2008, month: 11, day: null, bankCode: 'ALSC' },
      emptyResponse('GetPaymentsInfo'),
    );
    expect(xmlDifference(transport.sentXml(), fixture('GetPaymentsInfo.request.xml'))).toBeUndefined();
  });

  it('GetAccountInfo over SOAP 1.2 carries the action in the content type', async () => {
    const { transport } = await call(
      'GetAccountInfo',
      { accountId: 1, bankCode: 'ALSC' },
      emptyResponse('GetAccountInfo', '1.2'),
      '1.2',
    );
    expect(transport.sent[0]?.headers['content-type']).toContain(
      'action="http://www.alseco.kz/AstanaErcPaymentService/GetAccountInfo"',
    );
    expect(transport.sent[0]?.headers.soapaction).toBeUndefined();
  });
});

describe('response samples', () => {
  it.each(fixtureNames('response'))('%s: decodes, and re-encodes to the sample', async (file) => {
    const sample = fixture(file);
    const version = soapVersionOf(sample);
    const operation = operationOf(file);
    const { output } = await call(operation, requestFor(operation), sample, version);
    const reencoded = codec.encodeResponse(serviceMeta.operations[operation]!, output, version);
    expect(xmlDifference(reencoded, sample)).toBeUndefined();
  });

  it('GetBankPayByMonth keeps PaySum 7865.08 exactly and the payment date as written', async () => {
    const { output } = await call(
      'GetBankPayByMonth',
      requestFor('GetBankPayByMonth'),
      fixture('GetBankPayByMonth.response.xml'),
    );
    const item = (output as { GetBankPayByMonthResult: { list: Record<string, unknown>[] } }).GetBankPayByMonthResult
      .list[0];
    expect(item).toEqual({
      InvoicePaymentId: 4444,
      AccountId: 5555,
      InvoiceId: '6666',
      PaymentReceiveDate: '2018-03-01T00:00:00',
      SysRef: '799398416',
      PaySum: '7865.08',
    });
  });

  it('GetNotMovedPays keeps the 12-digit InvoiceId a string', async () => {
    const { output } = await call(
      'GetNotMovedPays',
      requestFor('GetNotMovedPays'),
      fixture('GetNotMovedPays.response.xml'),
    );
    expect((output as { GetNotMovedPaysResult: unknown[] }).GetNotMovedPaysResult).toEqual([
      {
        InvoicePaymentId: 8366535,
        InvoiceId: '180310134655',
        AccountId: 2429284,
        SysRef: '847076835',
        PaymentDate: '2018-03-25T23:59:00',
        PaySum: '177.31',
        PaymentReceiveDate: '2018-03-26T00:00:00',
      },
      {
        InvoicePaymentId: 8366537,
        InvoiceId: '180310145089',
        AccountId: 1988565,
        SysRef: '847077095',
        PaymentDate: '2018-03-26T00:00:00',
        PaySum: '158.32',
        PaymentReceiveDate: '2018-03-26T00:00:00',
      },
    ]);
  });

  it('GetInvoicesByAccountsNew decodes states, nested invoices and decimals', async () => {
    const { output } = await call(
      'GetInvoicesByAccountsNew',
      requestFor('GetInvoicesByAccountsNew'),
      fixture('GetInvoicesByAccountsNew.response.xml'),
    );
    const results = (output as GetInvoicesByAccountsNewResponse).GetInvoicesByAccountsNewResult ?? [];
    expect(results.map((r) => [r?.InputValue, r?.State])).toEqual([
      [8888, 'Success'],
      [7777444, 'AccountNotFound'],
    ]);
    const invoice = results[0]?.AccountInvoices?.Invoices?.[0];
    expect(invoice?.InvoceId).toBe('9999');
    expect(invoice?.FormedDate).toBe('2007-11-10T11:49:00');
    expect(invoice?.InvoiceParameters?.[0]).toMatchObject({
      ServiceId: 13,
      IsCounterService: true,
      Tariff: '8.090000',
      AvgPaySum: '896.00',
    });
    expect(invoice?.InvoiceParameters?.[1]).toMatchObject({
      ServiceId: 37,
      IsCounterService: false,
      PaySum: '1532.00',
    });
  });

  it('GetPrintedInvoicePDF decodes base64 into the PDF bytes', async () => {
    const { output } = await call(
      'GetPrintedInvoicePDF',
      requestFor('GetPrintedInvoicePDF'),
      fixture('GetPrintedInvoicePDF.response.xml'),
    );
    const pdf = (output as { GetPrintedInvoicePDFResult: Uint8Array }).GetPrintedInvoicePDFResult;
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });

  it('GetAccountState decodes the enumeration', async () => {
    const { output } = await call(
      'GetAccountState',
      requestFor('GetAccountState'),
      fixture('GetAccountState.response.xml'),
    );
    expect(output).toEqual({ GetAccountStateResult: 'NotFound' });
  });
});

/** A valid input for each operation (the response tests only need the call to go out). */
function requestFor(operation: string): unknown {
  const bankCode = 'ALSC';
  const date = '2018-03-26T00:00:00';
  const inputs: Record<string, unknown> = {
    GetBankPayByMonth: { bankCode, year: 2018, month: 3 },
    getPaysInfo: { bankCode, DateBegin: date, DateEnd: date },
    GetPrintedInvoicePDF: { accountId: 3333, year: 2016, month: 3, bankCode },
    GetAccountsWithFormedBill: { bankCode },
    GetBillInfoLabels: { bankCode, year: 2018, month: 12 },
    GetBillInfo: { bankCode, year: 2018, month: 12, labelId: 14 },
    GetInvoicesByAccountsNew: { accounts: [8888], bankCode },
    GetInvoicesByAccountsWithIIN: { accounts: [8888], bankCode },
    Pay: { paymentDocuments: [], bankCode },
    PayD: { paymentDocuments: [], bankCode },
    RollbackPayments: { paymentIds: [4], bankCode },
    RollbackPaymentsBySysRef: { sysRefs: ['4'], bankCode },
    GetPaymentsInfo: { year: 2008, month: 11, day: null, bankCode },
    GetAccountState: { accountId: 6666, bankCode },
    GetAccountInfo: { accountId: 6666, bankCode },
    GetPrintedInvoice: { accountId: 1, bill_id: 1, year: 2018, month: 3, bankCode },
    GetReport108e: { bankCode, dateIn: date },
    GetNotMovedPays: { bankCode, dateIn: date },
    GetBankDayChecks: { bankCode, dateIn: date },
  };
  const input = inputs[operation];
  if (input === undefined) throw new Error(`no request for ${operation}`);
  return input;
}
