/**
 * Corrected (FIXED_INVOICE) and additional (ADDITIONAL_INVOICE) invoices built from a registered
 * invoice as the queries return it (ESF API v2 §3.3.2, §3.3.4 RelatedInvoice, §3.3.11): the link on
 * the wire with the schema's element names, what is copied and what is the caller's, the refusals
 * the contract's error codes describe, and a correction sent end to end through the mock.
 */
import { createTestIdentity } from '@kz/signing/testing';
import { ValidationError } from '@kz/soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdditionalInvoiceChanges,
  additionalInvoiceFrom,
  buildInvoiceBody,
  createEsfClient,
  type EsfClient,
  type EsfSession,
  type FixedInvoiceChanges,
  fixedInvoiceFrom,
  type InvoiceV2Input,
  parseInvoiceBody,
  type RegisteredInvoice,
} from '../src/index.js';
import {
  type EsfMock,
  SEED_USER_LOGIN,
  SEED_USER_PASSWORD,
  sampleInvoice,
  startEsfMock,
} from '../src/testing/index.js';

const SELLER = '123456789021';
const BUYER = '753159846249';
const REGISTRATION = 'ESF-123456789021-20240115-00008011';

/** The sample invoice with a second line (so totals are sums), dated 15.01.2024, num 1001. */
function originalInput(): InvoiceV2Input {
  const input = sampleInvoice({ sellerTin: SELLER, customerTin: BUYER, num: '1001', date: '15.01.2024' });
  const [first] = input.productSet.products;
  return {
    ...input,
    productSet: {
      ...input.productSet,
      products: [
        first!,
        {
          ...first!,
          catalogTruId: '2',
          description: 'Сопровождение',
          quantity: '1.5',
          unitPrice: '100.1',
          priceWithoutTax: '150.15',
          ndsAmount: '18.02',
          priceWithTax: '168.17',
          turnoverSize: '150.15',
        },
      ],
      totalPriceWithoutTax: '600150.15',
      totalNdsAmount: '72018.02',
      totalPriceWithTax: '672168.17',
      totalTurnoverSize: '600150.15',
    },
  };
}

/** As queryInvoiceById returns it once registered. */
function registered(overrides: Partial<RegisteredInvoice> = {}, input = originalInput()): RegisteredInvoice {
  return {
    invoiceBody: buildInvoiceBody(input),
    registrationNumber: REGISTRATION,
    invoiceStatus: 'DELIVERED',
    ...overrides,
  };
}

const LINK = { date: '15.01.2024', num: '1001', registrationNumber: REGISTRATION };

/** The issues of the ValidationError `build` throws (fails the test when it returns). */
function refusal(build: () => unknown): { field: string; message: string }[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...(error as ValidationError).issues];
  }
  throw new Error('expected a ValidationError');
}

describe('fixedInvoiceFrom', () => {
  it('links the original, copies its content, applies the changes, and encodes with relatedInvoice', () => {
    const original = registered();
    const fixed = fixedInvoiceFrom(original, {
      num: '1002',
      date: '20.01.2024',
      addInf: 'Исправлен адрес покупателя',
      customers: [
        { tin: BUYER, name: 'ТОО «Тестовый покупатель»', address: 'г. Алматы, пр. Абая, 10', countryCode: 'KZ' },
      ],
    });
    expect(fixed.invoiceType).toBe('FIXED_INVOICE');
    expect(fixed.relatedInvoice).toEqual(LINK);
    expect(fixed.num).toBe('1002');
    expect(fixed.date).toBe('20.01.2024');
    // Copied from the original: turnover date (GUESS), sellers, products and totals.
    expect(fixed.turnoverDate).toBe('15.01.2024');
    const parsedOriginal = parseInvoiceBody(original.invoiceBody);
    expect(fixed.sellers).toEqual(parsedOriginal.sellers);
    expect(fixed.productSet).toEqual(parsedOriginal.productSet);
    expect(fixed.customers[0]?.address).toBe('г. Алматы, пр. Абая, 10');

    const body = buildInvoiceBody(fixed);
    // Schema order (FACTS.md fact 15): date, invoiceType, num, operatorFullname, relatedInvoice, turnoverDate.
    expect(body).toContain(
      '<date>20.01.2024</date><invoiceType>FIXED_INVOICE</invoiceType><num>1002</num>' +
        '<operatorFullname>Тестов Тест Тестович</operatorFullname>' +
        `<relatedInvoice><date>15.01.2024</date><num>1001</num><registrationNumber>${REGISTRATION}</registrationNumber></relatedInvoice>` +
        '<turnoverDate>15.01.2024</turnoverDate>',
    );
    const back = parseInvoiceBody(body);
    expect(back.relatedInvoice).toEqual(LINK);
    expect(back.addInf).toBe('Исправлен адрес покупателя');
  });

  it('takes a Date for its own date and a new turnover date when given', () => {
    const fixed = fixedInvoiceFrom(registered(), {
      num: '1001',
      date: new Date('2024-01-20T10:00:00+06:00'),
      turnoverDate: '16.01.2024',
    });
    const back = parseInvoiceBody(buildInvoiceBody(fixed));
    expect(back.date).toBe('20.01.2024');
    expect(back.turnoverDate).toBe('16.01.2024');
    expect(back.num).toBe('1001');
  });

  it('does not carry the original’s paper-issue fields', () => {
    const input = { ...originalInput(), datePaper: '14.01.2024', reasonPaper: 'DOWN_TIME' as const };
    const fixed = fixedInvoiceFrom(registered({}, input), { num: '1002', date: '20.01.2024' });
    expect('datePaper' in fixed).toBe(false);
    expect('reasonPaper' in fixed).toBe(false);
  });

  it('refuses an original that is not registered', () => {
    expect(
      refusal(() => fixedInvoiceFrom(registered({ registrationNumber: undefined }), { num: '2', date: '20.01.2024' })),
    ).toEqual([{ field: 'original.registrationNumber', message: expect.stringContaining('not registered') }]);
    expect(
      refusal(() => fixedInvoiceFrom(registered({ registrationNumber: '  ' }), { num: '2', date: '20.01.2024' })),
    ).toEqual([{ field: 'original.registrationNumber', message: expect.stringContaining('missing') }]);
    for (const status of ['IN_QUEUE', 'IN_PROCESSING', 'FAILED', 'DECLINED', 'DRAFT', 'DELETED']) {
      const issues = refusal(() =>
        fixedInvoiceFrom(registered({ invoiceStatus: status, registrationNumber: undefined }), {
          num: '2',
          date: '20.01.2024',
        }),
      );
      expect(issues).toEqual([{ field: 'original.invoiceStatus', message: expect.stringContaining(status) }]);
    }
  });

  it('refuses a body that is not an invoice', () => {
    const issues = refusal(() =>
      fixedInvoiceFrom(registered({ invoiceBody: '<v2:invoice xmlns:v2="v2.esf"><num>1</num>' }), {
        num: '2',
        date: '20.01.2024',
      }),
    );
    expect(issues.map((i) => i.field)).toEqual(['original.invoiceBody']);
  });

  it('refuses the original’s num and date (as a string or a Date of the same day in Kazakhstan)', () => {
    for (const date of ['15.01.2024', new Date('2024-01-14T20:00:00Z')]) {
      const issues = refusal(() => fixedInvoiceFrom(registered(), { num: '1001', date }));
      expect(issues).toEqual([{ field: 'num', message: expect.stringContaining('NOT_UNIQUE_NUMBER_AND_DATE') }]);
    }
  });

  it('refuses other sellers, customers or VAT type than the original’s', () => {
    const input = originalInput();
    const issues = refusal(() =>
      fixedInvoiceFrom(registered(), {
        num: '1002',
        date: '20.01.2024',
        sellers: [{ ...input.sellers[0]!, tin: '111111111111' }],
        customers: [],
        productSet: { ...input.productSet, ndsRateType: 'WITHOUT_NDS_NOT_KZ' },
      }),
    );
    expect(issues.map((i) => i.field)).toEqual(['sellers', 'customers', 'productSet.ndsRateType']);
    expect(issues[0]?.message).toContain('MAIN_AND_FIXED_INVOICES_SELLERS_NOT_EQUALS');
  });

  it('lists every problem at once', () => {
    const issues = refusal(() =>
      fixedInvoiceFrom(registered(), { num: '', date: undefined } as unknown as FixedInvoiceChanges),
    );
    expect(issues.map((i) => i.field)).toEqual(['num', 'date']);
  });

  it('requires its own num and date in the type', () => {
    // @ts-expect-error: num is the caller's
    expect(() => fixedInvoiceFrom(registered(), { date: '20.01.2024' })).toThrow(ValidationError);
    // @ts-expect-error: date is the caller's
    expect(() => fixedInvoiceFrom(registered(), { num: '1002' })).toThrow(ValidationError);
  });
});

describe('additionalInvoiceFrom', () => {
  const changes = (lines: AdditionalInvoiceChanges['lines']): AdditionalInvoiceChanges => ({
    num: '1003',
    date: '01.02.2024',
    turnoverDate: '01.02.2024',
    lines,
  });

  it('carries the changes of the named lines with the original’s descriptions, sums the totals, encodes', () => {
    const original = registered();
    const additional = additionalInvoiceFrom(original, {
      ...changes([
        {
          product: 1,
          quantity: '0.5',
          unitPrice: 0,
          priceWithoutTax: '50.05',
          ndsAmount: '6.01',
          priceWithTax: '56.06',
          turnoverSize: '50.05',
        },
        {
          product: 0,
          quantity: -1,
          unitPrice: 0,
          priceWithoutTax: -300000,
          ndsAmount: -36000,
          priceWithTax: -336000,
          turnoverSize: -300000,
        },
      ]),
      addInf: 'Возврат одной услуги, доплата за сопровождение',
    });
    expect(additional.invoiceType).toBe('ADDITIONAL_INVOICE');
    expect(additional.relatedInvoice).toEqual(LINK);
    expect(additional.turnoverDate).toBe('01.02.2024');
    const parsedOriginal = parseInvoiceBody(original.invoiceBody);
    expect(additional.sellers).toEqual(parsedOriginal.sellers);
    expect(additional.customers).toEqual(parsedOriginal.customers);
    expect(additional.deliveryTerm).toEqual(parsedOriginal.deliveryTerm);

    const back = parseInvoiceBody(buildInvoiceBody(additional));
    expect(back.relatedInvoice).toEqual(LINK);
    expect(back.invoiceType).toBe('ADDITIONAL_INVOICE');
    expect(back.addInf).toBe('Возврат одной услуги, доплата за сопровождение');
    const [second, first] = back.productSet.products;
    expect(second).toMatchObject({
      catalogTruId: '2',
      description: 'Сопровождение',
      unitNomenclature: '796',
      ndsRate: 12,
      truOriginCode: '6',
      quantity: '0.5',
      unitPrice: '0',
      priceWithoutTax: '50.05',
      priceWithTax: '56.06',
    });
    expect(first).toMatchObject({ catalogTruId: '1', quantity: '-1', priceWithTax: '-336000' });
    expect(back.productSet).toMatchObject({
      currencyCode: 'KZT',
      totalPriceWithoutTax: '-299949.95',
      totalNdsAmount: '-35993.99',
      totalPriceWithTax: '-335943.94',
      totalTurnoverSize: '-299949.95',
      totalExciseAmount: '0',
    });
  });

  it('takes its own supply documents and operator, never other parties', () => {
    const line = { product: 0, unitPrice: 0, priceWithoutTax: 0, ndsAmount: 0, priceWithTax: 0, turnoverSize: 0 };
    const additional = additionalInvoiceFrom(registered(), {
      ...changes([line]),
      operatorFullname: 'Другой Оператор',
      deliveryDocNum: '15',
      deliveryDocDate: '01.02.2024',
      // A caller without types cannot swap the parties through the changes.
      ...({ sellers: [], customers: [] } as object),
    });
    expect(additional).toMatchObject({
      operatorFullname: 'Другой Оператор',
      deliveryDocNum: '15',
      deliveryDocDate: '01.02.2024',
    });
    expect(additional.sellers.map((s) => s.tin)).toEqual([SELLER]);
    expect(additional.customers.map((c) => c.tin)).toEqual([BUYER]);
    expect('datePaper' in additional).toBe(false);
  });

  it('refuses an original that is not registered, and its own key equal to the original’s', () => {
    const line = { product: 0, unitPrice: 1, priceWithoutTax: 1, ndsAmount: 0, priceWithTax: 1, turnoverSize: 1 };
    expect(refusal(() => additionalInvoiceFrom(registered({ invoiceStatus: 'IN_QUEUE' }), changes([line])))).toEqual([
      { field: 'original.invoiceStatus', message: expect.stringContaining('IN_QUEUE') },
    ]);
    expect(
      refusal(() => additionalInvoiceFrom(registered(), { ...changes([line]), num: '1001', date: '15.01.2024' })),
    ).toEqual([{ field: 'num', message: expect.stringContaining('NOT_UNIQUE_NUMBER_AND_DATE') }]);
  });

  it('refuses lines that name no product of the original, twice the same, or lack the unit price', () => {
    const line = { unitPrice: 1, priceWithoutTax: 1, ndsAmount: 0, priceWithTax: 1, turnoverSize: 1 };
    const issues = refusal(() =>
      additionalInvoiceFrom(
        registered(),
        changes([
          { ...line, product: 2 },
          { ...line, product: -1 },
          { ...line, product: 0 },
          { ...line, product: 0 },
          { ...line, product: 1, unitPrice: undefined } as unknown as AdditionalInvoiceChanges['lines'][number],
        ]),
      ),
    );
    expect(issues.map((i) => i.field)).toEqual([
      'lines[0].product',
      'lines[1].product',
      'lines[3].product',
      'lines[4].unitPrice',
    ]);
    expect(issues[3]?.message).toContain('ADDITIONAL_INVOICE_PRODUCT_UNIT_PRICE_IS_ABSENT');
    expect(refusal(() => additionalInvoiceFrom(registered(), changes([])))).toEqual([
      { field: 'lines', message: expect.stringContaining('at least one') },
    ]);
  });

  it('refuses a change that takes an amount of the main invoice below zero, naming the code', () => {
    const issues = refusal(() =>
      additionalInvoiceFrom(
        registered(),
        changes([
          {
            product: 1,
            quantity: '-1.500001',
            unitPrice: '-100.1',
            priceWithoutTax: '-150.16',
            ndsAmount: '-18.02',
            priceWithTax: '-168.17',
            turnoverSize: '-150.15',
          },
        ]),
      ),
    );
    expect(issues.map((i) => i.field)).toEqual(['lines[0].quantity', 'lines[0].priceWithoutTax']);
    expect(issues[0]?.message).toContain('MAIN_AND_ADDITIONAL_INVOICES_QUANTITY_SUM_NEGATIVE');
    expect(issues[1]?.message).toContain('-150.16');
    expect(issues[1]?.message).toContain('150.15');
  });

  it('does not compare with the main invoice when the original is itself additional', () => {
    const input = { ...originalInput(), invoiceType: 'ADDITIONAL_INVOICE' as const, relatedInvoice: LINK };
    const result = additionalInvoiceFrom(
      registered({ registrationNumber: 'ESF-123456789021-20240201-00008012' }, input),
      {
        ...changes([
          { product: 0, unitPrice: 0, priceWithoutTax: -700000, ndsAmount: 0, priceWithTax: 0, turnoverSize: 0 },
        ]),
        num: '1004',
      },
    );
    expect(result.relatedInvoice).toEqual({ ...LINK, registrationNumber: 'ESF-123456789021-20240201-00008012' });
  });

  it('refuses amounts that are not decimals', () => {
    const issues = refusal(() =>
      additionalInvoiceFrom(
        registered(),
        changes([
          {
            product: 0,
            unitPrice: 'ten',
            priceWithoutTax: 1e21,
            ndsAmount: '0.0000001',
            priceWithTax: 0,
            turnoverSize: 0,
          },
        ]),
      ),
    );
    expect(issues.map((i) => i.field)).toEqual([
      'lines[0].unitPrice',
      'lines[0].priceWithoutTax',
      'lines[0].ndsAmount',
    ]);
  });

  it('requires the turnover date and the changed lines in the type', () => {
    // @ts-expect-error: the turnover date of the change is the caller's
    expect(() => additionalInvoiceFrom(registered(), { num: '1003', date: '01.02.2024', lines: [] })).toThrow(
      ValidationError,
    );
    expect(() =>
      additionalInvoiceFrom(registered(), {
        num: '1003',
        date: '01.02.2024',
        turnoverDate: '01.02.2024',
        // @ts-expect-error: unitPrice is required in an additional invoice's line
        lines: [{ product: 0, priceWithoutTax: 1, ndsAmount: 0, priceWithTax: 1, turnoverSize: 1 }],
      }),
    ).toThrow(ValidationError);
  });
});

describe('a correction end to end through the mock', { timeout: 60_000 }, () => {
  const owner = createTestIdentity({ commonName: 'ТЕСТОВ ТЕСТ', serialNumber: `IIN${SEED_USER_LOGIN}` });
  let mock: EsfMock;
  let esf: EsfClient;
  let seller: EsfSession;

  beforeAll(async () => {
    mock = await startEsfMock({ invoices: { processingMs: 50 } });
    esf = createEsfClient({
      checkIdentifiers: false,
      endpoint: mock.endpoint,
      username: SEED_USER_LOGIN,
      password: SEED_USER_PASSWORD,
    });
    seller = await esf.openSession({ tin: SELLER, signer: owner.signer, login: 'ticket' });
  }, 60_000);
  afterAll(async () => {
    await esf?.[Symbol.asyncDispose]();
    await mock?.close();
  });

  async function uploadAndRegister(invoice: InvoiceV2Input): Promise<string> {
    const { outcomes } = await seller.invoices.upload([invoice], owner.signer);
    const [outcome] = outcomes;
    if (outcome?.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
    const [result] = await seller.invoices.waitForRegistration([outcome.id], { intervalMs: 25, timeoutMs: 5_000 });
    if (result?.status !== 'registered') throw new Error(`not registered: ${JSON.stringify(result)}`);
    return outcome.id;
  }

  it('uploads a FIXED_INVOICE built from the registered original and reads its link back', async () => {
    const originalId = await uploadAndRegister(sampleInvoice({ sellerTin: SELLER, customerTin: BUYER, num: '7001' }));
    const [stored] = await seller.invoices.byId([originalId]);
    if (!stored?.registrationNumber) throw new Error('the original has no registration number');

    const fixed = fixedInvoiceFrom(stored, { num: '7002', date: new Date(), addInf: 'Исправленный ЭСФ' });
    const fixedId = await uploadAndRegister(fixed);

    const sent = mock.calls.filter((c) => c.operation === 'syncInvoice').at(-1)?.input as {
      invoiceUploadInfoList: { invoiceBody: string }[];
    };
    expect(sent.invoiceUploadInfoList[0]?.invoiceBody).toContain(
      `<relatedInvoice><date>${parseInvoiceBody(stored.invoiceBody).date}</date><num>7001</num><registrationNumber>${stored.registrationNumber}</registrationNumber></relatedInvoice>`,
    );
    const [correction] = await seller.invoices.byId([fixedId]);
    const read = parseInvoiceBody(correction!.invoiceBody);
    expect(read.invoiceType).toBe('FIXED_INVOICE');
    expect(read.relatedInvoice).toEqual({
      date: parseInvoiceBody(stored.invoiceBody).date,
      num: '7001',
      registrationNumber: stored.registrationNumber,
    });
  });
});
