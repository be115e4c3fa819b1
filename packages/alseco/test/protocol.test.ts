/**
 * Protocol tests on the seed's sample messages, as printed (test/fixtures; seed-samples.json says
 * where each comes from and what, if anything, was repaired): requests the client builds compare
 * equal to the samples as parsed XML; responses decode to typed values, and re-encoding what was
 * decoded gives the sample back (so no field is lost). The Russian annotations the document prints
 * after values (`<AccountId>5555</AccountId> - целое`) are documentation, compared as such.
 */
import { readdirSync } from 'node:fs';
import { DecodeError, SoapFaultResponse, SoapServiceCodec } from '@kz/soap';
import { type SeedSample, sampleStarts, seedDrift, xmlDifference } from '@kz/soap/testing';
import { describe, expect, it } from 'vitest';
import {
  AlsecoPaymentsServiceClient,
  createAlsecoClient,
  type GetInvoicesByAccountsNewResponse,
  serviceMeta,
} from '../src/index.js';
import { FIXTURES, fixture, fixtureNames, operationOf, ReplayTransport, soapVersionOf } from './fixture-support.js';

const codec = new SoapServiceCodec(serviceMeta);
const SEED = '004_fbf8a2f1362747d8.txt';
const samples = JSON.parse(fixture('seed-samples.json')) as SeedSample[];
const COMPARE = { ignoreBuiltinXsiType: true, ignoreTextBesideElements: true };

/**
 * Samples that print placeholders instead of values (`?`, `int`, `decimal`, `JVB…=`): each is a
 * typed error of its own below, and its values are filled in (in the test, not the fixture) for
 * the shape comparison.
 */
const PLACEHOLDERS: Record<string, [string, string][]> = {
  'getPaysInfo.request.xml': [
    ['<als:bankCode>?</als:bankCode>', '<als:bankCode>ALSC</als:bankCode>'],
    ['<als:DateBegin>?</als:DateBegin>', '<als:DateBegin>2017-04-01T00:00:00</als:DateBegin>'],
    ['<als:DateEnd>?</als:DateEnd>', '<als:DateEnd>2017-04-30T00:00:00</als:DateEnd>'],
  ],
  'GetAccountInfo.request.xml': [
    ['<accountId>int</accountId>', '<accountId>2429284</accountId>'],
    ['<bankCode>string</bankCode>', '<bankCode>ALSC</bankCode>'],
  ],
  'GetAccountInfo.response.xml': [
    ['<Square>decimal</Square>', '<Square>44.00</Square>'],
    ['<QuantityPeople>int</QuantityPeople>', '<QuantityPeople>1</QuantityPeople>'],
  ],
  'GetPrintedInvoice.request.xml': [
    ['<accountId>int</accountId>', '<accountId>2429284</accountId>'],
    ['<bill_id>int</bill_id>', '<bill_id>5512377</bill_id>'],
    ['<year>int</year>', '<year>2018</year>'],
    ['<month>int</month>', '<month>3</month>'],
    ['<bankCode>string</bankCode>', '<bankCode>ALSC</bankCode>'],
  ],
  'GetPrintedInvoicePDF.response.xml': [['JVB…=', 'JVBERi0xLjQK']],
};

function filled(file: string): string {
  let text = fixture(file);
  for (const [placeholder, value] of PLACEHOLDERS[file] ?? []) {
    expect(text).toContain(placeholder);
    text = text.replace(placeholder, value);
  }
  return text;
}

/** Names the spec reads besides its own (kz:alsoAccept): the round trip writes ours. */
const ALIASES: Record<string, [string, string][]> = {
  'PayD.response.xml': [
    ['PayResponse', 'PayDResponse'],
    ['PayResult', 'PayDResult'],
  ],
  'GetInvoicesByAccountsNew.response.xml': [['GetInvoicesByAccountsResultNew', 'GetInvoicesByAccountsNewResult']],
};

function withOurNames(file: string, text: string): string {
  let out = text;
  for (const [theirs, ours] of ALIASES[file] ?? []) {
    out = out.replace(new RegExp(`<(/?)${theirs}(?=[\\s/>])`, 'g'), `<$1${ours}`);
  }
  return out;
}

/** Calls `operation` through the generated client against a canned response. */
async function call(operation: string, input: unknown, response: string, soapVersion: '1.1' | '1.2' = '1.1') {
  const transport = new ReplayTransport(response, 200, soapVersion === '1.2' ? 'application/soap+xml' : 'text/xml');
  const client = new AlsecoPaymentsServiceClient({
    endpoint: 'http://127.0.0.1:9/alseco',
    transport,
    soapVersion,
    bound: { bankCode: 'ALSC' },
  });
  const output = await client.soap.invoke(operation, input);
  return { output, transport };
}

/** The operation's response sample (placeholders filled), or an empty response where the seed shows none. */
const emptyResponse = (op: string, version: '1.1' | '1.2' = '1.1') =>
  fixtureNames('response').includes(`${op}.response.xml`)
    ? filled(`${op}.response.xml`)
    : codec.encodeResponse(serviceMeta.operations[op]!, {}, version);

describe('the fixtures are the seed samples as printed', () => {
  it.each(samples.map((s) => [s.fixture, s] as const))('%s', (_, sample) => {
    expect(seedDrift(sample, fixture(sample.fixture))).toBeUndefined();
  });

  it('every XML sample of the seed has its fixture, and every fixture is a seed sample', () => {
    const firstLines = new Set(samples.map((s) => s.lines[0]));
    expect(sampleStarts(SEED).filter((line) => !firstLines.has(line))).toEqual([]);
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));
    expect(files.sort()).toEqual(samples.map((s) => s.fixture).sort());
  });

  it('a changed fixture is caught', () => {
    const sample = samples.find((s) => s.fixture === 'Pay.response.xml') as SeedSample;
    expect(seedDrift(sample, fixture('Pay.response.xml').replace('6666', '6667'))).toMatch(/differs/);
    expect(seedDrift(sample, fixture('Pay.response.xml').replace('<PaymentId>26', '<PaymentId>2\n6'))).toMatch(
      /breaks a line/,
    );
  });
});

describe('request samples', () => {
  it.each(fixtureNames('request'))('%s: decoded and rebuilt by the client, equals the sample', async (file) => {
    const sample = filled(file);
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

  it.each([
    ['getPaysInfo.request.xml', /DateBegin.*"\?" is not an xs:dateTime|"\?" is not an xs:dateTime.*DateBegin/],
    ['GetAccountInfo.request.xml', /"int" is not an integer.*accountId/],
    ['GetPrintedInvoice.request.xml', /"int" is not an integer.*accountId/],
  ])('%s as printed carries placeholders: a typed client fault naming the field', async (file, message) => {
    const error = await codec.decodeRequest(fixture(file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoapFaultResponse);
    expect((error as SoapFaultResponse).side).toBe('client');
    expect((error as Error).message).toMatch(message);
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
    const sample = filled(file);
    const version = soapVersionOf(sample);
    const operation = operationOf(file);
    const { output } = await call(operation, requestFor(operation), sample, version);
    const reencoded = codec.encodeResponse(serviceMeta.operations[operation]!, output, version);
    expect(xmlDifference(reencoded, withOurNames(file, sample), COMPARE)).toBeUndefined();
  });

  it.each([
    ['GetPrintedInvoicePDF.response.xml', /content is not base64/],
    ['GetAccountInfo.response.xml', /"decimal" is not a decimal/],
  ])('%s as printed carries placeholders: a DecodeError naming the field', async (file, message) => {
    const operation = operationOf(file);
    const error = await call(operation, requestFor(operation), fixture(file), soapVersionOf(fixture(file))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).message).toMatch(message);
    expect((error as DecodeError).path).toMatch(new RegExp(`${operation}Result`));
  });

  it('GetPrintedInvoice as printed ("base64Binary") is valid base64 but not a GIF: a DecodeError', async () => {
    const client = createAlsecoClient({
      endpoint: 'http://127.0.0.1:9/alseco',
      bankCode: 'ALSC',
      transport: new ReplayTransport(fixture('GetPrintedInvoice.response.xml')),
    });
    const error = await client.getPrintedInvoiceImage(2429284, 5512377, { year: 2018, month: 3 }).catch((e) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).message).toMatch(/is not a GIF image/);
  });

  it('GetPrintedInvoicePDF: the document says PDF; other bytes are a DecodeError, a PDF passes', async () => {
    const pdf = (body: string) =>
      createAlsecoClient({
        endpoint: 'http://127.0.0.1:9/alseco',
        bankCode: 'ALSC',
        transport: new ReplayTransport(body),
      }).getPrintedInvoicePdf(3333, { year: 2016, month: 3 });
    const bytes = await pdf(filled('GetPrintedInvoicePDF.response.xml'));
    expect(Buffer.from(bytes ?? []).toString('latin1')).toBe('%PDF-1.4\n');
    const gif = fixture('GetPrintedInvoicePDF.response.xml').replace('JVB…=', 'R0lGODlhAQABAAAAACw=');
    await expect(pdf(gif)).rejects.toThrow(/is not a PDF file/);
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
      // The seed annotates each field in prose inside the record: kept as unknown text, not dropped.
      $unknown: expect.any(Array),
    });
    const notes = ((item?.$unknown ?? []) as { $xml: string }[]).map((u) => u.$xml.trim());
    expect(notes).toEqual([
      '- целое (код платежа)',
      '- целое (номер лицевого счета)',
      '- строка (номер электронного счета)',
      '-дата, время платежа',
      '- строка (референс)',
      '- десятичное (сумма по электронному счету)',
    ]);
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

  it('GetInvoicesByAccountsNew (as printed: <GetInvoicesByAccountsResultNew>) decodes states, invoices, decimals', async () => {
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
    const account = results[0]?.AccountInvoices;
    expect(account?.IIN).toBe('660523302303');
    const invoice = account?.Invoices?.[0];
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
      // The page wrap of the printed text is kept, as printed.
      ExpireDateInfo: 'Тґлеу мерзімі 30.11.2007 ж. дейін.Срок оплаты до\n30.11.2007г.',
      PaySum: '1532.00',
    });
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

describe('PayD: the sample as printed and the ASMX form both decode into its result', () => {
  const document = {
    AccountId: 666777,
    InvoiceId: '888555',
    PaymentDate: '2016-01-15T10:58:00',
    SysRef: 'R-1',
    PaymentParameters: [{ ServiceId: 36, PayCounts: '20', LastCounts: '120', PaySum: '100' }],
  };
  const payD = (response: string) =>
    createAlsecoClient({
      endpoint: 'http://127.0.0.1:9/alseco',
      bankCode: 'ALSC',
      transport: new ReplayTransport(response),
    }).payD([document]);
  const expected = [
    { ok: true, state: 'Success', invoiceId: '888555', paymentId: 26, acceptedAt: '2016-01-15T10:59:00' },
  ];

  it('PayResponse/PayResult with ResultPaymentInvoiceD items (the seed, exactly as printed)', async () => {
    expect(fixture('PayD.response.xml')).toContain('<PayResponse ');
    expect(await payD(fixture('PayD.response.xml'))).toEqual(expected);
  });

  it('PayDResponse/PayDResult (ASMX naming)', async () => {
    expect(await payD(withOurNames('PayD.response.xml', fixture('PayD.response.xml')))).toEqual(expected);
  });

  // Pay's <ResultPaymentInvoice> items are unknown to PayD's result: never an empty success.
  it("Pay's sample fed to PayD is not read as an empty result", async () => {
    const error = await payD(fixture('Pay.response.xml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
  });
});

describe('LastVers and ByInvoices read the names the document implies alongside ours', () => {
  /** The seed's one e-invoice response, re-wrapped for another method (its items as printed). */
  const rewrapped = (method: string, result: string) =>
    fixture('GetInvoicesByAccountsNew.response.xml')
      .replaceAll('GetInvoicesByAccountsNewResponse', `${method}Response`)
      .replaceAll('GetInvoicesByAccountsResultNew', result);

  it.each([
    ['GetInvoicesByAccountsLastVers', 'GetInvoicesByAccountsResultLastVers'],
    ['GetInvoicesByAccountsLastVers', 'GetInvoicesByAccountsLastVersResult'],
    ['GetInvoicesByAccountsWithIIN', 'GetInvoicesByAccountsResultWithIIN'],
  ])('%s answering with <%s> and the sample items', async (method, result) => {
    const client = createAlsecoClient({
      endpoint: 'http://127.0.0.1:9/alseco',
      bankCode: 'ALSC',
      transport: new ReplayTransport(rewrapped(method, result)),
    });
    const lookups =
      method === 'GetInvoicesByAccountsLastVers'
        ? await client.getInvoicesByAccountsLastVers([8888, 7777444])
        : await client.getInvoicesByAccounts([8888, 7777444], 'withIIN');
    expect(lookups.map((l) => [l.input, l.state])).toEqual([
      [8888, 'Success'],
      [7777444, 'AccountNotFound'],
    ]);
    const first = lookups[0];
    if (!first?.ok) throw new Error('expected a found account');
    expect(first.account.IIN).toBe('660523302303');
    const invoice = first.account.Invoices?.[0];
    expect(invoice?.InvoceId).toBe('9999');
    expect(invoice?.InvoiceParameters?.map((p) => p?.ServiceId)).toEqual([13, 37]);
  });

  it.each([
    ['GetInvoicesByInvoicesNew', 'GetInvoicesByInvoicesResultNew', 'new'],
    ['GetInvoicesByInvoicesWithIIN', 'GetInvoicesByInvoicesWithIINResult', 'withIIN'],
    ['GetInvoicesByInvoicesLastVers', 'GetInvoicesByInvoicesResultLastVers', 'lastVers'],
  ] as const)('%s answering with <%s> and ResultAccountInvoicesOfInt32 items', async (method, result, variant) => {
    const client = createAlsecoClient({
      endpoint: 'http://127.0.0.1:9/alseco',
      bankCode: 'ALSC',
      transport: new ReplayTransport(rewrapped(method, result)),
    });
    const lookups =
      variant === 'lastVers'
        ? await client.getInvoicesByInvoicesLastVers(['8888', '7777444'])
        : await client.getInvoicesByInvoices(['8888', '7777444'], variant);
    expect(lookups.map((l) => [l.input, l.state])).toEqual([
      ['8888', 'Success'],
      ['7777444', 'AccountNotFound'],
    ]);
    const first = lookups[0];
    expect(first?.ok && first.account.Invoices?.[0]?.InvoceId).toBe('9999');
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
